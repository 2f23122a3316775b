#include "common/inventory.h"

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "yaml-cpp/yaml.h"

namespace netshard {
namespace {

constexpr char kDefaultsKey[] = "defaults";

// Fields Netmiko's ConnectHandler takes that change nothing here; accepted so
// that inventories written for Netmiko load unchanged.
const std::set<std::string>& IgnoredNetmikoFields() {
  static const auto* fields = new std::set<std::string>{
      "verbose",        "global_delay_factor", "fast_cli",
      "session_log",    "keepalive",           "default_enter",
      "response_return", "encoding",           "auto_connect",
      "blocking_timeout", "session_timeout",   "read_timeout_override"};
  return *fields;
}

const std::set<std::string>& KnownFields() {
  static const auto* fields = new std::set<std::string>{
      "name",     "ip",     "host",     "port",    "device_type", "username",
      "password", "secret", "key_file", "segment", "timeout"};
  return *fields;
}

// Parsing context: where we are, for error messages.
class Parser {
 public:
  explicit Parser(absl::string_view source) : source_(source) {}

  absl::Status Error(const YAML::Node& at, absl::string_view field,
                     absl::string_view what) const {
    return Error(at.Mark().line + 1, field, what);
  }
  absl::Status Error(int line, absl::string_view field,
                     absl::string_view what) const {
    std::string where = absl::StrCat(source_, ":", line);
    if (field.empty()) return absl::InvalidArgumentError(absl::StrCat(where, ": ", what));
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": field '", field, "': ", what));
  }

  absl::StatusOr<Inventory> Parse(const YAML::Node& root) {
    Inventory inventory;
    inventory.source = std::string(source_);
    if (!root.IsDefined() || root.IsNull()) {
      return Error(1, "", "inventory is empty: expected a group key such as 'routers:' holding a list of devices");
    }
    if (!root.IsMap()) {
      return Error(root, "", "expected a mapping of group names to device lists (e.g. 'routers:')");
    }
    YAML::Node defaults;
    for (const auto& entry : root) {
      if (entry.first.as<std::string>() != kDefaultsKey) continue;
      defaults = entry.second;
      if (!defaults.IsMap()) return Error(defaults, kDefaultsKey, "must be a mapping of device fields");
      RETURN_IF_ERROR(CheckFields(defaults));
    }
    for (const auto& entry : root) {
      std::string group = entry.first.as<std::string>();
      if (group == kDefaultsKey) continue;
      const YAML::Node& list = entry.second;
      if (!list.IsSequence()) {
        return Error(list.IsNull() ? entry.first : list, group,
                     "not a list: a group must hold a list of devices ('- ip: ...')");
      }
      for (const YAML::Node& item : list) {
        ASSIGN_OR_RETURN(Device device, ParseDevice(item, defaults, group));
        RETURN_IF_ERROR(CheckUnique(device));
        inventory.devices.push_back(std::move(device));
      }
    }
    if (inventory.devices.empty()) {
      return Error(root, "", "no devices: expected a group key such as 'routers:' holding a list of devices");
    }
    return inventory;
  }

 private:
  absl::Status CheckFields(const YAML::Node& map) const {
    for (const auto& field : map) {
      std::string key = field.first.as<std::string>();
      if (KnownFields().count(key) || IgnoredNetmikoFields().count(key)) continue;
      return Error(field.first, key,
                   absl::StrCat("unknown field; known fields: ",
                                absl::StrJoin(KnownFields(), ", ")));
    }
    return absl::OkStatus();
  }

  // The field from the device, else from defaults; undefined if neither.
  static YAML::Node Lookup(const YAML::Node& item, const YAML::Node& defaults,
                           const char* key) {
    if (item[key]) return item[key];
    if (defaults.IsMap() && defaults[key]) return defaults[key];
    return YAML::Node(YAML::NodeType::Undefined);
  }

  absl::StatusOr<std::string> Scalar(const YAML::Node& item,
                                     const YAML::Node& defaults,
                                     const char* key) const {
    YAML::Node node = Lookup(item, defaults, key);
    if (!node.IsDefined() || node.IsNull()) return std::string();
    if (!node.IsScalar()) return Error(node, key, "must be a single value");
    return node.Scalar();
  }

  absl::StatusOr<Device> ParseDevice(const YAML::Node& item,
                                     const YAML::Node& defaults,
                                     const std::string& group) const {
    if (!item.IsMap()) {
      return Error(item, group, "each list item must be a device mapping ('- ip: ...')");
    }
    RETURN_IF_ERROR(CheckFields(item));
    Device device;
    device.line = item.Mark().line + 1;
    device.group = group;
    ASSIGN_OR_RETURN(std::string ip, Scalar(item, defaults, "ip"));
    ASSIGN_OR_RETURN(std::string host, Scalar(item, defaults, "host"));
    ASSIGN_OR_RETURN(device.name, Scalar(item, defaults, "name"));
    device.address = ip.empty() ? host : ip;
    if (device.address.empty()) return Error(item, "ip", "missing (give 'ip' or 'host')");
    if (device.name.empty()) device.name = host.empty() ? ip : host;

    ASSIGN_OR_RETURN(device.device_type, Scalar(item, defaults, "device_type"));
    if (device.device_type.empty()) return Error(item, "device_type", "missing (e.g. cisco_ios)");
    device.platform = FindPlatform(device.device_type);
    if (device.platform == nullptr) {
      return Error(Lookup(item, defaults, "device_type"), "device_type",
                   absl::StrCat("unknown '", device.device_type, "'; known: ",
                                absl::StrJoin(KnownPlatformNames(), ", ")));
    }
    ASSIGN_OR_RETURN(std::string port, Scalar(item, defaults, "port"));
    if (!port.empty() &&
        (!absl::SimpleAtoi(port, &device.port) || device.port < 1 || device.port > 65535)) {
      return Error(Lookup(item, defaults, "port"), "port",
                   absl::StrCat("must be an integer 1..65535, got '", port, "'"));
    }
    ASSIGN_OR_RETURN(std::string timeout, Scalar(item, defaults, "timeout"));
    if (!timeout.empty()) {
      double seconds = 0;
      if (!absl::SimpleAtod(timeout, &seconds) || seconds <= 0 || seconds > 86400) {
        return Error(Lookup(item, defaults, "timeout"), "timeout",
                     absl::StrCat("must be seconds between 0 and 86400, got '", timeout, "'"));
      }
      device.timeout = absl::Seconds(seconds);
    }
    ASSIGN_OR_RETURN(device.username, Scalar(item, defaults, "username"));
    ASSIGN_OR_RETURN(device.password, Scalar(item, defaults, "password"));
    ASSIGN_OR_RETURN(device.secret, Scalar(item, defaults, "secret"));
    ASSIGN_OR_RETURN(device.key_file, Scalar(item, defaults, "key_file"));
    ASSIGN_OR_RETURN(device.segment, Scalar(item, defaults, "segment"));
    if (device.username.empty()) return Error(item, "username", "missing");
    return device;
  }

  absl::Status CheckUnique(const Device& device) {
    std::string key = absl::StrCat(device.address, ":", device.port);
    auto [it, inserted] = seen_.emplace(key, device.line);
    if (inserted) return absl::OkStatus();
    return Error(device.line, "ip",
                 absl::StrCat("duplicate device ", key, " (first listed at line ",
                              it->second, ")"));
  }

  absl::string_view source_;
  std::map<std::string, int> seen_;  // address:port -> line
};

}  // namespace

absl::StatusOr<Inventory> ParseInventory(absl::string_view text,
                                         absl::string_view source) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(
        source, ":", e.mark.line + 1, ": not valid YAML: ", e.msg));
  }
  try {
    return Parser(source).Parse(root);
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(
        source, ":", e.mark.line + 1, ": ", e.msg));
  }
}

absl::StatusOr<Inventory> LoadInventory(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(absl::StrCat(path, ": cannot open inventory file"));
  }
  std::stringstream text;
  text << in.rdbuf();
  return ParseInventory(text.str(), path);
}

}  // namespace netshard
