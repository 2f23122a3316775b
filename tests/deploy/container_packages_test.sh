#!/usr/bin/env bash
# The container image cannot drift from what CI builds and tests:
#  - its build stage runs the same deploy/install-deps.sh and deploy/build.sh;
#  - its runtime package list is exactly the packages owning the shared
#    libraries the built agent and coord link directly (readelf NEEDED),
#    less what every Debian image has (libc6, libgcc-s1, libstdc++6) and
#    the sanitizer runtimes of the ASan/TSan test builds.
#
#   tests/deploy/container_packages_test.sh DOCKERFILE BIN_DIR
set -euo pipefail
dockerfile="$1"
bin="$2"
fail() { echo "container_packages_test: $*" >&2; exit 1; }

grep -q '^RUN deploy/install-deps.sh && BUILD_DIR=/src/build deploy/build.sh$' "$dockerfile" ||
  fail "$dockerfile: the build stage must run deploy/install-deps.sh and deploy/build.sh"
grep -q '^FROM debian:12' "$dockerfile" || fail "$dockerfile: base must be Debian 12"

listed=$(sed -n '/RUNTIME_PACKAGES_BEGIN/,/RUNTIME_PACKAGES_END/p' "$dockerfile" |
  grep -o '^ *lib[a-z0-9.+-]*' | tr -d ' ' | sort -u)
[ -n "$listed" ] || fail "$dockerfile: no runtime package list between the markers"

needed=""
for binary in "$bin/agent" "$bin/coord"; do
  [ -x "$binary" ] || fail "$binary: not built"
  for so in $(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    # Read every line (no early exit): with pipefail, a writer cut off by
    # SIGPIPE would fail the script at random.
    path=$(ldd "$binary" | awk -v so="$so" '$1 == so && !found {print $3; found = 1}')
    [ -n "$path" ] || fail "$binary: $so not found by ldd"
    # dpkg knows a file by one of its names (merged /usr: /lib or /usr/lib).
    package=""
    for name in "$path" "$(readlink -f "$path")" "${path/#\/lib\//\/usr\/lib\/}" \
                "${path/#\/usr\/lib\//\/lib\/}"; do
      package=$(dpkg -S "$name" 2>/dev/null | sed -n '1s/:.*//p') && [ -n "$package" ] && break
    done
    [ -n "$package" ] || fail "$path: no Debian package owns it"
    needed+="$package"$'\n'
  done
done
# Sanitizer runtimes appear only in the ASan/TSan test builds, never in the image.
needed=$(printf '%s' "$needed" | grep -vxE 'libc6|libgcc-s1|libstdc\+\+6|libasan8|libtsan2|libubsan1' |
  sort -u)

# Every package the binaries need must be listed, or come with a listed one
# (a library may link one its own package depends on, e.g. libssl3 via
# libgrpc29); every listed one must be needed, so the list stays exact.
closure=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
  --no-replaces --no-enhances $listed 2>/dev/null | grep -v '^ ' | sed 's/:.*//' | sort -u)
missing=$(comm -23 <(echo "$needed") <(echo "$closure"))
stale=$(comm -13 <(echo "$needed") <(echo "$listed"))
if [ -n "$missing" ] || [ -n "$stale" ]; then
  echo "container_packages_test: $dockerfile runtime packages differ from what the binaries link" >&2
  for package in $missing; do echo "  needed, not listed: $package" >&2; done
  for package in $stale; do echo "  listed, not needed: $package" >&2; done
  exit 1
fi
echo "container_packages_test: runtime packages cover the binaries: $(echo $listed)"
