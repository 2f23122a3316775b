# Shared by the benchmark scripts (sourced). Loopback only.

# A scratch directory in $work, and everything started and put in $pids
# stopped (by PID) and the directory removed when the script exits.
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# Starts devsim ($bin/devsim) with the arguments given, its inventory in
# $work/devices.yaml, and waits (bounded) until it is written.
start_devsim() {
  "$bin/devsim" "$@" --inventory-out "$work/devices.yaml" 2>"$work/devsim.log" &
  pids+=($!)
  for _ in $(seq 1 600); do [ -f "$work/devices.yaml" ] && return; sleep 0.1; done
  echo "bench: devsim did not start: $(cat "$work/devsim.log")" >&2
  return 1
}

# The address an agent logged it listens on (it was given port 0).
agent_address() {
  local log="$1" port=""
  for _ in $(seq 1 100); do
    port=$(sed -n 's/.*event=listening .* port=\([0-9]*\) .*/\1/p' "$log")
    [ -n "$port" ] && { echo "127.0.0.1:$port"; return; }
    sleep 0.1
  done
  echo "bench: agent did not start: $(cat "$log")" >&2
  return 1
}

# "min / median / max" of the numbers given.
stats() {
  printf '%s\n' "$@" | sort -g |
    awk '{a[NR]=$1} END {printf "%.2f / %.2f / %.2f", a[1], a[int((NR+1)/2)], a[NR]}'
}

# CPU seconds (user + system) process PID has used so far.
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"
}

# Peak resident KiB of process PID so far.
peak_rss_kib() {
  awk '/^VmHWM:/ {print $2}' "/proc/$1/status"
}
