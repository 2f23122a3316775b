// The configuration a run applies: lines from --config and --config-file,
// and the check that every device can take them.
#ifndef NETSHARD_COORDINATOR_CLI_CONFIG_LINES_H_
#define NETSHARD_COORDINATOR_CLI_CONFIG_LINES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/inventory.h"
#include "netshard/v1/agent.pb.h"

namespace netshard {

// `lines` then the lines of `file` ("" for none), skipping blank lines and
// '!' or '#' comments. Errors name the file.
absl::StatusOr<std::vector<std::string>> ConfigLines(const std::vector<std::string>& lines,
                                                     const std::string& file);

// A config run needs every device's platform to have a configuration mode;
// the error names each device that has none, with its inventory line.
absl::Status CheckConfigurable(const Inventory& inventory, const v1::RunSpec& spec);

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_CLI_CONFIG_LINES_H_
