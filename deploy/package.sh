#!/usr/bin/env bash
# Builds the Debian packages into build/ (or $BUILD_DIR), from a Release build
# of only what they hold:
#   netshard        coord, devsim, platform files, man pages, bash completion
#   netshard-agent  agent, its systemd unit and settings, a system user
#   python3-netshard  `import netshard` (when python3-dev and pybind11-dev are there)
#
#   deploy/package.sh && sudo apt-get install ./build/*netshard*.deb
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${BUILD_DIR:-$root/build}"
export BUILD_DIR="$build_dir"

# Packaging builds just these; tests need not be built to be packaged.
NETSHARD_TARGETS="coord agent devsim netshard_docs netshard_python" \
  "$root/deploy/build.sh" -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON "$@"
rm -f "$build_dir"/*netshard*.deb
cpack -G DEB --config "$build_dir/CPackConfig.cmake" -B "$build_dir" >&2
ls "$build_dir"/*netshard*.deb
