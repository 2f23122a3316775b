// The configuration a run applies: lines from --config and --config-file.
#ifndef NETSHARD_COORDINATOR_CLI_CONFIG_LINES_H_
#define NETSHARD_COORDINATOR_CLI_CONFIG_LINES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace netshard {

// `lines` then the lines of `file` ("" for none), skipping blank lines and
// '!' or '#' comments. Errors name the file.
absl::StatusOr<std::vector<std::string>> ConfigLines(const std::vector<std::string>& lines,
                                                     const std::string& file);

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_CLI_CONFIG_LINES_H_
