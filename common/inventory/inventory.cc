#include "common/inventory/inventory.h"

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/inventory/inventory_builder.h"
#include "common/inventory/inventory_files.h"
#include "common/inventory/yaml_tree.h"
#include "common/status_macros.h"

namespace netshard {
namespace {

// The first 64 KiB, to recognise the format by.
std::string Head(const InventoryInput& input) {
  if (input.text) return input.text->substr(0, 65536);
  std::ifstream file(input.path, std::ios::binary);
  std::string head(65536, '\0');
  file.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(file.gcount()));
  return head;
}

// Whether `folder` holds Nornir's groups or defaults file, as a hosts.yaml
// of Nornir's has beside it.
bool HasNornirFiles(const std::string& folder) {
  return !FindBeside(folder, "groups").empty() || !FindBeside(folder, "defaults").empty();
}

// The format of `input`, from its name and its first lines.
std::string DetectFormat(const InventoryInput& input) {
  const std::string base = absl::AsciiStrToLower(BaseNameOf(input.path));
  if (!input.text && IsFolder(input.path)) {
    // Nornir's folder has hosts.yaml with groups/defaults beside it; an
    // Ansible inventory folder often holds a hosts.yml alone.
    std::string hosts = FindBeside(input.path, "hosts");
    if (hosts.empty()) return "ansible";
    if (HasNornirFiles(input.path)) return "nornir";
    return DetectFormat(InventoryInput{hosts, std::nullopt}) == "ansible" ? "ansible" : "nornir";
  }
  if (absl::EndsWith(base, ".csv")) return "csv";
  if (absl::EndsWith(base, ".ini") || absl::EndsWith(base, ".cfg")) return "ansible";
  if (base == ".netmiko.yml" || base == "netmiko.yml" || base == ".netmiko.yaml") return "netmiko";
  std::string head = Head(input);
  // Whole lines only, so that the head parses as YAML.
  if (head.size() == 65536) head.resize(head.find_last_of('\n') + 1);
  if (LooksLikeAnsibleIni(head)) return "ansible";
  if ((base == "hosts.yaml" || base == "hosts.yml") && !input.text &&
      HasNornirFiles(FolderOf(input.path))) {
    return "nornir";
  }
  // YAML: what the top-level entries hold tells the formats apart.
  absl::StatusOr<YamlNode> root = ReadYamlText(head, input.path);
  if (!root.ok() || !root->IsMap()) return "course";
  for (size_t i = 0; i + 1 < root->items.size(); i += 2) {
    const std::string& key = root->items[i].scalar;
    const YamlNode& value = root->items[i + 1];
    if (key == "defaults" || key == "group_defaults") return "course";
    if (key == "all" && value.IsMap()) return "ansible";
    if (value.IsSequence()) {
      // A course group lists devices; a netmiko group lists device names.
      if (!value.items.empty() && value.items[0].IsScalar()) return "netmiko";
      continue;
    }
    if (!value.IsMap()) continue;
    if (value.Find("hosts") || value.Find("children")) return "ansible";
    if (value.Find("device_type") && !value.Find("ip")) return "netmiko";
    if (value.Find("hostname") || value.Find("platform") || value.Find("groups") ||
        value.Find("connection_options") || value.Find("data")) {
      return "nornir";
    }
  }
  return "course";
}

using Reader = absl::Status (*)(const InventoryInput&, InventoryBuilder&);

Reader ReaderOf(const std::string& format) {
  if (format == "course") return ReadCourseInventory;
  if (format == "nornir") return ReadNornirInventory;
  if (format == "ansible") return ReadAnsibleInventory;
  if (format == "netmiko") return ReadNetmikoInventory;
  if (format == "csv") return ReadCsvInventory;
  return nullptr;
}

absl::StatusOr<Inventory> Load(const InventoryInput& input, const InventoryOptions& options) {
  Inventory inventory;
  inventory.source = input.path;
  inventory.format = options.format.empty() ? DetectFormat(input) : options.format;
  // A Nornir folder's device lines are its hosts.yaml's.
  if (inventory.format == "nornir" && !input.text && IsFolder(input.path)) {
    if (std::string hosts = FindBeside(input.path, "hosts"); !hosts.empty()) {
      inventory.source = hosts;
    }
  }
  Reader reader = ReaderOf(inventory.format);
  if (reader == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("inventory format '", inventory.format,
                                                   "': expected one of ",
                                                   absl::StrJoin(InventoryFormats(), ", ")));
  }
  InventoryBuilder builder(options, &inventory);
  RETURN_IF_ERROR(reader(input, builder));
  RETURN_IF_ERROR(builder.Finish());
  return inventory;
}

// The first device (in file order) whose key equals an earlier device's,
// with that earlier one: {later, earlier}, or nullopt. Keys view the
// devices' own strings: nothing is copied.
template <typename Key, typename KeyOf>
std::optional<std::pair<size_t, size_t>> FirstDuplicate(const DeviceList& devices,
                                                        KeyOf key_of) {
  absl::flat_hash_map<Key, uint32_t> seen;
  seen.reserve(devices.size());
  for (size_t i = 0; i < devices.size(); ++i) {
    auto [it, added] = seen.emplace(key_of(devices[i]), static_cast<uint32_t>(i));
    if (!added) return std::pair<size_t, size_t>{i, it->second};
  }
  return std::nullopt;
}

}  // namespace

const std::vector<std::string>& InventoryFormats() {
  static const auto* formats =
      new std::vector<std::string>{"course", "nornir", "ansible", "netmiko", "csv"};
  return *formats;
}

const std::string* InventoryBuilder::File(const std::string& name) {
  for (const std::string& file : files_) {
    if (file == name) return &file;
  }
  files_.push_back(name);
  return &files_.back();
}

absl::Status InventoryBuilder::Add(const DeviceFields& fields) {
  CredentialSources sources;
  Device& device = inventory_->devices.emplace_back();
  absl::Status built =
      BuildDevice(fields, options_, &device, options_.record_sources ? &sources : nullptr);
  if (!built.ok()) {
    inventory_->devices.pop_back();
    return built;
  }
  if (options_.record_sources) inventory_->sources.push_back(std::move(sources));
  return absl::OkStatus();
}

void InventoryBuilder::Restart() {
  inventory_->devices.clear();
  inventory_->sources.clear();
}

absl::Status InventoryBuilder::Finish() {
  const DeviceList& devices = inventory_->devices;
  if (devices.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(inventory_->source, ": no devices"));
  }
  // Results, json keys and --output-dir files are named after the device,
  // and one address:port is one device: a second would be lost.
  using AddressPort = std::pair<absl::string_view, int>;
  if (auto dup = FirstDuplicate<AddressPort>(devices, [](const Device& d) {
        return AddressPort(d.address, d.port);
      })) {
    const Device& later = devices[dup->first];
    return absl::InvalidArgumentError(absl::StrCat(
        inventory_->source, ":", later.line, ": field 'ip': duplicate device ", later.address,
        ":", later.port, " (first listed at line ", devices[dup->second].line, ")"));
  }
  if (auto dup = FirstDuplicate<absl::string_view>(devices, [](const Device& d) {
        return absl::string_view(d.name);
      })) {
    const Device& later = devices[dup->first];
    return absl::InvalidArgumentError(absl::StrCat(
        inventory_->source, ":", later.line, ": field 'name': duplicate device name '",
        later.name, "' (first listed at line ", devices[dup->second].line,
        "); a device without 'name' is named by 'host', else 'ip': give each its own 'name'"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Inventory> ParseInventory(absl::string_view text, absl::string_view source,
                                         const InventoryOptions& options) {
  return Load(InventoryInput{std::string(source), std::string(text)}, options);
}

absl::StatusOr<Inventory> LoadInventory(const std::string& path,
                                        const InventoryOptions& options) {
  if (!PathExists(path)) {
    return absl::NotFoundError(absl::StrCat(path, ": cannot open inventory file"));
  }
  return Load(InventoryInput{path, std::nullopt}, options);
}

}  // namespace netshard
