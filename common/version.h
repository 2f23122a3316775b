// The version every netshard program reports (--version, agent hello,
// `coord agents`): CMake's project(VERSION), and the git commit built from.
#ifndef NETSHARD_COMMON_VERSION_H_
#define NETSHARD_COMMON_VERSION_H_

#include <string>

#include "absl/strings/string_view.h"

namespace netshard {

// "0.1.0".
const char* Version();

// "abc123def456", "abc123def456-dirty", or "unknown" (not built from git).
const char* Commit();

// What `program --version` prints: "coord 0.1.0 (commit abc123def456)".
std::string VersionLine(absl::string_view program);

}  // namespace netshard

#endif  // NETSHARD_COMMON_VERSION_H_
