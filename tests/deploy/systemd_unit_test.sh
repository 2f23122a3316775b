#!/usr/bin/env bash
# deploy/systemd/netshard-agent.service passes `systemd-analyze verify` with
# no complaint at all (unknown keys are only warnings there, so any output
# fails), pointed at the agent just built; and every flag it passes is one
# that agent accepts. Skips, saying so, where systemd-analyze is missing.
#
#   tests/deploy/systemd_unit_test.sh UNIT AGENT_BINARY
set -euo pipefail
unit="$1"
agent="$2"
if ! command -v systemd-analyze >/dev/null; then
  echo "systemd_unit_test: SKIPPED: no systemd-analyze on this machine"
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sed "s|/usr/local/bin/netshard-agent|$agent|" "$unit" >"$work/netshard-agent.service"
# --man=no: the unit names agent(8), which a build tree has not installed
# (tests/deploy/package_test.sh verifies the installed unit with it).
if ! systemd-analyze verify --man=no "$work/netshard-agent.service" >"$work/out" 2>&1 ||
  [ -s "$work/out" ]; then
  echo "systemd_unit_test: systemd-analyze verify $unit:" >&2
  cat "$work/out" >&2
  exit 1
fi
"$agent" --help >"$work/help"
for flag in $(grep -E '^ +--' "$unit" | grep -o -- '--[a-z-]*' | sort -u); do
  grep -q -- "$flag " "$work/help" || { echo "systemd_unit_test: $unit: agent has no $flag" >&2; exit 1; }
done
echo "systemd_unit_test: $unit verified"
