#include "coordinator/engine/run_checks.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/host_port.h"

namespace netshard {

absl::Status CheckConfigurable(const Inventory& inventory, const v1::RunSpec& spec) {
  if (spec.config_lines().empty()) return absl::OkStatus();
  std::vector<std::string> unfit;
  for (const Device& device : inventory.devices) {
    // An autodetected device is checked once its platform is known.
    if (device.platform->has_config || device.platform->name == kAutodetect) continue;
    unfit.push_back(absl::StrCat(inventory.source, ":", device.line, ": ", device.name, " (",
                                 device.device_type, ")"));
    if (unfit.size() == 10) {
      unfit.push_back("...");
      break;
    }
  }
  if (unfit.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("--config: these devices have no configuration mode: ",
                   absl::StrJoin(unfit, "; ")));
}

absl::Status CheckSourceAddress(const std::string& address) {
  if (address.empty()) return absl::OkStatus();
  std::string problem = SourceAddressProblem(address);
  if (problem.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("--source-address: ", problem));
}

void AddPlatformDefinitions(const std::vector<const Platform*>& used, const PlatformSet& platforms,
                            v1::RunSpec* spec) {
  std::set<const Platform*> chosen;
  for (const Platform* platform : used) {
    if (platform->name != kAutodetect) {
      chosen.insert(platform);
      continue;
    }
    for (const Platform* candidate : platforms.All()) {
      if (!candidate->detect_commands.empty()) chosen.insert(candidate);
    }
  }
  for (const Platform* platform : chosen) {
    v1::PlatformDefinition* definition = spec->add_platforms();
    definition->set_source(platform->source);
    definition->set_text(platform->definition);
  }
}

}  // namespace netshard
