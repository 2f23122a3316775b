#include "common/inventory/inventory.h"

#include <map>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/file_text.h"
#include "common/status_macros.h"
#include "common/yaml_errors.h"
#include "yaml-cpp/yaml.h"

namespace netshard {
namespace {

constexpr char kDefaultsKey[] = "defaults";
constexpr char kGroupDefaultsKey[] = "group_defaults";

// Fields Netmiko's ConnectHandler takes that change nothing here; accepted so
// that inventories written for Netmiko load unchanged.
const std::set<std::string>& IgnoredNetmikoFields() {
  static const auto* fields = new std::set<std::string>{
      "verbose",        "global_delay_factor", "fast_cli",
      "session_log",    "keepalive",           "default_enter",
      "response_return", "encoding",           "auto_connect",
      "blocking_timeout", "session_timeout",   "read_timeout_override",
      "allow_agent",    "ssh_strict",          "system_host_keys"};
  return *fields;
}

const std::set<std::string>& KnownFields() {
  static const auto* fields = new std::set<std::string>{
      "name",         "ip",           "host",           "port",
      "device_type",  "username",     "password",       "secret",
      "key_file",     "passphrase",   "use_keys",       "segment",
      "timeout",      "conn_timeout", "auth_timeout",   "banner_timeout",
      "command_timeout", "device_timeout", "kex",       "host_key_algorithms",
      "ciphers",      "jump_host",    "vars",           "password_env",
      "password_file", "secret_env",  "secret_file",    "credentials"};
  return *fields;
}

// Parsing context: where we are, for error messages.
class Parser {
 public:
  Parser(absl::string_view source, const InventoryOptions& options)
      : source_(source), options_(options), errors_(source) {}

  absl::Status Error(const YAML::Node& at, absl::string_view field,
                     absl::string_view what) const {
    return errors_.At(at, field, what);
  }
  absl::Status Error(int line, absl::string_view field,
                     absl::string_view what) const {
    return errors_.AtLine(line, field, what);
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
    YAML::Node group_defaults;
    for (const auto& entry : root) {
      std::string key = entry.first.as<std::string>();
      if (key == kDefaultsKey) {
        defaults = entry.second;
        if (!defaults.IsMap()) return Error(defaults, kDefaultsKey, "must be a mapping of device fields");
        RETURN_IF_ERROR(CheckFields(defaults));
      } else if (key == kGroupDefaultsKey) {
        group_defaults = entry.second;
        RETURN_IF_ERROR(CheckGroupDefaults(root, group_defaults));
      }
    }
    for (const auto& entry : root) {
      std::string group = entry.first.as<std::string>();
      if (group == kDefaultsKey || group == kGroupDefaultsKey) continue;
      const YAML::Node& list = entry.second;
      if (!list.IsSequence()) {
        return Error(list.IsNull() ? entry.first : list, group,
                     "not a list: a group must hold a list of devices ('- ip: ...')");
      }
      // The group's own defaults override the global ones, field by field.
      YAML::Node effective =
          defaults.IsMap() ? YAML::Clone(defaults) : YAML::Node(YAML::NodeType::Map);
      if (group_defaults.IsMap() && group_defaults[group]) {
        for (const auto& field : group_defaults[group]) {
          effective[field.first.as<std::string>()] = field.second;
        }
      }
      for (const YAML::Node& item : list) {
        ASSIGN_OR_RETURN(Device device, ParseDevice(item, effective, group));
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
  // group_defaults: a mapping of existing group names to device fields.
  absl::Status CheckGroupDefaults(const YAML::Node& root, const YAML::Node& groups) const {
    if (!groups.IsMap()) {
      return Error(groups, kGroupDefaultsKey, "must map group names to device fields");
    }
    for (const auto& entry : groups) {
      std::string group = entry.first.as<std::string>();
      if (!root[group] || group == kDefaultsKey || group == kGroupDefaultsKey) {
        return Error(entry.first, kGroupDefaultsKey,
                     absl::StrCat("no group '", group, "' in this inventory"));
      }
      if (!entry.second.IsMap()) {
        return Error(entry.second, kGroupDefaultsKey,
                     absl::StrCat("'", group, "' must be a mapping of device fields"));
      }
      RETURN_IF_ERROR(CheckFields(entry.second));
    }
    return absl::OkStatus();
  }

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
                   UnknownPlatform(device.device_type));
    }
    ASSIGN_OR_RETURN(std::string port, Scalar(item, defaults, "port"));
    if (!port.empty() &&
        (!absl::SimpleAtoi(port, &device.port) || device.port < 1 || device.port > 65535)) {
      return Error(Lookup(item, defaults, "port"), "port",
                   absl::StrCat("must be an integer 1..65535, got '", port, "'"));
    }
    ASSIGN_OR_RETURN(device.timeout, Seconds(item, defaults, "timeout"));
    struct TimeoutField {
      const char* key;
      void (v1::Timeouts::*set)(uint32_t);
    };
    for (const TimeoutField& field :
         {TimeoutField{"conn_timeout", &v1::Timeouts::set_connect_ms},
          TimeoutField{"auth_timeout", &v1::Timeouts::set_auth_ms},
          TimeoutField{"banner_timeout", &v1::Timeouts::set_banner_ms},
          TimeoutField{"command_timeout", &v1::Timeouts::set_command_ms},
          TimeoutField{"device_timeout", &v1::Timeouts::set_device_ms}}) {
      ASSIGN_OR_RETURN(std::optional<absl::Duration> value, Seconds(item, defaults, field.key));
      if (value) (device.timeouts.*field.set)(absl::ToInt64Milliseconds(*value));
    }
    ASSIGN_OR_RETURN(std::string use_keys, Scalar(item, defaults, "use_keys"));
    if (!use_keys.empty() && use_keys != "true" && use_keys != "false") {
      return Error(Lookup(item, defaults, "use_keys"), "use_keys", "must be true or false");
    }
    device.use_keys = use_keys == "true";
    ASSIGN_OR_RETURN(std::string kex, Scalar(item, defaults, "kex"));
    ASSIGN_OR_RETURN(std::string host_keys, Scalar(item, defaults, "host_key_algorithms"));
    ASSIGN_OR_RETURN(std::string ciphers, Scalar(item, defaults, "ciphers"));
    device.algorithms.set_key_exchange(kex);
    device.algorithms.set_host_keys(host_keys);
    device.algorithms.set_ciphers(ciphers);
    ASSIGN_OR_RETURN(device.username, Scalar(item, defaults, "username"));
    ASSIGN_OR_RETURN(device.password, Secret(item, defaults, "password"));
    ASSIGN_OR_RETURN(device.secret, Secret(item, defaults, "secret"));
    ASSIGN_OR_RETURN(device.key_passphrase, Secret(item, defaults, "passphrase"));
    ASSIGN_OR_RETURN(device.key_file, Scalar(item, defaults, "key_file"));
    ASSIGN_OR_RETURN(device.segment, Scalar(item, defaults, "segment"));
    ASSIGN_OR_RETURN(std::string credentials, Scalar(item, defaults, "credentials"));
    if (!credentials.empty() && credentials != "inventory" && credentials != "agent") {
      return Error(Lookup(item, defaults, "credentials"), "credentials",
                   "must be inventory (the default) or agent");
    }
    device.agent_credentials = credentials == "agent";
    if (device.agent_credentials && (!device.password.empty() || !device.secret.empty())) {
      return Error(item, "credentials",
                   "agent: the agent supplies password and secret; remove them here");
    }
    if (device.username.empty() && !device.agent_credentials) {
      return Error(item, "username", "missing");
    }
    ASSIGN_OR_RETURN(device.jump_host, JumpHost(Lookup(item, defaults, "jump_host"), device));
    ASSIGN_OR_RETURN(device.vars, Vars(Lookup(item, defaults, "vars")));
    return device;
  }

  // A secret field `key`, or `key_env` (a variable's name), or `key_file` (a
  // private file); `key` may also be `${env:NAME}`. The device's own wins
  // over the defaults; one level may give only one of the three. Errors
  // never include the value.
  absl::StatusOr<std::string> Secret(const YAML::Node& item, const YAML::Node& defaults,
                                     const std::string& key) const {
    const std::string env_key = key + "_env", file_key = key + "_file";
    for (const YAML::Node* level : {&item, &defaults}) {
      if (!level->IsMap()) continue;
      std::vector<std::string> given;
      for (const std::string& k : {key, env_key, file_key}) {
        if ((*level)[k]) given.push_back(k);
      }
      if (given.empty()) continue;
      const YAML::Node node = (*level)[given[0]];
      if (given.size() > 1) {
        return Error(node, given[0], absl::StrCat("give only one of ", absl::StrJoin(given, ", ")));
      }
      if (node.IsNull()) return std::string();
      if (!node.IsScalar()) return Error(node, given[0], "must be a single value");
      absl::StatusOr<std::string> value =
          given[0] == file_key ? ReadSecretFile(node.Scalar())
          : given[0] == env_key ? EnvValue(node.Scalar(), options_.env)
                                : ExpandEnv(node.Scalar(), options_.env);
      if (!value.ok()) return Error(node, given[0], value.status().message());
      return value;
    }
    return std::string();
  }

  // `vars`: a mapping of the user's own fields to single values.
  absl::StatusOr<std::map<std::string, std::string>> Vars(const YAML::Node& node) const {
    std::map<std::string, std::string> vars;
    if (!node.IsDefined() || node.IsNull()) return vars;
    if (!node.IsMap()) return Error(node, "vars", "must be a mapping of names to values");
    for (const auto& field : node) {
      std::string key = field.first.as<std::string>();
      if (!field.second.IsScalar()) return Error(field.second, "vars." + key, "must be a single value");
      vars[key] = field.second.Scalar();
    }
    return vars;
  }

  // Seconds in (0, 86400]; nullopt when the field is absent.
  absl::StatusOr<std::optional<absl::Duration>> Seconds(const YAML::Node& item,
                                                        const YAML::Node& defaults,
                                                        const char* key) const {
    ASSIGN_OR_RETURN(std::string text, Scalar(item, defaults, key));
    if (text.empty()) return std::nullopt;
    double seconds = 0;
    if (!absl::SimpleAtod(text, &seconds) || seconds <= 0 || seconds > 86400) {
      return Error(Lookup(item, defaults, key), key,
                   absl::StrCat("must be seconds between 0 and 86400, got '", text, "'"));
    }
    return absl::Seconds(seconds);
  }

  // The bastion in front of `device`: a mapping with host (or ip), and
  // port, username (default: the device's), password, key_file.
  absl::StatusOr<std::optional<v1::JumpHost>> JumpHost(const YAML::Node& node,
                                                       const Device& device) const {
    if (!node.IsDefined() || node.IsNull()) return std::nullopt;
    if (!node.IsMap()) {
      return Error(node, "jump_host", "must be a mapping with host, username, password or key_file");
    }
    static const std::set<std::string> kFields = {"host", "ip", "port", "username", "password",
                                                  "key_file"};
    for (const auto& field : node) {
      std::string key = field.first.as<std::string>();
      if (!kFields.count(key)) {
        return Error(field.first, "jump_host." + key,
                     absl::StrCat("unknown field; known: ", absl::StrJoin(kFields, ", ")));
      }
      if (!field.second.IsScalar()) return Error(field.second, "jump_host." + key, "must be a single value");
    }
    auto text = [&](const char* key) { return node[key] ? node[key].Scalar() : std::string(); };
    v1::JumpHost jump;
    jump.set_host(text("host").empty() ? text("ip") : text("host"));
    if (jump.host().empty()) return Error(node, "jump_host.host", "missing");
    int port = 22;
    if (node["port"] && (!absl::SimpleAtoi(text("port"), &port) || port < 1 || port > 65535)) {
      return Error(node["port"], "jump_host.port",
                   absl::StrCat("must be an integer 1..65535, got '", text("port"), "'"));
    }
    jump.set_port(port);
    jump.set_username(text("username").empty() ? device.username : text("username"));
    jump.set_password(text("password"));
    jump.set_key_file(text("key_file"));
    if (jump.password().empty() && jump.key_file().empty()) {
      return Error(node, "jump_host", "needs a password or a key_file to log in");
    }
    return jump;
  }

  // One device per address and port, and one per name: results, json keys
  // and --output-dir files are named after it, so a second would be lost.
  absl::Status CheckUnique(const Device& device) {
    std::string key = absl::StrCat(device.address, ":", device.port);
    auto [it, inserted] = seen_.emplace(key, device.line);
    if (!inserted) {
      return Error(device.line, "ip",
                   absl::StrCat("duplicate device ", key, " (first listed at line ",
                                it->second, ")"));
    }
    auto [named, unique] = names_.emplace(device.name, device.line);
    if (unique) return absl::OkStatus();
    return Error(device.line, "name",
                 absl::StrCat("duplicate device name '", device.name, "' (first listed at line ",
                              named->second,
                              "); a device without 'name' is named by 'host', else 'ip': "
                              "give each its own 'name'"));
  }

  absl::string_view source_;
  const InventoryOptions& options_;
  YamlErrors errors_;
  std::map<std::string, int> seen_;  // address:port -> line
  std::map<std::string, int> names_;  // name -> line
};

}  // namespace

absl::StatusOr<Inventory> ParseInventory(absl::string_view text, absl::string_view source,
                                         const InventoryOptions& options) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(
        source, ":", e.mark.line + 1, ": not valid YAML: ", e.msg));
  }
  try {
    return Parser(source, options).Parse(root);
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(
        source, ":", e.mark.line + 1, ": ", e.msg));
  }
}

absl::StatusOr<Inventory> LoadInventory(const std::string& path,
                                        const InventoryOptions& options) {
  std::optional<std::string> text = ReadFileText(path);
  if (!text) {
    return absl::NotFoundError(absl::StrCat(path, ": cannot open inventory file"));
  }
  return ParseInventory(*text, path, options);
}

}  // namespace netshard
