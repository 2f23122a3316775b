#!/usr/bin/env bash
# What a slow or stopped peer costs everyone else, as a markdown table:
#  - one agent, a run alone (wall, min / median / max of RUNS), then the same
#    run while another coordinator on the same agent is stopped (SIGSTOP)
#    with a stream full of `show tech-support` it never reads;
#  - a run whose stdout is a pipe nobody reads for NAP seconds (three times
#    the agent-silence limit): its wall time and how many devices ended ok.
#
#   tests/bench/slow_peers.sh                     # 200 devices, 3 runs
#   DEVICES=1000 RUNS=5 tests/bench/slow_peers.sh
#
# Loopback only; everything started is stopped by PID. A script, not a
# test: slow_peers_e2e_test asserts the bounds.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="${BUILD_DIR:-$root/build}/bin"
devices="${DEVICES:-200}"
runs="${RUNS:-3}"
nap="${NAP:-6}"
source "$root/tests/bench/bench_lib.sh"

start_devsim --count "$devices" --latency-ms 20
"$bin/agent" --listen 127.0.0.1:0 --workers 100 --name bench --known-hosts "$work/agent.known" \
  2>"$work/agent.log" &
pids+=($!)
agent="$(agent_address "$work/agent.log")"
run=("$bin/coord" run -i "$work/devices.yaml" --agent "$agent" --format jsonl -q
     --journal "$work/journal.jsonl")
for _ in $(seq 1 10); do run+=(--cmd "sh clock"); done

timed() {  # wall seconds of "$@", stdout discarded; a failed device is fine
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>>"$work/coord.err" || [ $? -eq 1 ]
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN {printf "%.2f", b - a}'
}

solo=() shared=()
for _ in $(seq 1 "$runs"); do solo+=("$(timed "${run[@]}")"); done
for _ in $(seq 1 "$runs"); do
  "$bin/coord" run -i "$work/devices.yaml" --agent "$agent" --cmd "show tech-support" \
    --format jsonl -q --journal "$work/stalled.jsonl" >"$work/stalled.out" 2>/dev/null &
  stalled=$!
  pids+=("$stalled")
  for _ in $(seq 1 600); do
    [ "$(stat -c %s "$work/stalled.out")" -ge 262144 ] && break
    sleep 0.01
  done
  kill -STOP "$stalled" 2>/dev/null || true  # a small fleet may be done already
  shared+=("$(timed "${run[@]}")")
  kill -CONT "$stalled" 2>/dev/null || true
  wait "$stalled" || true
done

# A reader that naps before reading: the run must neither fail nor lose an agent.
mkfifo "$work/out.fifo"
start=$(date +%s.%N)
"$bin/coord" run -i "$work/devices.yaml" --agent "$agent" --cmd "show tech-support" \
  --format jsonl -q --journal "$work/napped.jsonl" --agent-silence-timeout 2 \
  >"$work/out.fifo" 2>"$work/napped.err" &
napped=$!
pids+=("$napped")
ok=$( (sleep "$nap"; cat "$work/out.fifo") | grep -c '"ok":true' || true)
wait "$napped" || true
end=$(date +%s.%N)
lost=$(grep -c "lost" "$work/napped.err" || true)

echo "| $devices devices, 10 commands each, one agent of 100 workers | wall s (min / median / max) |"
echo "| --- | --- |"
echo "| alone | $(stats "${solo[@]}") |"
echo "| beside a stopped coordinator holding a full stream | $(stats "${shared[@]}") |"
echo
echo "| stdout unread for ${nap} s, --agent-silence-timeout 2 | figure |"
echo "| --- | --- |"
echo "| wall s | $(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.2f", b - a}') |"
echo "| devices ok of $devices | $ok |"
echo "| agents reported lost | $lost |"
