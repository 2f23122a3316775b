#!/usr/bin/env bash
# Times `coord run --cmd "sh clock"` on a devsim fleet, in-process and
# through 1..n agents of a fixed --workers each, and prints a markdown table:
# wall time (min / median / max of RUNS) against the ideal, coordinator CPU
# per device and peak RSS (getrusage via /usr/bin/time), the agents' CPU
# per device and devsim's (the fleet shares the machine: when the sum over
# the cores exceeds the ideal, the run is CPU-bound, not latency-bound), and
# each agent's peak RSS and memory per open session (its peak minus its idle
# RSS, over its workers, all of which are busy at the peak).
#
#   tests/bench/run_fleet.sh                 # 200 devices, no latency, 5 runs
#   DEVICES=1000 LATENCY_MS=500 LIMIT=200 RUNS=3 tests/bench/run_fleet.sh
#   DEVICES=10000 LATENCY_MS=200 WORKERS=1000 AGENT_COUNTS=2 EMBEDDED=0 RUNS=3 tests/bench/run_fleet.sh
#   DEVICES=2000 LATENCY_MS=200 WORKERS=100 AGENT_COUNTS="1 2 4" tests/bench/run_fleet.sh  # scale-out
#
# TRANSPORT=exec runs the commands as SSH execs (one device line each instead
# of three). Loopback only. A script, not a test: it asserts nothing about
# timings, but a run that loses a device stops it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="${BUILD_DIR:-$root/build}/bin"
devices="${DEVICES:-200}"
latency="${LATENCY_MS:-0}"
limit="${LIMIT:-100}"
runs="${RUNS:-5}"
workers="${WORKERS:-100}"
agent_counts="${AGENT_COUNTS:-2}"
embedded="${EMBEDDED:-1}"
transport="${TRANSPORT:-shell}"
lines=3  # device lines per session: paging, enable, the command
[ "$transport" = exec ] && lines=1

source "$root/tests/bench/bench_lib.sh"

start_devsim --count "$devices" --latency-ms "$latency"
devsim_pid="${pids[0]}"

# ceil(devices / concurrency) x lines x latency, in seconds.
ideal() {
  awk -v n="$devices" -v c="$1" -v l="$lines" -v ms="$latency" \
    'BEGIN {r = int((n + c - 1) / c); printf "%.2f", r * l * ms / 1000}'
}

# measure LABEL CONCURRENCY AGENT_PIDS -- COORD_ARGS...: runs coord `runs`
# times; prints the table row.
measure() {
  local label="$1" concurrency="$2" agent_pids="$3"
  shift 4
  local walls=() cpus=() rss=() idle=() agent_cpus=() fleet_cpus=()
  for pid in $agent_pids; do idle+=("$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")"); done
  for _ in $(seq 1 "$runs"); do
    local agents_before fleet_before
    agents_before=$(sum_cpu_seconds $agent_pids)
    fleet_before=$(cpu_seconds "$devsim_pid")
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$bin/coord" run -i "$work/devices.yaml" \
      --cmd "sh clock" --format jsonl --journal /dev/null --transport "$transport" \
      --known-hosts "$work/known_hosts" "$@" \
      >"$work/out" 2>"$work/err" || true
    ok=$(grep -c '"ok":true' "$work/out" || true)
    [ "$ok" -eq "$devices" ] || { echo "bench: only $ok/$devices ok: $(tail -1 "$work/err")" >&2; exit 1; }
    # Exactly one result per device: as many lines as devices, each a different one.
    results=$(wc -l < "$work/out")
    named=$(grep -o '"name":"[^"]*"' "$work/out" | sort -u | wc -l)
    [ "$results" -eq "$devices" ] && [ "$named" -eq "$devices" ] ||
      { echo "bench: $results results for $named devices of $devices" >&2; exit 1; }
    read -r wall user sys maxrss < <(tail -n 1 "$work/time")
    walls+=("$wall")
    cpus+=("$(awk -v u="$user" -v s="$sys" -v n="$devices" 'BEGIN {print (u + s) * 1000 / n}')")
    rss+=("$maxrss")
    agent_cpus+=("$(awk -v a="$(sum_cpu_seconds $agent_pids)" -v b="$agents_before" -v n="$devices" \
      'BEGIN {print (a - b) * 1000 / n}')")
    fleet_cpus+=("$(awk -v a="$(cpu_seconds "$devsim_pid")" -v b="$fleet_before" -v n="$devices" \
      'BEGIN {print (a - b) * 1000 / n}')")
  done
  local agent_peak="-" per_session="-" i=0
  if [ -n "$agent_pids" ]; then
    agent_peak=0 per_session=0
    for pid in $agent_pids; do
      local peak
      peak=$(peak_rss_kib "$pid")
      [ "$peak" -gt "$agent_peak" ] && agent_peak=$peak
      per_session=$(awk -v a="$per_session" -v p="$peak" -v i="${idle[$i]}" -v w="$workers" \
        'BEGIN {v = (p - i) / w; print (v > a ? v : a)}')
      i=$((i + 1))
    done
    per_session=$(printf '%.0f' "$per_session")
  fi
  local agent_cpu="-"
  [ -n "$agent_pids" ] && agent_cpu="$(stats "${agent_cpus[@]}")"
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$(stats "${walls[@]}")" \
    "$(ideal "$concurrency")" "$(stats "${cpus[@]}")" "$agent_cpu" "$(stats "${fleet_cpus[@]}")" \
    "$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)" "$agent_peak" "$per_session"
}

echo "devsim fleet: $devices devices, ${latency} ms per device line ($lines per session, --transport $transport); $runs runs each; $(nproc) cores"
echo
echo "| run | wall s (min / median / max) | ideal s | coord CPU ms per device | agents CPU ms per device | devsim CPU ms per device | coord peak RSS KiB | agent peak RSS KiB | agent KiB per open session |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
[ "$embedded" = 1 ] && measure "in-process, --limit $limit" "$limit" "" -- --limit "$limit"
for count in $agent_counts; do
  agent_pids="" agent_flags=()
  for i in $(seq 1 "$count"); do
    "$bin/agent" --listen 127.0.0.1:0 --workers "$workers" --name "agent-$count-$i" \
      --known-hosts "$work/agent-$count-$i.known" >/dev/null 2>"$work/agent-$count-$i.log" &
    pids+=($!)
    agent_pids+=" $!"
    agent_flags+=(--agent "$(agent_address "$work/agent-$count-$i.log")")
  done
  measure "$count agent(s) x $workers workers" $((count * workers)) "$agent_pids" -- "${agent_flags[@]}"
  for pid in $agent_pids; do kill "$pid"; wait "$pid" 2>/dev/null || true; done
done
