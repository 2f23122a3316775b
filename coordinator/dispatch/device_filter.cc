#include "coordinator/dispatch/device_filter.h"

#include <fnmatch.h>

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace netshard {
namespace {

constexpr const char* kKeys[] = {"name", "ip", "host", "device_type", "platform", "segment",
                                 "group"};

// The device's value for `key`; nullopt when it has none.
std::optional<std::string> ValueOf(const Device& device, const std::string& key) {
  if (key == "name") return device.name;
  if (key == "ip" || key == "host") return device.address;
  if (key == "device_type") return device.device_type;
  if (key == "platform") return device.platform->name;
  if (key == "segment") return device.segment;
  if (key == "group") return device.group;
  auto var = device.vars.find(key);
  if (var == device.vars.end()) return std::nullopt;
  return var->second;
}

}  // namespace

absl::StatusOr<Inventory> SelectDevices(const Inventory& inventory, const DeviceFilter& filter) {
  std::set<std::string> groups;
  std::set<std::string> keys(std::begin(kKeys), std::end(kKeys));
  for (const Device& device : inventory.devices) {
    groups.insert(device.group);
    for (const auto& [key, value] : device.vars) keys.insert(key);
  }
  for (const std::string& group : filter.groups) {
    if (groups.count(group) == 0) {
      return absl::InvalidArgumentError(absl::StrCat("--group ", group, ": no such group in ",
                                                     inventory.source, " (groups: ",
                                                     absl::StrJoin(groups, ", "), ")"));
    }
  }
  std::vector<std::pair<std::string, std::string>> tests;
  for (const std::string& text : filter.filters) {
    size_t equals = text.find('=');
    if (equals == std::string::npos || equals == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("--filter '", text, "': expected KEY=VALUE (VALUE may use * and ?)"));
    }
    std::string key = text.substr(0, equals);
    if (keys.count(key) == 0) {
      return absl::InvalidArgumentError(absl::StrCat("--filter '", text, "': no device has '",
                                                     key, "' (keys: ", absl::StrJoin(keys, ", "),
                                                     ")"));
    }
    tests.emplace_back(std::move(key), text.substr(equals + 1));
  }
  Inventory selected;
  selected.source = inventory.source;
  std::set<std::string> wanted(filter.groups.begin(), filter.groups.end());
  for (const Device& device : inventory.devices) {
    if (!wanted.empty() && wanted.count(device.group) == 0) continue;
    bool match = true;
    for (const auto& [key, glob] : tests) {
      std::optional<std::string> value = ValueOf(device, key);
      match = match && value && fnmatch(glob.c_str(), value->c_str(), 0) == 0;
    }
    if (!match) continue;
    selected.devices.push_back(device);
    if (filter.limit_to > 0 && static_cast<int>(selected.devices.size()) == filter.limit_to) break;
  }
  if (selected.devices.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("no device of ", inventory.source, " matches --group/--filter"));
  }
  return selected;
}

}  // namespace netshard
