#!/usr/bin/env bash
# Writes a gzipped man page for a program (or one of its subcommands) from
# its own --help and --version, through help2man, with the hand-written
# sections of INCLUDE (inventory fields, exit statuses, examples). A
# subcommand's page (coord-run) is named after it, described by the first
# line of its --help.
#
#   deploy/man/make-man.sh BINARY SECTION INCLUDE OUT.gz [SUBCOMMAND]
#
# $HELP2MAN names the help2man to run (CMake passes the one it found).
set -euo pipefail
binary="$1"
section="$2"
include="$3"
out="$4"
subcommand="${5:-}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
help_option="--help"
includes=(--include="$include")
if [ -n "$subcommand" ]; then
  help_option="$subcommand --help"
  page="$(basename "$binary")-$subcommand"
  summary="$("$binary" "$subcommand" --help | head -n 1)"
  printf '[NAME]\n%s \\- %s\n' "${page//-/\\-}" "${summary,}" >"$work/name.h2m"
  includes+=(--include="$work/name.h2m")
fi
# The date of the source (its last commit), not of the build or the clone,
# so that packages reproduce; a tree outside git falls back to the file's.
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  SOURCE_DATE_EPOCH="$(git -C "$(dirname "$include")" log -1 --format=%ct 2>/dev/null || true)"
  [ -n "$SOURCE_DATE_EPOCH" ] || SOURCE_DATE_EPOCH="$(stat -c %Y "$include")"
fi
export SOURCE_DATE_EPOCH
"${HELP2MAN:-help2man}" --no-info --no-discard-stderr --section="$section" "${includes[@]}" \
  --help-option="$help_option" --version-option=--version --output="$work/page" "$binary"
gzip -9n <"$work/page" >"$out"
