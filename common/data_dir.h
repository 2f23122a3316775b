// Where an installed program finds its data: <prefix>/share/netshard when the
// program runs as <prefix>/bin/NAME (`cmake --install`, the Debian packages).
// Found from the running executable, so a tree installed under any prefix,
// or moved, still finds its own files, and nothing points into the source.
#ifndef NETSHARD_COMMON_DATA_DIR_H_
#define NETSHARD_COMMON_DATA_DIR_H_

#include <string>

namespace netshard {

// <prefix>/share/netshard for `executable` at <prefix>/bin/NAME, if that
// directory exists; empty otherwise (a build tree has none).
std::string DataDirFor(const std::string& executable);

// DataDirFor the running program (/proc/self/exe).
std::string InstalledDataDir();

}  // namespace netshard

#endif  // NETSHARD_COMMON_DATA_DIR_H_
