// What a run checks before it touches any device, and the platform
// definitions it carries to the agents.
#ifndef NETSHARD_COORDINATOR_ENGINE_RUN_CHECKS_H_
#define NETSHARD_COORDINATOR_ENGINE_RUN_CHECKS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/inventory/inventory.h"
#include "common/platform/platform_set.h"
#include "netshard/v1/agent.pb.h"

namespace netshard {

// A config run needs every device's platform to have a configuration mode;
// the error names each device that has none, with its inventory line.
absl::Status CheckConfigurable(const Inventory& inventory, const v1::RunSpec& spec);

// An error unless `address` ("" : none) is an IP address of this machine
// that connections can leave from.
absl::Status CheckSourceAddress(const std::string& address);

// Puts into `spec` the definitions the run needs: each platform a device
// names, and every detectable one when a device autodetects.
void AddPlatformDefinitions(const std::vector<const Platform*>& used, const PlatformSet& platforms,
                            v1::RunSpec* spec);

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_ENGINE_RUN_CHECKS_H_
