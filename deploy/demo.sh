#!/usr/bin/env bash
# The main job, on a simulated fleet: installs and builds what is missing,
# starts devsim on loopback, runs `coord run --cmd "sh clock"` with the
# embedded engine (no agents) from a folder whose devices.yaml devsim wrote,
# then stops devsim.
#
#   deploy/demo.sh                          # 100 devices
#   DEVICES=1000 deploy/demo.sh --format jsonl --order input
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${BUILD_DIR:-$root/build}/bin"
devices="${DEVICES:-100}"

# Only what the demo runs, not the test suite.
NETSHARD_TARGETS="coord agent devsim" "$root/deploy/build.sh"

# $work, stopping devsim at exit; start_fleet.
source "$root/deploy/fleet_lib.sh"
start_fleet "$bin/devsim" --count "$devices"

cd "$work"
# devsim's host keys are throwaway, so the demo remembers them in its own
# known_hosts file rather than in ~/.ssh/known_hosts.
echo "demo: $devices simulated devices; running: coord run --cmd \"sh clock\" --known-hosts known_hosts $*" >&2
status=0
"$bin/coord" run --cmd "sh clock" --known-hosts known_hosts "$@" || status=$?
exit "$status"
