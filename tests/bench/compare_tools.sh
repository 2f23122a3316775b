#!/usr/bin/env bash
# Same machine, same devsim fleet, same command, same concurrency, each
# client in turn: the libssh floor probe, netshard in-process, netshard
# through 1, 2 and 4 agents, the course's Netmiko thread pool and the same
# script on `import netshard` (netshard_pool.py), and pssh and
# clush (OpenSSH's client, key login, the command as an ssh exec). Prints a
# markdown table: wall time and client CPU per device (min / median / max
# of RUNS), the client's peak RSS, and how many devices ended ok.
#
#   tests/bench/compare_tools.sh                       # 1,000 devices, no latency, L=200
#   LATENCY_MS=500 tests/bench/compare_tools.sh        # latency-bound
#   DEVICES=200 RUNS=1 TOOLS="floor netshard" tests/bench/compare_tools.sh   # a smoke
#   FLEET=sshd DEVICES=200 RUNS=1 tests/bench/compare_tools.sh   # OpenSSH sshd fleet
#
# Client CPU counts every process of the client: coord plus its agents for
# netshard, the python process for Netmiko (getrusage via /usr/bin/time, and
# /proc/PID/stat for the long-lived agents). devsim's latency delays each
# command line it answers (Netmiko and netshard send three per session:
# paging, enable, the command; the floor probe one), so the latency-bound
# ideal is ceil(DEVICES / LIMIT) x 3 x LATENCY; netshard --transport exec,
# pssh and clush send one. FLEET=sshd serves the devices with OpenSSH's
# sshd and a fake-device login shell instead of devsim (no added latency;
# everyone logs in with a key). Loopback only; a script, never a test: it
# asserts nothing about timings.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="${BUILD_DIR:-$root/build}/bin"
devices="${DEVICES:-1000}"
latency="${LATENCY_MS:-0}"
limit="${LIMIT:-200}"
runs="${RUNS:-3}"
tools="${TOOLS:-floor netshard exec agents netmiko python pssh clush}"
fleet="${FLEET:-devsim}"
agent_counts="${AGENT_COUNTS:-1 2 4}"
command="show clock"
source "$root/tests/bench/bench_lib.sh"

# pssh and clush log in with a key (OpenSSH's client cannot take a password
# unattended); the others with the password devsim's inventory holds.
ssh-keygen -q -t ed25519 -N "" -f "$work/key"
if [ "$fleet" = sshd ]; then
  start_sshd_fleet "$devices"
else
  printf 'devices:\n- index: 1-%s\n  authorized_key: %s\n' "$devices" "$work/key.pub" >"$work/fleet.yaml"
  start_devsim --count "$devices" --latency-ms "$latency" --config "$work/fleet.yaml"
fi
port=$(sed -n 's/^  port: //p;T;q' "$work/devices.yaml")
login=$(sed -n 's/^  username: //p;T;q' "$work/devices.yaml")
sed -n 's/^  ip: //p' "$work/devices.yaml" | sed "s/\$/:$port/" >"$work/hosts"
sed 's/:.*//' "$work/hosts" >"$work/clush-hosts"
ssh_options="-i $work/key -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR"

# row LABEL AGENT_PIDS OK -- COMMAND...: runs COMMAND `runs` times, adding
# the CPU the agents spent meanwhile. OK is a regex whose matching output
# lines count the devices that succeeded, or "summary" for a "... ok N ..."
# line.
row() {
  local label="$1" agent_pids="$2" ok_pattern="$3"
  shift 4
  local walls=() cpus=() rss=() oks=()
  for _ in $(seq 1 "$runs"); do
    local before after agents_rss=0
    before=$(sum_cpu_seconds $agent_pids)
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >"$work/out" 2>"$work/err" || true
    after=$(sum_cpu_seconds $agent_pids)
    for pid in $agent_pids; do agents_rss=$((agents_rss + $(peak_rss_kib "$pid"))); done
    read -r wall user sys maxrss < <(tail -n 1 "$work/time")  # after any "exited with" line
    walls+=("$wall")
    cpus+=("$(awk -v u="$user" -v s="$sys" -v b="$before" -v c="$after" -v n="$devices" \
      'BEGIN {print (u + s + c - b) * 1000 / n}')")
    rss+=("$((maxrss + agents_rss))")
    if [ "$ok_pattern" = summary ]; then
      oks+=("$(sed -n 's/.* ok \([0-9]*\) .*/\1/p' "$work/out")")
    else
      oks+=("$(grep -c -- "$ok_pattern" "$work/out" || true)")
    fi
  done
  local ok
  ok=$(printf '%s\n' "${oks[@]}" | sort -n | sed -n 1p)
  printf '| %s | %s | %s | %s | %s/%s |\n' "$label" "$(stats "${walls[@]}")" "$(stats "${cpus[@]}")" \
    "$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)" "$ok" "$devices"
}

if [ "$fleet" = sshd ]; then
  echo "OpenSSH sshd fleet ($(/usr/sbin/sshd -V 2>&1 | sed -n 1p | cut -d, -f1)): $devices devices; concurrency $limit; $runs runs each; $(nproc) cores"
else
  echo "devsim fleet: $devices devices, ${latency} ms per command line; concurrency $limit; $runs runs each; $(nproc) cores"
fi
echo
echo "| client | wall s (min / median / max) | client CPU ms per device | client peak RSS KiB | ok (worst run) |"
echo "| --- | --- | --- | --- | --- |"
for tool in $tools; do
  case "$tool" in
    floor)
      row "libssh floor probe" "" summary -- "$bin/floor_probe" -i "$work/devices.yaml" --limit "$limit" \
        --cmd "$command" ;;
    netshard)
      row "netshard in-process, --limit $limit" "" '"ok":true' -- "$bin/coord" run -i "$work/devices.yaml" \
        --cmd "$command" --limit "$limit" --format jsonl --journal /dev/null \
        --known-hosts "$work/known_hosts" ;;
    exec)
      row "netshard in-process, --limit $limit --transport exec" "" '"ok":true' -- "$bin/coord" run \
        -i "$work/devices.yaml" --cmd "$command" --limit "$limit" --format jsonl --journal /dev/null \
        --known-hosts "$work/known_hosts" --transport exec ;;
    agents)
      for count in $agent_counts; do
        agent_pids="" agent_flags=()
        for i in $(seq 1 "$count"); do
          "$bin/agent" --listen 127.0.0.1:0 --workers $((limit / count)) --name "agent-$i" \
            --known-hosts "$work/agent-$count-$i.known" 2>"$work/agent-$count-$i.log" &
          pids+=($!)
          agent_pids+=" $!"
          agent_flags+=(--agent "$(agent_address "$work/agent-$count-$i.log")")
        done
        row "netshard, $count agent(s) x $((limit / count)) workers" "$agent_pids" '"ok":true' -- \
          "$bin/coord" run -i "$work/devices.yaml" --cmd "$command" --format jsonl \
          --journal /dev/null "${agent_flags[@]}"
        for pid in $agent_pids; do kill "$pid"; wait "$pid" 2>/dev/null || true; done
      done ;;
    netmiko)
      row "Netmiko $(/usr/bin/python3 -c 'import netmiko; print(netmiko.__version__)' 2>/dev/null) ThreadPoolExecutor($limit).map" "" summary -- \
        /usr/bin/python3 "$root/tests/bench/netmiko_pool.py" "$work/devices.yaml" "$limit" "$command" ;;
    python)
      row "the same script on netshard.Executor($limit) (python/)" "" summary -- \
        env PYTHONPATH="${BUILD_DIR:-$root/build}/python" /usr/bin/python3 \
        "$root/tests/bench/netshard_pool.py" "$work/devices.yaml" "$limit" "$command" \
        "$work/known_hosts" ;;
    pssh)
      row "pssh $(parallel-ssh --version 2>&1 | sed -n 1p) -p $limit (ssh exec)" "" '\[SUCCESS\]' -- \
        parallel-ssh -h "$work/hosts" -p "$limit" -l "$login" -t 60 -x "$ssh_options" -i "$command" ;;
    clush)
      row "clush $(clush --version | awk '{print $2}') -f $limit (ssh exec)" "" ' UTC ' -- \
        clush --hostfile "$work/clush-hosts" -f "$limit" -l "$login" -u 60 \
          -o "-p $port $ssh_options" "$command" ;;
    *) echo "bench: unknown tool $tool (floor, netshard, exec, agents, netmiko, python, pssh, clush)" >&2; exit 2 ;;
  esac
done
