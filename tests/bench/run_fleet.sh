#!/usr/bin/env bash
# Times `coord run --cmd "sh clock"` on a devsim fleet, embedded and through
# two agents, and prints a markdown table (min / median / max of several
# runs; coordinator CPU from getrusage via /usr/bin/time).
#
#   tests/bench/run_fleet.sh                 # 200 devices, no latency, 5 runs
#   DEVICES=1000 LATENCY_MS=500 LIMIT=200 RUNS=3 tests/bench/run_fleet.sh
#
# Loopback only. A script, not a test: it asserts nothing about timings.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="${BUILD_DIR:-$root/build}/bin"
devices="${DEVICES:-200}"
latency="${LATENCY_MS:-0}"
limit="${LIMIT:-100}"
runs="${RUNS:-5}"
workers="${WORKERS:-100}"

source "$root/tests/bench/bench_lib.sh"

start_devsim --count "$devices" --latency-ms "$latency"
for name in a b; do
  "$bin/agent" --listen 127.0.0.1:0 --workers "$workers" --name "agent-$name" \
    >/dev/null 2>"$work/agent-$name.log" &
  pids+=($!)
done
agent_a="$(agent_address "$work/agent-a.log")"
agent_b="$(agent_address "$work/agent-b.log")"

# Runs one configuration `runs` times; prints its table row.
measure() {
  local label="$1"
  shift
  local walls=() cpus=() rss=()
  for _ in $(seq 1 "$runs"); do
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$bin/coord" run -i "$work/devices.yaml" \
      --cmd "sh clock" --format jsonl "$@" >"$work/out" 2>"$work/err" || true
    ok=$(grep -c '"ok":true' "$work/out" || true)
    [ "$ok" -eq "$devices" ] || { echo "bench: only $ok/$devices ok: $(tail -1 "$work/err")" >&2; exit 1; }
    read -r wall user sys maxrss <"$work/time"
    walls+=("$wall")
    cpus+=("$(awk -v u="$user" -v s="$sys" -v n="$devices" 'BEGIN {print (u + s) * 1000 / n}')")
    rss+=("$maxrss")
  done
  printf '| %s | %s | %s | %s |\n' "$label" "$(stats "${walls[@]}")" "$(stats "${cpus[@]}")" \
    "$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)"
}

echo "devsim fleet: $devices devices, ${latency} ms latency per command; $runs runs each"
echo
echo "| run | wall s (min / median / max) | coord CPU ms per device | coord peak RSS KiB |"
echo "| --- | --- | --- | --- |"
measure "embedded, --limit $limit" --limit "$limit"
measure "2 agents x $workers workers" --agent "$agent_a" --agent "$agent_b"
