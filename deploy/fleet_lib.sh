# Sourced by the demo, the benchmarks and the deployment tests (bash):
# a scratch directory $work; everything started and put in $pids stopped
# (by PID), and the directory removed, when the script exits; and a
# simulated fleet on loopback. Needs $root, the checkout.

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# start_fleet DEVSIM [ARG...]: starts the devsim binary DEVSIM with the
# arguments given, its inventory in $work/devices.yaml, and waits (bounded)
# until it is written; on failure says why, with devsim's log.
start_fleet() {
  local devsim="$1"
  shift
  "$devsim" "$@" --inventory-out "$work/devices.yaml" 2>"$work/devsim.log" &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 1 600); do
    [ -s "$work/devices.yaml" ] && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "devsim did not start: $(cat "$work/devsim.log")" >&2
  return 1
}
