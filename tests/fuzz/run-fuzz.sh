#!/usr/bin/env bash
# Builds the fuzz targets with clang (libFuzzer + ASan), then fuzzes prompt
# detection and output cleaning, TextFSM templates and parsing, and the
# inventory loader in every format, for a bounded time (split between them). Any crash, leak or input slower than
# -timeout fails the script and leaves the input in build-fuzz/.
#
#   tests/fuzz/run-fuzz.sh            # 60 s
#   FUZZ_SECONDS=600 tests/fuzz/run-fuzz.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build_dir="$root/build-fuzz"
seconds="${FUZZ_SECONDS:-60}"

"$root/deploy/install-deps.sh"
if ! command -v clang++ >/dev/null || ! dpkg-query -W libclang-rt-14-dev >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    clang libclang-rt-14-dev >&2
fi

cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DNETSHARD_FUZZ=ON -DNETSHARD_WERROR=ON >&2
cmake --build "$build_dir" --target terminal_text_fuzzer textfsm_fuzzer inventory_fuzzer >&2

corpus="$build_dir/fuzz-corpus"
mkdir -p "$corpus"
cp -n "$root"/tests/fuzz/corpus/* "$corpus"/
cd "$build_dir"
"$build_dir/bin/terminal_text_fuzzer" -max_total_time=$((seconds / 3)) -timeout=5 \
  -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 "$corpus"
mkdir -p "$build_dir/textfsm-corpus"
cp -n "$root"/tests/fuzz/corpus/* "$build_dir/textfsm-corpus"/
"$build_dir/bin/textfsm_fuzzer" -max_total_time=$((seconds / 3)) -timeout=5 \
  -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 "$build_dir/textfsm-corpus"
# Seeds: every inventory the tests read, each behind a format byte.
inventory_corpus="$build_dir/inventory-corpus"
mkdir -p "$inventory_corpus"
byte=0
while IFS= read -r -d '' file; do
  { printf "\\$(printf '%03o' $((byte % 6)))"; cat "$file"; } >"$inventory_corpus/seed-$byte"
  byte=$((byte + 1))
done < <(find "$root/tests/data/inventories" "$root/tests/data/course_devices.yaml" -type f -print0)
"$build_dir/bin/inventory_fuzzer" -max_total_time=$((seconds - 2 * (seconds / 3))) -timeout=5 \
  -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 "$inventory_corpus"
