#!/usr/bin/env bash
# netshard's TextFSM against python3-textfsm (clitable, what Netmiko's
# use_textfsm runs) on the same inputs: every ntc-templates fixture, parsed
# again and again for SECONDS_EACH seconds (default 5; not SECONDS, which
# bash keeps counting itself), one process each, templates loaded once.
# Prints a markdown table of records/s and MB/s of output.
#
#   [SECONDS_EACH=5] [BUILD_DIR=build] tests/bench/compare_parsers.sh [NTC_TEMPLATES_DIR]
#   # NTC_TEMPLATES_DIR default: ../shared/ntc-templates
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="${BUILD_DIR:-$root/build}/bin"
library="${1:-$root/../shared/ntc-templates}"
seconds="${SECONDS_EACH:-5}"
for dir in "$library/templates" "$library/tests"; do
  if [ ! -d "$dir" ]; then
    echo "compare_parsers.sh: $dir: no such directory (NTC_TEMPLATES_DIR must be an" \
         "ntc-templates checkout, with templates/ and tests/)" >&2
    exit 2
  fi
done

row() {
  local label="$1" line
  shift
  line=$("$@")
  set -- $line
  printf '| %s | %s | %s | %s | %s |\n' "$label" "$2" "$4" "$6" "$8"
}

echo "ntc-templates fixtures, each parser for ${seconds} s, one core"
echo
echo "| parser | outputs | passes | records/s | MB/s |"
echo "| --- | --- | --- | --- | --- |"
row "netshard TextFSM (PCRE2 JIT)" "$bin/parse_bench" "$library" "$seconds"
row "python3-textfsm $(/usr/bin/python3 -c 'import textfsm; print(textfsm.__version__)') clitable" \
  /usr/bin/python3 "$root/tests/bench/parse_bench.py" "$library" "$seconds"
