# Shared by the benchmark scripts (sourced). Loopback only.

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
