// Ansible inventories, YAML or INI, with the group_vars/ and host_vars/
// folders beside them, read as Ansible reads them: a host's variables come
// from its groups (all first, parents before children, then by name), then
// the group_vars files in the same order, then its own, then host_vars.
// ansible_host, ansible_port, ansible_user, ansible_password,
// ansible_become_password and ansible_network_os become the device's
// fields, `netshard_<field>` any of ours; other single values are vars for
// --filter. Vault-encrypted and Jinja-templated credentials are refused,
// naming the variable: netshard decrypts and evaluates neither.
#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/closest_name.h"
#include "common/file_text.h"
#include "common/inventory/inventory_builder.h"
#include "common/inventory/inventory_files.h"
#include "common/inventory/platform_names.h"
#include "common/inventory/yaml_tree.h"
#include "common/status_macros.h"

namespace netshard {
namespace {

struct Var {
  std::string value;
  FieldOrigin origin;
  bool vault = false;
  bool single = true;  // a single value, not a list or mapping
};
using VarMap = std::map<std::string, Var>;

struct Group {
  FieldOrigin origin;
  std::vector<std::pair<std::string, FieldOrigin>> children;
  VarMap vars;
  VarMap file_vars;  // group_vars/<name>
  int depth = 0;     // longest path from `all`
  int priority = 1;  // ansible_group_priority
  bool visited = false;
};

struct Host {
  FieldOrigin origin;  // first listing
  std::vector<std::string> groups;  // listed under, in order
  VarMap vars;
  VarMap file_vars;  // host_vars/<name>
};

// Ansible's variables that are our fields.
const std::map<std::string, std::string>& FieldVars() {
  static const auto* vars = new std::map<std::string, std::string>{
      {"ansible_host", "host"},
      {"ansible_ssh_host", "host"},
      {"ansible_port", "port"},
      {"ansible_ssh_port", "port"},
      {"ansible_user", "username"},
      {"ansible_ssh_user", "username"},
      {"ansible_password", "password"},
      {"ansible_ssh_pass", "password"},
      {"ansible_ssh_password", "password"},
      {"ansible_become_password", "secret"},
      {"ansible_become_pass", "secret"},
      {"ansible_network_os", "device_type"},
      {"ansible_ssh_private_key_file", "key_file"},
      {"ansible_private_key_file", "key_file"},
      {"ansible_connect_timeout", "conn_timeout"},
      {"ansible_command_timeout", "command_timeout"},
  };
  return *vars;
}

// Our fields as Ansible names them, for "missing" errors.
const std::map<std::string, std::string>& AnsibleNames() {
  static const auto* names = new std::map<std::string, std::string>{
      {"ip", "ansible_host"},
      {"device_type", "ansible_network_os"},
      {"username", "ansible_user"},
  };
  return *names;
}

constexpr char kPrefix[] = "netshard_";

// `name` with its [a:b] or [a:b:step] ranges expanded, as Ansible does.
absl::StatusOr<std::vector<std::string>> ExpandHostPattern(const std::string& name,
                                                           const FieldOrigin& origin) {
  size_t open = name.find('[');
  size_t close = name.find(']', open);
  if (open == std::string::npos || close == std::string::npos) return std::vector<std::string>{name};
  std::vector<std::string> parts = absl::StrSplit(name.substr(open + 1, close - open - 1), ':');
  if (parts.size() < 2 || parts.size() > 3) return std::vector<std::string>{name};
  std::string prefix = name.substr(0, open);
  ASSIGN_OR_RETURN(std::vector<std::string> rests, ExpandHostPattern(name.substr(close + 1), origin));
  int step = 1;
  if (parts.size() == 3 && (!absl::SimpleAtoi(parts[2], &step) || step < 1)) {
    return FieldError(origin, name, "a host range's step must be a positive integer");
  }
  std::vector<std::string> names;
  auto add = [&](const std::string& middle) {
    for (const std::string& rest : rests) names.push_back(prefix + middle + rest);
  };
  int from = 0, to = 0;
  if (absl::SimpleAtoi(parts[0], &from) && absl::SimpleAtoi(parts[1], &to)) {
    if (to < from || static_cast<int64_t>(to - from) / step > 10'000'000) {
      return FieldError(origin, name, "a host range must run from low to high, at most 10,000,000");
    }
    for (int i = from; i <= to; i += step) {
      std::string number = std::to_string(i);
      // [01:10] keeps the leading zeros.
      if (number.size() < parts[0].size()) number.insert(0, parts[0].size() - number.size(), '0');
      add(number);
    }
  } else if (parts[0].size() == 1 && parts[1].size() == 1 && parts[0][0] <= parts[1][0]) {
    for (char c = parts[0][0]; c <= parts[1][0]; c = static_cast<char>(c + step)) add(std::string(1, c));
  } else {
    return FieldError(origin, name, "a host range is [low:high] or [low:high:step]");
  }
  return names;
}

class AnsibleReader {
 public:
  AnsibleReader(const InventoryInput& input, InventoryBuilder& builder)
      : input_(input), builder_(builder) {}

  absl::Status Read() {
    groups_["all"].origin = {builder_.File(input_.path), 1};
    std::string folder = FolderOf(input_.path);
    if (!input_.text && IsFolder(input_.path)) {
      folder = input_.path;
      bool any = false;
      for (const std::string& path : FilesIn(input_.path)) {
        if (!IsInventoryFile(path)) continue;
        any = true;
        RETURN_IF_ERROR(ReadFile(path, std::nullopt));
      }
      if (!any) return absl::NotFoundError(absl::StrCat(input_.path, ": no inventory file in this folder"));
    } else {
      RETURN_IF_ERROR(ReadFile(input_.path, input_.text));
    }
    if (!input_.text) {
      for (auto& [name, group] : groups_) RETURN_IF_ERROR(ReadVarsFiles(folder + "/group_vars", name, &group.file_vars));
      for (const std::string& name : host_order_) {
        RETURN_IF_ERROR(ReadVarsFiles(folder + "/host_vars", name, &hosts_[name].file_vars));
      }
    }
    RETURN_IF_ERROR(SetDepths());
    for (const std::string& name : host_order_) RETURN_IF_ERROR(AddHost(name));
    return absl::OkStatus();
  }

 private:
  static bool IsInventoryFile(const std::string& path) {
    std::string base = BaseNameOf(path);
    if (base.empty() || base[0] == '.' || absl::EndsWith(base, "~")) return false;
    for (const char* skipped : {".retry", ".pyc", ".orig", ".bak", ".md", ".txt", ".sh", ".py"}) {
      if (absl::EndsWith(base, skipped)) return false;
    }
    return true;
  }

  absl::Status ReadFile(const std::string& path, const std::optional<std::string>& text) {
    std::string content;
    if (text) {
      content = *text;
    } else {
      std::optional<std::string> read = ReadFileText(path);
      if (!read) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
      content = std::move(*read);
    }
    if (LooksLikeAnsibleIni(content)) return ReadIni(content, builder_.File(path));
    ASSIGN_OR_RETURN(YamlNode root, ReadYamlText(content, path));
    const std::string* file = builder_.File(path);
    if (root.IsNull()) return absl::OkStatus();
    if (!root.IsMap()) return FieldError({file, root.line}, "", "expected a mapping of groups (e.g. 'all:')");
    for (size_t i = 0; i + 1 < root.items.size(); i += 2) {
      RETURN_IF_ERROR(ReadYamlGroup(root.items[i].scalar, root.items[i + 1], {file, root.items[i].line}));
      if (root.items[i].scalar != "all") AddChild("all", root.items[i].scalar, {file, root.items[i].line});
    }
    return absl::OkStatus();
  }

  void AddChild(const std::string& parent, const std::string& child, const FieldOrigin& origin) {
    Group& group = groups_[parent];
    for (const auto& [name, at] : group.children) {
      if (name == child) return;
    }
    group.children.emplace_back(child, origin);
    if (groups_[child].origin.file == nullptr) groups_[child].origin = origin;
  }

  Host& ListHost(const std::string& name, const std::string& group, const FieldOrigin& origin) {
    auto [it, added] = hosts_.try_emplace(name);
    if (added) {
      it->second.origin = origin;
      host_order_.push_back(name);
    }
    if (std::find(it->second.groups.begin(), it->second.groups.end(), group) == it->second.groups.end()) {
      it->second.groups.push_back(group);
    }
    return it->second;
  }

  static absl::Status ReadYamlVars(const YamlNode& node, const std::string* file, VarMap* vars,
                                   absl::string_view what) {
    if (node.IsNull()) return absl::OkStatus();
    if (!node.IsMap()) {
      return FieldError({file, node.line}, what, absl::StrCat("must be a mapping of variables, not ", node.KindName()));
    }
    for (size_t i = 0; i + 1 < node.items.size(); i += 2) {
      const YamlNode& value = node.items[i + 1];
      (*vars)[node.items[i].scalar] =
          Var{value.scalar, {file, value.line}, value.vault, !value.IsMap() && !value.IsSequence()};
    }
    return absl::OkStatus();
  }

  absl::Status ReadYamlGroup(const std::string& name, const YamlNode& node, const FieldOrigin& at) {
    Group& group = groups_[name];
    if (group.origin.file == nullptr) group.origin = at;
    const std::string* file = at.file;
    if (node.IsNull()) return absl::OkStatus();
    if (!node.IsMap()) {
      return FieldError({file, node.line}, name, absl::StrCat("a group must be a mapping of hosts, vars and children, not ", node.KindName()));
    }
    static const std::vector<std::string> kKeys = {"hosts", "vars", "children"};
    for (size_t i = 0; i + 1 < node.items.size(); i += 2) {
      const YamlNode& key = node.items[i];
      const YamlNode& value = node.items[i + 1];
      if (key.scalar == "vars") {
        RETURN_IF_ERROR(ReadYamlVars(value, file, &groups_[name].vars, name + ".vars"));
      } else if (key.scalar == "hosts") {
        if (value.IsNull()) continue;
        if (!value.IsMap()) {
          return FieldError({file, value.line}, name + ".hosts", "must be a mapping of host names");
        }
        for (size_t h = 0; h + 1 < value.items.size(); h += 2) {
          FieldOrigin origin{file, value.items[h].line};
          ASSIGN_OR_RETURN(std::vector<std::string> names, ExpandHostPattern(value.items[h].scalar, origin));
          for (const std::string& host : names) {
            Host& listed = ListHost(host, name, origin);
            RETURN_IF_ERROR(ReadYamlVars(value.items[h + 1], file, &listed.vars, host));
          }
        }
      } else if (key.scalar == "children") {
        if (value.IsNull()) continue;
        if (!value.IsMap()) {
          return FieldError({file, value.line}, name + ".children", "must be a mapping of group names");
        }
        for (size_t c = 0; c + 1 < value.items.size(); c += 2) {
          FieldOrigin origin{file, value.items[c].line};
          AddChild(name, value.items[c].scalar, origin);
          RETURN_IF_ERROR(ReadYamlGroup(value.items[c].scalar, value.items[c + 1], origin));
        }
      } else {
        std::vector<std::string> close = ClosestNames(key.scalar, kKeys, 1);
        return FieldError({file, key.line}, absl::StrCat(name, ".", key.scalar),
                          absl::StrCat("unknown key in a group; ",
                                       close.empty() ? "a group holds hosts, vars and children"
                                                     : absl::StrCat("did you mean '", close[0], "'?")));
      }
    }
    return absl::OkStatus();
  }

  // `key=value` pairs, values quoted or not.
  static absl::StatusOr<std::vector<std::pair<std::string, std::string>>> IniPairs(
      absl::string_view text, const FieldOrigin& origin) {
    std::vector<std::pair<std::string, std::string>> pairs;
    size_t i = 0;
    while (i < text.size()) {
      while (i < text.size() && absl::ascii_isspace(text[i])) ++i;
      if (i == text.size() || text[i] == '#') break;
      size_t equals = text.find('=', i);
      if (equals == absl::string_view::npos) {
        return FieldError(origin, "", absl::StrCat("expected key=value, got '", text.substr(i), "'"));
      }
      std::string key(absl::StripAsciiWhitespace(text.substr(i, equals - i)));
      i = equals + 1;
      std::string value;
      if (i < text.size() && (text[i] == '"' || text[i] == '\'')) {
        char quote = text[i++];
        size_t end = text.find(quote, i);
        if (end == absl::string_view::npos) return FieldError(origin, key, "a quoted value is never closed");
        value = std::string(text.substr(i, end - i));
        i = end + 1;
      } else {
        size_t end = i;
        while (end < text.size() && !absl::ascii_isspace(text[end])) ++end;
        value = std::string(text.substr(i, end - i));
        i = end;
      }
      pairs.emplace_back(std::move(key), std::move(value));
    }
    return pairs;
  }

  absl::Status ReadIni(const std::string& text, const std::string* file) {
    std::string section = "ungrouped";
    std::string kind = "hosts";  // hosts, vars or children
    int line_number = 0;
    for (absl::string_view raw : absl::StrSplit(text, '\n')) {
      ++line_number;
      FieldOrigin at{file, line_number};
      absl::string_view line = absl::StripAsciiWhitespace(raw);
      if (line.empty() || line[0] == '#' || line[0] == ';') continue;
      if (line[0] == '[') {
        if (line.back() != ']') return FieldError(at, "", "a section header is [group], [group:vars] or [group:children]");
        std::string header(line.substr(1, line.size() - 2));
        kind = "hosts";
        size_t colon = header.find(':');
        if (colon != std::string::npos) {
          kind = header.substr(colon + 1);
          header.resize(colon);
          if (kind != "vars" && kind != "children") {
            return FieldError(at, "", absl::StrCat("unknown section kind ':", kind, "': expected :vars or :children"));
          }
        }
        section = header;
        if (groups_[section].origin.file == nullptr) groups_[section].origin = at;
        if (section != "all") AddChild("all", section, at);
        continue;
      }
      if (kind == "children") {
        AddChild(section, std::string(line), at);
      } else if (kind == "vars") {
        ASSIGN_OR_RETURN(auto pairs, IniPairs(line, at));
        for (auto& [key, value] : pairs) groups_[section].vars[key] = Var{value, at, false, true};
      } else {
        size_t end = 0;
        while (end < line.size() && !absl::ascii_isspace(line[end])) ++end;
        ASSIGN_OR_RETURN(std::vector<std::string> names, ExpandHostPattern(std::string(line.substr(0, end)), at));
        ASSIGN_OR_RETURN(auto pairs, IniPairs(line.substr(end), at));
        for (const std::string& name : names) {
          Host& host = ListHost(name, section, at);
          for (const auto& [key, value] : pairs) host.vars[key] = Var{value, at, false, true};
        }
      }
    }
    return absl::OkStatus();
  }

  // group_vars/<name>[.yml|.yaml|.json], or every file in group_vars/<name>/.
  absl::Status ReadVarsFiles(const std::string& folder, const std::string& name, VarMap* vars) {
    std::vector<std::string> files;
    std::string single = FindBeside(folder, name, {"", ".yml", ".yaml", ".json"});
    if (!single.empty()) files.push_back(single);
    for (const std::string& path : FilesIn(folder + "/" + name)) {
      if (IsInventoryFile(path)) files.push_back(path);
    }
    for (const std::string& path : files) {
      ASSIGN_OR_RETURN(YamlNode root, ReadYamlFile(path));
      RETURN_IF_ERROR(ReadYamlVars(root, builder_.File(path), vars, ""));
    }
    return absl::OkStatus();
  }

  // Each group's depth below `all`; a cycle of children is an error.
  absl::Status SetDepths() {
    std::vector<std::string> chain;
    return Descend("all", 0, &chain);
  }

  absl::Status Descend(const std::string& name, int depth, std::vector<std::string>* chain) {
    Group& group = groups_[name];
    // Reached before at least as deep: its subtree is known, cycles included.
    if (group.visited && group.depth >= depth) return absl::OkStatus();
    group.visited = true;
    group.depth = std::max(group.depth, depth);
    if (auto priority = group.vars.find("ansible_group_priority"); priority != group.vars.end() &&
        !absl::SimpleAtoi(priority->second.value, &group.priority)) {
      return FieldError(priority->second.origin, "ansible_group_priority", "must be an integer");
    }
    chain->push_back(name);
    for (const auto& [child, at] : std::vector(group.children)) {
      if (std::find(chain->begin(), chain->end(), child) != chain->end()) {
        chain->push_back(child);
        return FieldError(at, "children", absl::StrCat("group cycle: ", absl::StrJoin(*chain, " -> ")));
      }
      if (chain->size() > 1000) return FieldError(at, "children", "groups nest over 1000 deep");
      RETURN_IF_ERROR(Descend(child, depth + 1, chain));
    }
    chain->pop_back();
    return absl::OkStatus();
  }

  // `host`'s groups with their ancestors, each once, `all` excluded.
  std::vector<std::string> GroupsOf(const Host& host) const {
    std::vector<std::string> found;
    std::vector<std::string> queue = host.groups;
    for (size_t i = 0; i < queue.size(); ++i) {
      if (std::find(found.begin(), found.end(), queue[i]) != found.end() || queue[i] == "all") continue;
      found.push_back(queue[i]);
      for (const auto& [parent, group] : groups_) {
        for (const auto& [child, at] : group.children) {
          if (child == queue[i]) queue.push_back(parent);
        }
      }
    }
    return found;
  }

  // One variable as a field of `fields`, when it is one.
  absl::Status ApplyVar(const std::string& name, const Var& var, DeviceFields* fields) const {
    std::string field;
    if (auto known = FieldVars().find(name); known != FieldVars().end()) {
      field = known->second;
    } else if (absl::StartsWith(name, kPrefix)) {
      field = name.substr(sizeof(kPrefix) - 1);
      RETURN_IF_ERROR(CheckFieldName(field, var.origin));
    } else {
      if (var.single && !var.vault) fields->vars[name] = var.value;
      return absl::OkStatus();
    }
    if (!var.single) return FieldError(var.origin, name, "must be a single value");
    if (absl::StrContains(var.value, "{{")) {
      return FieldError(var.origin, name,
                        "is a Jinja2 template; netshard does not evaluate templates: give the value, "
                        "or ${env:NAME} for a secret");
    }
    FieldValue value{var.value, var.origin, name, var.vault};
    if (field == "device_type" && name == "ansible_network_os") value.value = DeviceTypeFor(var.value);
    fields->Set(field, std::move(value));
    return absl::OkStatus();
  }

  absl::Status AddHost(const std::string& name) {
    const Host& host = hosts_.at(name);
    std::vector<std::string> groups = GroupsOf(host);
    // Least specific first: all, then by depth, priority and name.
    std::vector<const Group*> order = {&groups_.at("all")};
    std::vector<std::string> sorted = groups;
    std::sort(sorted.begin(), sorted.end(), [&](const std::string& a, const std::string& b) {
      const Group& ga = groups_.at(a);
      const Group& gb = groups_.at(b);
      return std::tie(ga.depth, ga.priority, a) < std::tie(gb.depth, gb.priority, b);
    });
    for (const std::string& group : sorted) order.push_back(&groups_.at(group));
    DeviceFields fields;
    fields.name = name;
    fields.origin = host.origin;
    fields.written_names = &AnsibleNames();
    std::vector<std::string> listed;
    for (const std::string& group : host.groups) {
      if (group != "all" && group != "ungrouped") listed.push_back(group);
    }
    fields.group = listed.empty() ? "ungrouped" : listed[0];
    for (const std::string& group : groups) {
      if (group != fields.group) fields.more_groups.push_back(group);
    }
    for (const VarMap Group::*vars : {&Group::vars, &Group::file_vars}) {
      for (const Group* group : order) {
        for (const auto& [key, var] : group->*vars) RETURN_IF_ERROR(ApplyVar(key, var, &fields));
      }
    }
    for (const VarMap* vars : {&host.vars, &host.file_vars}) {
      for (const auto& [key, var] : *vars) RETURN_IF_ERROR(ApplyVar(key, var, &fields));
    }
    if (fields.Get("host") == nullptr && fields.Get("ip") == nullptr) {
      fields.Set("host", FieldValue{name, host.origin, "", false});
    }
    return builder_.Add(fields);
  }

  const InventoryInput& input_;
  InventoryBuilder& builder_;
  std::map<std::string, Group> groups_;
  std::map<std::string, Host> hosts_;
  std::vector<std::string> host_order_;  // first listing first
};

}  // namespace

bool LooksLikeAnsibleIni(absl::string_view text) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    absl::string_view trimmed = absl::StripAsciiWhitespace(line);
    if (trimmed.empty() || trimmed[0] == '#' || trimmed[0] == ';' || trimmed == "---") continue;
    if (trimmed[0] == '[' && trimmed.back() == ']') return true;
    // A host line: a name alone, or with key=value variables.
    return trimmed.find(':') == absl::string_view::npos && trimmed[0] != '-' &&
           trimmed[0] != '{' &&
           (absl::StrContains(trimmed, '=') || !absl::StrContains(trimmed, ' '));
  }
  return false;
}

absl::Status ReadAnsibleInventory(const InventoryInput& input, InventoryBuilder& builder) {
  return AnsibleReader(input, builder).Read();
}

}  // namespace netshard
