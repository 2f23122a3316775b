#!/usr/bin/env bash
# Installs missing dependencies, builds, and runs the whole test suite
# (unit, integration against devsim and OpenSSH's sshd, end to end).
#
#   tests/run-tests.sh                     # the suite CI runs
#   tests/run-tests.sh --sanitize address  # the same under ASan (build-address/)
#   tests/run-tests.sh --sanitize thread   # under TSan (build-thread/)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

sanitize=""
if [ "${1:-}" = "--sanitize" ]; then
  sanitize="${2:?--sanitize needs address or thread}"
  shift 2
fi

if [ -n "$sanitize" ]; then
  export BUILD_DIR="${BUILD_DIR:-$root/build-$sanitize}"
  # Optimised, with line tables for the sanitizer's reports.
  "$root/deploy/build.sh" -DNETSHARD_SANITIZE="$sanitize" -DCMAKE_BUILD_TYPE=RelWithDebInfo
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
  # ignore_noninstrumented_modules: a memcpy that gRPC or protobuf (built
  # without TSan) makes is not checked; each such access was a suppressed
  # race report, and reports on every chunk of a large output made a
  # coordinator draining a backlog so slow that its agent took it for stalled.
  export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ignore_noninstrumented_modules=1 suppressions=$root/tests/tsan.supp"
else
  export BUILD_DIR="${BUILD_DIR:-$root/build}"
  "$root/deploy/build.sh"
fi

# The 10,000-device scale test is about throughput, not memory or race
# checks; sanitized builds run the same code at 1,000 sessions instead.
# Netmiko checks devsim's behaviour as a client sees it (75 s of Netmiko's
# own sleeps), which a sanitizer does not change; nor the benchmark smoke,
# nor the deployment files' checks (they read manifests and what the
# binaries link, which in a sanitized build includes the sanitizer).
exclude=()
[ -n "$sanitize" ] && exclude=(-LE 'scale|netmiko|bench|deploy')
ctest --test-dir "$BUILD_DIR" --output-on-failure --timeout 600 "${exclude[@]}" "$@"
