# Writes OUT: the project VERSION and the git commit SOURCE_DIR is at, as
# C macros, for --version. Run at every build (a commit needs no
# reconfigure), it rewrites OUT only when that changes, so nothing else
# rebuilds. Outside a git checkout (a source tarball) the commit is
# "unknown"; uncommitted changes add "-dirty".
execute_process(COMMAND git -C "${SOURCE_DIR}" rev-parse --short=12 HEAD
                OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE
                ERROR_QUIET RESULT_VARIABLE failed)
if(failed OR commit STREQUAL "")
  set(commit "unknown")
else()
  execute_process(COMMAND git -C "${SOURCE_DIR}" diff --quiet HEAD --
                  RESULT_VARIABLE dirty ERROR_QUIET)
  if(dirty)
    string(APPEND commit "-dirty")
  endif()
endif()
set(text "#define NETSHARD_VERSION \"${VERSION}\"\n#define NETSHARD_COMMIT \"${commit}\"\n")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUT}" "${text}")
endif()
