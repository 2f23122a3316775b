#!/usr/bin/env bash
# How long `coord plan` takes to read an inventory, and its peak RSS, for
# each format at 10k / 100k / 1M devices (tests/bench/inventory_files.py
# writes them; nothing is contacted). Prints a markdown table.
#
#   tests/bench/inventory_load.sh                  # SIZES="10000 100000 1000000"
#   SIZES=100000 FORMATS="course csv" tests/bench/inventory_load.sh
#   OLD_COORD=/tmp/old/bin/coord OLD_LABEL=0.6 tests/bench/inventory_load.sh  # and an older build's (course)
#
# A script, not a test: it asserts nothing about timings, but a format that
# fails to load stops it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="${BUILD_DIR:-$root/build}/bin"
sizes="${SIZES:-10000 100000 1000000}"
formats="${FORMATS:-course nornir ansible ansible-yaml netmiko csv}"
old_coord="${OLD_COORD:-}"
old_label="${OLD_LABEL:-before}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

path_of() {
  case "$1" in
    course) echo "$2/devices.yaml" ;;
    nornir) echo "$2/nornir" ;;
    ansible) echo "$2/ansible/hosts" ;;
    ansible-yaml) echo "$2/ansible.yml" ;;
    netmiko) echo "$2/.netmiko.yml" ;;
    csv) echo "$2/devices.csv" ;;
  esac
}

# measure COORD PATH: "seconds KiB" of `coord plan -i PATH`.
measure() {
  /usr/bin/time -f "%e %M" -o "$work/time" "$1" plan -i "$2" > "$work/plan.out" 2> "$work/plan.err" ||
    { echo "bench: $1 plan -i $2 failed: $(cat "$work/plan.err")" >&2; exit 1; }
  grep -q "runs all" "$work/plan.out" || { echo "bench: unexpected plan: $(cat "$work/plan.out")" >&2; exit 1; }
  cat "$work/time"
}

echo "| format | devices | file MB | load s | peak RSS MB | KB per device |"
echo "|---|---:|---:|---:|---:|---:|"
for size in $sizes; do
  dir="$work/$size"
  python3 "$root/tests/bench/inventory_files.py" "$dir" "$size"
  for format in $formats; do
    path="$(path_of "$format" "$dir")"
    read -r seconds kib < <(measure "$bin/coord" "$path")
    mb=$(du -sm "$path" | cut -f1)
    printf '| %s | %d | %s | %.2f | %d | %.2f |\n' "$format" "$size" "$mb" "$seconds" \
      $((kib / 1024)) "$(awk -v k="$kib" -v n="$size" 'BEGIN {print k / n}')"
  done
  if [ -n "$old_coord" ]; then
    read -r seconds kib < <(measure "$old_coord" "$dir/devices.yaml")
    printf '| course (%s) | %d | %s | %.2f | %d | %.2f |\n' "$old_label" \
      "$size" "$(du -sm "$dir/devices.yaml" | cut -f1)" "$seconds" $((kib / 1024)) \
      "$(awk -v k="$kib" -v n="$size" 'BEGIN {print k / n}')"
  fi
  rm -rf "$dir"
done
