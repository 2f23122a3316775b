#!/usr/bin/env bash
# The Debian packages as an administrator meets them. CI runs it; it needs
# root (or sudo), and installs and then removes netshard, netshard-agent and
# python3-netshard:
#  - deploy/package.sh builds them; each one's Depends names every package
#    owning a library its binaries link (what dpkg-shlibdeps computed);
#  - dpkg -i installs them; the installed coord, and python3's import netshard,
#    run against the installed devsim (loopback); man pages and completion are
#    where man and bash look;
#  - the agent's system user, state directory and settings exist; its unit
#    passes systemd-analyze verify, is not enabled, and no agent was started;
#  - dpkg -r leaves only the settings (a conffile); dpkg -P removes those too.
#
#   tests/deploy/package_test.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${BUILD_DIR:-$root/build}"
# $work, stopping devsim at exit; start_fleet.
source "$root/deploy/fleet_lib.sh"
fail() {
  echo "package_test: $*" >&2
  exit 1
}
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

"$root/deploy/package.sh" >"$work/packages"
coord_deb="$(grep '/netshard_[^/]*\.deb$' "$work/packages")"
agent_deb="$(grep '/netshard-agent_[^/]*\.deb$' "$work/packages")"
python_deb="$(grep '/python3-netshard_[^/]*\.deb$' "$work/packages")"
[ -f "$coord_deb" ] && [ -f "$agent_deb" ] && [ -f "$python_deb" ] ||
  fail "deploy/package.sh made: $(cat "$work/packages")"
version="$(sed -n 's/^project(netshard VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")"
for deb in "$coord_deb" "$agent_deb" "$python_deb"; do
  [ "$(dpkg-deb -f "$deb" Version)" = "$version-1" ] || fail "$deb: version is not $version-1"
  echo "package_test: $(basename "$deb"): $(du -k "$deb" | cut -f1) KiB;" \
    "Depends: $(dpkg-deb -f "$deb" Depends)"
done

# Depends against what the binaries link.
expect_depends() {
  local deb="$1"
  shift
  local depends needed
  depends="$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/^ *//; s/ .*//' | sort -u)"
  # Not inside `for`: a failure there would go unnoticed and check nothing.
  needed="$("$root/tests/deploy/needed_packages.sh" "$@")" || fail "needed_packages.sh $*"
  [ -n "$needed" ] || fail "no libraries found for $*"
  for package in $needed; do
    grep -qx "$package" <<<"$depends" || fail "$deb: Depends lacks $package (linked by $*)"
  done
}
expect_depends "$coord_deb" "$build/bin/coord" "$build/bin/devsim"
expect_depends "$agent_deb" "$build/bin/agent"
expect_depends "$python_deb" "$build"/python/netshard/_engine.*.so
dpkg-deb -f "$python_deb" Depends | grep -q "python3 (>= " || fail "$python_deb: Depends lacks python3"

$sudo dpkg -i "$coord_deb" "$agent_deb" "$python_deb" >"$work/install.log" 2>&1 ||
  fail "dpkg -i: $(cat "$work/install.log")"
for file in /usr/bin/coord /usr/bin/devsim /usr/bin/agent /usr/share/netshard/platforms/cisco_ios.yaml \
  /usr/share/man/man1/coord.1.gz /usr/share/man/man1/coord-inventory.1.gz \
  /usr/share/man/man8/agent.8.gz /usr/share/doc/netshard/inventories.md \
  /usr/share/bash-completion/completions/coord /usr/lib/systemd/system/netshard-agent.service; do
  [ -e "$file" ] || fail "installed packages have no $file"
done
[ "$(/usr/bin/coord --version)" = "$("$build/bin/coord" --version)" ] ||
  fail "/usr/bin/coord --version is not the build's"
man coord 2>/dev/null | grep "EXIT STATUS" >/dev/null || fail "man coord does not find the page"

# The agent's account, state and settings; the unit as systemd reads it.
getent passwd netshard | grep ':/var/lib/netshard:/usr/sbin/nologin$' >/dev/null ||
  fail "no system user netshard with home /var/lib/netshard and no shell"
[ "$(stat -c '%U:%G %a' /var/lib/netshard)" = "netshard:netshard 700" ] ||
  fail "/var/lib/netshard: $(stat -c '%U:%G %a' /var/lib/netshard)"
[ "$(stat -c '%U:%G %a' /etc/netshard/agent.env)" = "root:netshard 640" ] ||
  fail "/etc/netshard/agent.env: $(stat -c '%U:%G %a' /etc/netshard/agent.env)"
unit=/usr/lib/systemd/system/netshard-agent.service
grep -q '^ExecStart=/usr/bin/agent ' "$unit" || fail "$unit does not run /usr/bin/agent"
if command -v systemd-analyze >/dev/null; then
  if ! systemd-analyze verify "$unit" >"$work/verify" 2>&1 || [ -s "$work/verify" ]; then
    fail "systemd-analyze verify $unit: $(cat "$work/verify")"
  fi
fi
[ ! -e /etc/systemd/system/multi-user.target.wants/netshard-agent.service ] ||
  fail "installing enabled netshard-agent; it must wait to be configured"
for exe in /proc/[0-9]*/exe; do
  [ "$(readlink "$exe" 2>/dev/null)" != /usr/bin/agent ] || fail "installing started an agent"
done

# The installed coord against the installed devsim, on loopback.
start_fleet /usr/bin/devsim --count 20 --port 0 || fail "the installed devsim did not start"
XDG_STATE_HOME="$work/state" /usr/bin/coord run -i "$work/devices.yaml" --cmd "show clock" \
  --format jsonl --known-hosts "$work/known_hosts" >"$work/run.out" 2>"$work/run.err" ||
  fail "coord run exited $?: $(cat "$work/run.err")"
[ "$(grep -c '"ok":true' "$work/run.out")" -eq 20 ] ||
  fail "not 20 devices ok: $(head -c 600 "$work/run.out")"
# Debian's python3 imports the installed package from anywhere.
(cd "$work" && /usr/bin/python3 -c '
import sys, yaml, netshard
assert netshard.__file__.startswith("/usr/lib/python3/dist-packages/netshard/"), netshard.__file__
devices = yaml.safe_load(open(sys.argv[1]))["routers"]
with netshard.Executor(max_workers=10, known_hosts=sys.argv[2]) as executor:
    ok = sum(" UTC " in list(r.values())[0] for r in executor.map(devices, "show clock"))
assert ok == 20, ok
' "$work/devices.yaml" "$work/known_hosts") >"$work/python.out" 2>&1 ||
  fail "import netshard from python3-netshard: $(cat "$work/python.out")"
# Removal keeps only the settings; purge takes them too.
$sudo dpkg -r netshard netshard-agent python3-netshard >"$work/remove.log" 2>&1 ||
  fail "dpkg -r: $(cat "$work/remove.log")"
for file in /usr/bin/coord /usr/bin/agent /usr/bin/devsim /usr/share/netshard /var/lib/netshard \
  /usr/share/man/man1/coord.1.gz /usr/lib/systemd/system/netshard-agent.service \
  /usr/lib/python3/dist-packages/netshard; do
  [ ! -e "$file" ] || fail "dpkg -r left $file"
done
[ -f /etc/netshard/agent.env ] || fail "dpkg -r removed the settings /etc/netshard/agent.env"
$sudo dpkg -P netshard-agent >"$work/purge.log" 2>&1 || fail "dpkg -P: $(cat "$work/purge.log")"
[ ! -e /etc/netshard ] || fail "dpkg -P left /etc/netshard"
echo "package_test: netshard, netshard-agent and python3-netshard built, installed, used and removed"
