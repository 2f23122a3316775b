#!/usr/bin/env bash
# The container image cannot drift from what CI builds and tests: its build
# stage runs the same deploy/install-deps.sh and deploy/package.sh, and its
# runtime stage installs exactly those packages (their Depends, checked by
# tests/deploy/package_test.sh, bring the libraries), copying no binary.
#
#   tests/deploy/container_packages_test.sh DOCKERFILE
set -euo pipefail
dockerfile="$1"
fail() { echo "container_packages_test: $*" >&2; exit 1; }

grep -q '^FROM debian:12 AS build$' "$dockerfile" || fail "$dockerfile: build on Debian 12"
grep -q '^RUN deploy/install-deps.sh && BUILD_DIR=/src/build deploy/package.sh$' "$dockerfile" ||
  fail "$dockerfile: the build stage must run deploy/install-deps.sh and deploy/package.sh"
grep -q '^COPY --from=build /src/build/netshard_\*.deb /src/build/netshard-agent_\*.deb /tmp/packages/$' \
  "$dockerfile" || fail "$dockerfile: the runtime stage must take both packages from the build"
grep -q '^ *apt-get install .*\|^ */tmp/packages/\*.deb' "$dockerfile" ||
  fail "$dockerfile: the runtime stage must apt-get install the packages"
if grep -n 'COPY --from=build .*/bin/' "$dockerfile"; then
  fail "$dockerfile: copies binaries instead of installing the packages"
fi
grep -q '^USER netshard$' "$dockerfile" || fail "$dockerfile: run as the package's netshard user"
echo "container_packages_test: $dockerfile installs the packages deploy/package.sh builds"
