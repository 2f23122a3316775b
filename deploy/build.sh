#!/usr/bin/env bash
# Installs missing dependencies and builds netshard into build/ (or $BUILD_DIR):
# a Release build, warnings as errors (our own compiler, our own rule).
# Extra arguments go to CMake's configure step and win over these, e.g.
# -DNETSHARD_SANITIZE=address; $NETSHARD_TARGETS, if set, names the targets
# to build instead of all.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${BUILD_DIR:-$root/build}"

"$root/deploy/install-deps.sh"
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DNETSHARD_WERROR=ON "$@" >&2
# shellcheck disable=SC2086  # a list of target names
cmake --build "$build_dir" ${NETSHARD_TARGETS:+--target $NETSHARD_TARGETS} >&2
