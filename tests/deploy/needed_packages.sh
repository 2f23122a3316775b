#!/usr/bin/env bash
# Prints, one per line, the Debian packages owning the shared libraries the
# given binaries link directly (readelf NEEDED), less the sanitizer runtimes
# of the ASan/TSan test builds.
#
#   tests/deploy/needed_packages.sh BINARY...
set -euo pipefail
needed=""
for binary in "$@"; do
  [ -x "$binary" ] || { echo "needed_packages: $binary: not built" >&2; exit 1; }
  for so in $(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    # Read every line (no early exit): with pipefail, a writer cut off by
    # SIGPIPE would fail the script at random.
    # "libx.so => /path (addr)", or the loader's "/lib64/ld-linux….so.2 (addr)".
    path=$(ldd "$binary" | awk -v so="$so" '
      !found && $1 == so && $2 == "=>" {print $3; found = 1}
      !found && $1 ~ "/" && $2 != "=>" {n = split($1, part, "/"); if (part[n] == so) {print $1; found = 1}}')
    [ -n "$path" ] || { echo "needed_packages: $binary: $so not found by ldd" >&2; exit 1; }
    # dpkg knows a file by one of its names (merged /usr: /lib or /usr/lib).
    package=""
    for name in "$path" "$(readlink -f "$path")" "${path/#\/lib\//\/usr\/lib\/}" \
                "${path/#\/usr\/lib\//\/lib\/}"; do
      package=$(dpkg -S "$name" 2>/dev/null | sed -n '1s/:.*//p') && [ -n "$package" ] && break
    done
    [ -n "$package" ] || { echo "needed_packages: $path: no Debian package owns it" >&2; exit 1; }
    needed+="$package"$'\n'
  done
done
printf '%s' "$needed" | grep -vxE 'libasan8|libtsan2|libubsan1' | sort -u
