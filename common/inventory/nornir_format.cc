// Nornir's SimpleInventory: hosts.yaml, with groups.yaml and defaults.yaml
// beside it. A value comes from the host, else its groups in order (each
// before the groups it belongs to), else the defaults; `data` is inherited
// key by key. connection_options.netmiko wins over the plain attributes,
// and its `extras` (Netmiko's ConnectHandler arguments, netshard's fields)
// over both, as nornir_netmiko passes them.
#include <algorithm>
#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/closest_name.h"
#include "common/inventory/inventory_builder.h"
#include "common/inventory/inventory_files.h"
#include "common/inventory/platform_names.h"
#include "common/inventory/yaml_fields.h"
#include "common/status_macros.h"

namespace netshard {
namespace {

const std::vector<std::string>& HostKeys() {
  static const auto* keys = new std::vector<std::string>{
      "hostname", "port", "username", "password", "platform", "groups", "data",
      "connection_options"};
  return *keys;
}

const std::vector<std::string>& ConnectionKeys() {
  static const auto* keys = new std::vector<std::string>{"hostname", "port", "username",
                                                          "password", "platform", "extras"};
  return *keys;
}

absl::Status UnknownKey(const std::string* file, const YamlNode& key,
                        const std::vector<std::string>& known, absl::string_view prefix) {
  std::vector<std::string> close = ClosestNames(key.scalar, known, 1);
  return FieldError({file, key.line}, absl::StrCat(prefix, key.scalar),
                    close.empty() ? absl::StrCat("unknown field; known: ", absl::StrJoin(known, ", "))
                                  : absl::StrCat("unknown field — did you mean '", close[0], "'?"));
}

// Nornir's attribute names as ours.
std::string FieldName(const std::string& key) {
  return key == "hostname" ? "host" : key == "platform" ? "device_type" : key;
}

// Ours as Nornir's, for "missing" errors (a host lacks no address).
const std::map<std::string, std::string>& NornirNames() {
  static const auto* names = new std::map<std::string, std::string>{{"device_type", "platform"}};
  return *names;
}

// One host, group or defaults entry, read into the levels it gives.
struct Entry {
  FieldLevel base;        // hostname, port, username, password, platform
  FieldLevel connection;  // connection_options.netmiko's attributes
  std::optional<FieldLevel> extras;
  // A key whose value is a list, a mapping or empty is no var, but still
  // hides the key's value from less specific levels, as in Nornir.
  std::map<std::string, std::optional<std::string>> data;
  std::vector<std::pair<std::string, int>> groups;  // name, line
};

absl::StatusOr<Entry> ReadEntry(const YamlNode& node, const std::string* file) {
  Entry entry;
  if (node.IsNull()) return entry;
  if (!node.IsMap()) {
    return FieldError({file, node.line}, "", absl::StrCat("expected a mapping of ",
                                                          absl::StrJoin(HostKeys(), ", "),
                                                          ", not ", node.KindName()));
  }
  auto attribute = [&](const YamlNode& key, const YamlNode& value,
                       FieldLevel* level) -> absl::Status {
    if (value.IsNull()) return absl::OkStatus();
    if (!value.IsScalar()) {
      return FieldError({file, value.line}, key.scalar,
                        absl::StrCat("must be a single value, not ", value.KindName()));
    }
    FieldValue field = ValueOf(value, file);
    field.written_as = key.scalar;
    if (key.scalar == "platform") field.value = DeviceTypeFor(field.value);
    level->emplace_back(FieldName(key.scalar), std::move(field));
    return absl::OkStatus();
  };
  for (size_t i = 0; i + 1 < node.items.size(); i += 2) {
    const YamlNode& key = node.items[i];
    const YamlNode& value = node.items[i + 1];
    if (key.scalar == "groups") {
      if (value.IsNull()) continue;
      if (!value.IsSequence()) {
        return FieldError({file, value.line}, "groups", "must be a list of group names");
      }
      for (const YamlNode& group : value.items) {
        if (!group.IsScalar()) {
          return FieldError({file, group.line}, "groups", "must be a list of group names");
        }
        entry.groups.emplace_back(group.scalar, group.line);
      }
    } else if (key.scalar == "data") {
      if (value.IsNull()) continue;
      if (!value.IsMap()) return FieldError({file, value.line}, "data", "must be a mapping");
      // Only single values can be filtered on; lists and mappings stay Nornir's.
      for (size_t k = 0; k + 1 < value.items.size(); k += 2) {
        const YamlNode& setting = value.items[k + 1];
        entry.data[value.items[k].scalar] =
            setting.IsScalar() ? std::optional<std::string>(setting.scalar) : std::nullopt;
      }
    } else if (key.scalar == "connection_options") {
      if (value.IsNull()) continue;
      if (!value.IsMap()) {
        return FieldError({file, value.line}, "connection_options", "must be a mapping");
      }
      const YamlNode* netmiko = value.Find("netmiko");
      if (netmiko == nullptr || netmiko->IsNull()) continue;
      if (!netmiko->IsMap()) {
        return FieldError({file, netmiko->line}, "connection_options.netmiko", "must be a mapping");
      }
      for (size_t k = 0; k + 1 < netmiko->items.size(); k += 2) {
        const YamlNode& option = netmiko->items[k];
        const YamlNode& setting = netmiko->items[k + 1];
        if (option.scalar == "extras") {
          if (setting.IsNull()) continue;
          if (!setting.IsMap()) {
            return FieldError({file, setting.line}, "connection_options.netmiko.extras",
                              "must be a mapping of Netmiko's ConnectHandler arguments");
          }
          std::map<std::string, std::string> vars;
          ASSIGN_OR_RETURN(entry.extras, FieldsFromYaml(setting, file, &vars));
          entry.data.insert(vars.begin(), vars.end());
        } else if (std::find(ConnectionKeys().begin(), ConnectionKeys().end(), option.scalar) ==
                   ConnectionKeys().end()) {
          return UnknownKey(file, option, ConnectionKeys(), "connection_options.netmiko.");
        } else {
          RETURN_IF_ERROR(attribute(option, setting, &entry.connection));
        }
      }
    } else if (std::find(HostKeys().begin(), HostKeys().end(), key.scalar) == HostKeys().end()) {
      return UnknownKey(file, key, HostKeys(), "");
    } else {
      RETURN_IF_ERROR(attribute(key, value, &entry.base));
    }
  }
  return entry;
}

class NornirReader {
 public:
  NornirReader(const InventoryInput& input, InventoryBuilder& builder)
      : input_(input), builder_(builder) {}

  absl::Status Read() {
    std::string dir = input_.path;
    std::string hosts = input_.path;
    if (!input_.text) {
      if (IsFolder(input_.path)) {
        hosts = FindBeside(input_.path, "hosts");
        if (hosts.empty()) {
          return absl::NotFoundError(absl::StrCat(input_.path, ": no hosts.yaml in this folder"));
        }
      } else {
        dir = FolderOf(input_.path);
      }
      RETURN_IF_ERROR(ReadGroups(FindBeside(dir, "groups")));
      RETURN_IF_ERROR(ReadDefaults(FindBeside(dir, "defaults")));
    }
    const std::string* file = builder_.File(hosts);
    auto visit = [&](const std::vector<std::string>& path, const YamlNode* key,
                     YamlNode& node) -> absl::StatusOr<YamlVisit> {
      if (key == nullptr) return YamlVisit::kKeep;  // a list, not hosts: refused below
      RETURN_IF_ERROR(AddHost(path[0], key->line, node, file));
      return YamlVisit::kDrop;
    };
    absl::StatusOr<YamlNode> root = ReadYaml(hosts, input_.text, 1, visit);
    if (!root.ok()) return root.status();
    if (!root->IsMap() && !root->IsNull()) {
      return FieldError({file, root->line}, "", "expected a mapping of host names to hosts");
    }
    return absl::OkStatus();
  }

 private:
  absl::Status ReadGroups(const std::string& path) {
    if (path.empty()) return absl::OkStatus();
    const std::string* file = builder_.File(path);
    ASSIGN_OR_RETURN(YamlNode root, ReadYamlFile(path));
    if (root.IsNull()) return absl::OkStatus();
    if (!root.IsMap()) return FieldError({file, root.line}, "", "expected a mapping of group names to groups");
    for (size_t i = 0; i + 1 < root.items.size(); i += 2) {
      ASSIGN_OR_RETURN(Entry entry, ReadEntry(root.items[i + 1], file));
      groups_[root.items[i].scalar] = Group{std::move(entry), {file, root.items[i].line}};
    }
    // Every parent named, and no cycle, before any host uses them.
    for (const auto& [name, group] : groups_) {
      std::vector<std::string> chain;
      RETURN_IF_ERROR(CheckCycles(name, &chain));
    }
    return absl::OkStatus();
  }

  absl::Status CheckCycles(const std::string& name, std::vector<std::string>* chain) const {
    const Group& group = groups_.at(name);
    chain->push_back(name);
    for (const auto& [parent, line] : group.entry.groups) {
      if (!groups_.count(parent)) {
        return FieldError({group.origin.file, line}, "groups",
                          absl::StrCat("no group '", parent, "' in ", *group.origin.file));
      }
      if (std::find(chain->begin(), chain->end(), parent) != chain->end()) {
        chain->push_back(parent);
        return FieldError({group.origin.file, line}, "groups",
                          absl::StrCat("group cycle: ", absl::StrJoin(*chain, " -> ")));
      }
      RETURN_IF_ERROR(CheckCycles(parent, chain));
    }
    chain->pop_back();
    return absl::OkStatus();
  }

  absl::Status ReadDefaults(const std::string& path) {
    if (path.empty()) return absl::OkStatus();
    const std::string* file = builder_.File(path);
    ASSIGN_OR_RETURN(YamlNode root, ReadYamlFile(path));
    ASSIGN_OR_RETURN(defaults_, ReadEntry(root, file));
    if (!defaults_.groups.empty()) {
      return FieldError({file, defaults_.groups[0].second}, "groups",
                        "defaults belong to no group");
    }
    return absl::OkStatus();
  }

  // The groups a host inherits from, nearest first: each group, then the
  // groups it belongs to (Nornir's order), each once.
  void Ancestry(const std::vector<std::pair<std::string, int>>& groups,
                std::vector<const std::string*>* order) const {
    for (const auto& named : groups) {
      const std::string& name = named.first;
      auto group = groups_.find(name);
      if (std::find_if(order->begin(), order->end(),
                       [&](const std::string* seen) { return *seen == name; }) != order->end()) {
        continue;
      }
      order->push_back(&group->first);
      Ancestry(group->second.entry.groups, order);
    }
  }

  // The host `name`, written at `line`.
  absl::Status AddHost(const std::string& name, int line, const YamlNode& node,
                       const std::string* file) {
    ASSIGN_OR_RETURN(Entry host, ReadEntry(node, file));
    for (const auto& [group, line] : host.groups) {
      if (!groups_.count(group)) {
        return FieldError({file, line}, "groups",
                          absl::StrCat("no group '", group, "'",
                                       groups_.empty() ? " (no groups.yaml beside hosts.yaml)" : ""));
      }
    }
    std::vector<const std::string*> order;
    Ancestry(host.groups, &order);
    // Least specific first: defaults, the farthest group, ..., the host.
    std::vector<const Entry*> levels = {&defaults_};
    for (auto it = order.rbegin(); it != order.rend(); ++it) levels.push_back(&groups_.at(**it).entry);
    levels.push_back(&host);
    DeviceFields fields;
    fields.name = name;
    fields.origin = {file, line};
    fields.written_names = &NornirNames();
    fields.group = order.empty() ? kUngrouped : *order[0];
    for (size_t i = 1; i < order.size(); ++i) fields.more_groups.push_back(*order[i]);
    DeviceFields connection;
    const FieldLevel* extras = nullptr;
    for (const Entry* level : levels) {
      fields.Apply(level->base);
      connection.Apply(level->connection);
      if (level->extras) extras = &*level->extras;
      for (const auto& [key, value] : level->data) {
        if (value) {
          fields.vars[key] = *value;
        } else {
          fields.vars.erase(key);
        }
      }
    }
    fields.Apply(connection.all());
    if (extras != nullptr) fields.Apply(*extras);
    // Nornir connects to the host's name when it has no hostname.
    if (fields.Get("host") == nullptr && fields.Get("ip") == nullptr) {
      fields.Set("host", FieldValue{name, {file, line}, "", false});
    }
    return builder_.Add(fields);
  }

  struct Group {
    Entry entry;
    FieldOrigin origin;
  };
  const InventoryInput& input_;
  InventoryBuilder& builder_;
  std::map<std::string, Group> groups_;
  Entry defaults_;
};

}  // namespace

absl::Status ReadNornirInventory(const InventoryInput& input, InventoryBuilder& builder) {
  return NornirReader(input, builder).Read();
}

}  // namespace netshard
