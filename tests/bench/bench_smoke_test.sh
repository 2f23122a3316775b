#!/usr/bin/env bash
# The benchmark scripts on a tiny fleet, so a change that breaks them (a
# flag renamed, a tool missing, a client that no longer completes) fails
# CI. Checks that every client of every table finished every device; never
# looks at a timing.
#
#   tests/bench/bench_smoke_test.sh BUILD_DIR
set -euo pipefail
export BUILD_DIR="$1"
bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT

# The table's data rows: not its header or rule.
data_rows() { grep -E '^\| ' "$out" | grep -vE '^\| (client|run|parser|---) ' || true; }

# check TABLE ROWS DEVICES: ROWS client rows, each ending "| DEVICES/DEVICES |".
check() {
  local rows
  rows=$(data_rows | wc -l)
  if [ "$rows" -ne "$2" ] || data_rows | grep -vq "| $3/$3 |\$"; then
    echo "bench smoke: $1: expected $2 rows with $3/$3 ok:" >&2
    cat "$out" >&2
    exit 1
  fi
}

DEVICES=12 LIMIT=4 RUNS=1 AGENT_COUNTS="2" "$bench/compare_tools.sh" >"$out"
check "compare_tools (devsim)" 8 12
FLEET=sshd DEVICES=18 LIMIT=6 RUNS=1 TOOLS="floor netshard exec pssh clush" \
  "$bench/compare_tools.sh" >"$out"
check "compare_tools (sshd)" 5 18
DEVICES=12 RUNS=1 WORKERS=3 AGENT_COUNTS="1 2" "$bench/run_fleet.sh" >"$out"
rows=$(data_rows | wc -l)
[ "$rows" -eq 3 ] || { echo "bench smoke: run_fleet: expected 3 rows:" >&2; cat "$out" >&2; exit 1; }
library="$bench/../../../shared/ntc-templates"
if [ -d "$library/templates" ]; then
  SECONDS_EACH=0.2 "$bench/compare_parsers.sh" "$library" >"$out"
  rows=$(data_rows | grep -c '| 1[0-9][0-9][0-9] |' || true)  # both parsers saw every fixture
  [ "$rows" -eq 2 ] || { echo "bench smoke: compare_parsers:" >&2; cat "$out" >&2; exit 1; }
fi
DEVICES=12 RUNS=1 NAP=3 "$bench/slow_peers.sh" >"$out"
if ! grep -q '^| devices ok of 12 | 12 |$' "$out" || ! grep -q '^| agents reported lost | 0 |$' "$out"; then
  echo "bench smoke: slow_peers:" >&2; cat "$out" >&2; exit 1
fi
echo "bench smoke: ok"
