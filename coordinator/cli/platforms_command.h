// `coord platforms`: every platform coord knows (built in, or from
// --platforms / $NETSHARD_PLATFORMS), with its aliases and what it supports;
// `coord platforms NAME` prints one platform's definition file.
#ifndef NETSHARD_COORDINATOR_CLI_PLATFORMS_COMMAND_H_
#define NETSHARD_COORDINATOR_CLI_PLATFORMS_COMMAND_H_

#include <iosfwd>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "common/platform/platform_set.h"
#include "netshard/v1/agent.pb.h"

namespace netshard {

struct PlatformsFlags {
  std::string name;  // empty: list them all
};

CLI::App* AddPlatformsCommand(CLI::App* app, PlatformsFlags* flags);

// Exit status: 0, or 2 for a name no platform has.
int PlatformsCommand(const PlatformsFlags& flags, const PlatformSet& platforms, std::ostream& out,
                     std::ostream& err);

// The platform directories to load: $NETSHARD_PLATFORMS (':'-separated),
// then each --platforms given.
std::vector<std::string> PlatformDirs(const std::string& env_value,
                                      const std::vector<std::string>& flags);

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_CLI_PLATFORMS_COMMAND_H_
