#include "coordinator/output/detected_inventory.h"

#include <fstream>

#include "absl/strings/str_cat.h"
#include "yaml-cpp/yaml.h"

namespace netshard {

void DetectedInventory::Accept(v1::DeviceResult result) {
  {
    MutexLock lock(&mu_);
    v1::DeviceResult& kept = found_[result.job_id()];
    kept.set_platform(result.platform());
    if (result.has_error()) *kept.mutable_error() = result.error();
  }
  next_->Accept(std::move(result));
}

absl::Status DetectedInventory::Write(const std::string& path) const {
  YAML::Emitter out;
  out << YAML::Comment(absl::StrCat(
             "Written by coord run --detect-only from ", source_,
             ". Credentials are not copied: give them with defaults:, password_env: or "
             "--ask-pass."))
      << YAML::Newline << YAML::BeginMap;
  std::vector<std::string> groups;  // in the order they first appear
  for (const Device& device : devices_) {
    if (std::find(groups.begin(), groups.end(), device.group) == groups.end()) {
      groups.push_back(device.group);
    }
  }
  MutexLock lock(&mu_);
  for (const std::string& group : groups) {
    out << YAML::Key << group << YAML::Value << YAML::BeginSeq;
    for (size_t i = 0; i < devices_.size(); ++i) {
      const Device& device = devices_[i];
      if (device.group != group) continue;
      auto it = found_.find(i);
      bool detected = it != found_.end() && !it->second.platform().empty() &&
                      !it->second.has_error();
      out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << device.name
          << YAML::Key << "host" << YAML::Value << device.address << YAML::Key << "port"
          << YAML::Value << device.port << YAML::Key << "device_type" << YAML::Value
          << (detected ? it->second.platform() : device.device_type);
      if (!detected) {
        out << YAML::Comment(it == found_.end() ? "not run"
                                                : absl::StrCat("not detected: ",
                                                               it->second.error().message()));
      }
      if (!device.username.empty()) out << YAML::Key << "username" << YAML::Value << device.username;
      if (!device.segment.empty()) out << YAML::Key << "segment" << YAML::Value << device.segment;
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
  std::ofstream file(path);
  file << out.c_str() << "\n";
  file.close();
  if (!file) return absl::InvalidArgumentError(absl::StrCat("--detect-out ", path, ": cannot write it"));
  return absl::OkStatus();
}

}  // namespace netshard
