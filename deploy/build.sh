#!/usr/bin/env bash
# Installs missing dependencies and builds netshard into build/ (or $BUILD_DIR).
# Extra arguments go to CMake's configure step, e.g. -DNETSHARD_SANITIZE=address.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${BUILD_DIR:-$root/build}"

"$root/deploy/install-deps.sh"
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >&2
cmake --build "$build_dir" >&2
