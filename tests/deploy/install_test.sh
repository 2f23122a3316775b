#!/usr/bin/env bash
# `cmake --install` into a scratch prefix, then the installed tree as a user
# meets it: the programs run from P/bin against a simulated fleet (loopback
# only); the man pages render; bash completion completes; coord finds its
# template library in P/share/netshard, also once the whole prefix has been
# moved; and no installed text file points back into the build or source tree.
#
#   tests/deploy/install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build="$(cd "$1" && pwd)"
root="$(cd "$2" && pwd)"
# $work, stopping devsim at exit; start_fleet.
source "$root/deploy/fleet_lib.sh"
fail() {
  echo "install_test: $*" >&2
  exit 1
}
export XDG_STATE_HOME="$work/state"

prefix="$work/prefix"
cmake --install "$build" --prefix "$prefix" >"$work/install.log"
for file in bin/coord bin/agent bin/devsim share/netshard/platforms/cisco_ios.yaml \
  share/netshard/tls/make-certs.sh lib/systemd/system/netshard-agent.service \
  etc/netshard/agent.env share/man/man1/coord.1.gz share/man/man1/coord-run.1.gz \
  share/man/man1/coord-parse.1.gz share/man/man8/agent.8.gz share/man/man1/devsim.1.gz \
  share/bash-completion/completions/coord share/bash-completion/completions/agent \
  share/bash-completion/completions/devsim; do
  [ -e "$prefix/$file" ] || fail "cmake --install put no $file under the prefix"
done
unit="$prefix/lib/systemd/system/netshard-agent.service"
grep -q "^ExecStart=$prefix/bin/agent " "$unit" || fail "$unit does not run $prefix/bin/agent"
grep -q "^EnvironmentFile=$prefix/etc/netshard/agent.env$" "$unit" ||
  fail "$unit does not read $prefix/etc/netshard/agent.env"
if grep -rIl -e "$build" -e "$root" "$prefix" >"$work/leaks"; then
  fail "installed files name the build or source tree: $(tr '\n' ' ' <"$work/leaks")"
fi
[ "$("$prefix/bin/coord" --version)" = "$("$build/bin/coord" --version)" ] ||
  fail "the installed coord --version differs from the built one"
"$prefix/bin/agent" --version | grep "^agent [0-9]" >/dev/null || fail "agent --version"

# Man pages: render, and hold the hand-written sections.
export MANWIDTH=100
man -l "$prefix/share/man/man1/coord.1.gz" >"$work/coord.man" 2>&1
for want in "INVENTORY FIELDS" "EXIT STATUS" "EXAMPLES" "device_type" "coord-run(1)"; do
  grep -q -- "$want" "$work/coord.man" || fail "man coord has no '$want'"
done
man -M "$prefix/share/man" coord-run 2>&1 | grep -- "--cmd TEXT" >/dev/null ||
  fail "man coord-run (through MANPATH) does not show run's --cmd"
man -l "$prefix/share/man/man8/agent.8.gz" 2>&1 | grep "systemctl enable --now netshard-agent" >/dev/null ||
  fail "man agent has no SERVICE section"

# Bash completion: what a Tab after the words would offer.
complete_words() {
  local program="$1"
  shift
  bash -c 'source "$1"; fn="$2"; shift 2; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); "$fn"
           printf "%s\n" "${COMPREPLY[@]}"' _ \
    "$prefix/share/bash-completion/completions/$program" "_netshard_$program" "$program" "$@"
}
expect_completion() {
  local want="$1"
  shift
  complete_words "$@" | grep -x -- "$want" >/dev/null || fail "completing '$*' does not offer $want"
}
expect_completion run coord r
expect_completion platforms coord pl
expect_completion --format coord run --for
expect_completion jsonl coord run --format j
expect_completion --inventory coord run --inv
expect_completion --listen agent --li
expect_completion --count devsim --cou
[ -z "$(complete_words coord run --format x)" ] || fail "completing '--format x' offers a value"

# The installed programs against an installed devsim, on loopback.
start_fleet "$prefix/bin/devsim" --count 5 --port 0 || fail "the installed devsim did not start"

# A template library where an installed coord looks by default.
templates="$prefix/share/netshard/templates"
mkdir -p "$templates"
printf 'Template, Hostname, Platform, Command\n\nclock.textfsm, .*, cisco_ios, sh[[ow]] clo[[ck]]\n' \
  >"$templates/index"
printf 'Value TIME (\\S+)\nValue YEAR (\\d+)\n\nStart\n  ^\\*?${TIME}\\s.*\\s${YEAR}\\s*$$ -> Record\n' \
  >"$templates/clock.textfsm"

run_parsed() {
  local coord="$1"
  "$coord" run -i "$work/devices.yaml" --cmd "sh clock" --parse --format jsonl \
    --known-hosts "$work/known_hosts" >"$work/run.out" 2>"$work/run.err" ||
    fail "$coord run exited $?: $(cat "$work/run.err")"
  [ "$(grep -c '"parsed":\[{"time":' "$work/run.out")" -eq 5 ] ||
    fail "$coord run: not 5 parsed clocks: $(head -c 600 "$work/run.out")"
}
run_parsed "$prefix/bin/coord"

# The Python package, where Debian's python3 finds one under the prefix.
if [ -f "$build/python/netshard/__init__.py" ]; then
  PYTHONPATH="$prefix/lib/python3/dist-packages" /usr/bin/python3 -c '
import sys, yaml, netshard
assert netshard.__file__.startswith(sys.argv[1]), netshard.__file__
devices = yaml.safe_load(open(sys.argv[2]))["routers"]
with netshard.Executor(max_workers=5, known_hosts=sys.argv[3]) as executor:
    results = list(executor.map(devices, "sh clock"))
assert len(results) == 5 and all(" UTC " in list(r.values())[0] for r in results), results
' "$prefix/lib/python3/dist-packages/netshard" "$work/devices.yaml" "$work/known_hosts" \
    >"$work/python.out" 2>&1 || fail "the installed netshard package: $(cat "$work/python.out")"
fi
mv "$prefix" "$work/moved"
run_parsed "$work/moved/bin/coord"
echo "install_test: cmake --install tree verified"
