// Ansible inventories, YAML or INI, with the group_vars/ and host_vars/
// folders beside them, read as Ansible reads them: a host's variables come
// from its groups (all first, parents before children, then by
// ansible_group_priority and name), then the group_vars files in the same
// order, then its own, then host_vars; a later level replaces a variable
// whole. ansible_host, ansible_port, ansible_user, ansible_password,
// ansible_become_password and ansible_network_os become the device's
// fields, `netshard_<field>` any of ours; other single values are vars for
// --filter. Vault-encrypted and Jinja-templated credentials are refused,
// naming the variable: netshard decrypts and evaluates neither.
#include <algorithm>
#include <set>

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
  bool unsafe = false;  // `!unsafe`: braces in it are text, not a template
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
constexpr size_t kMaxRangeHosts = 10'000'000;
// Ansible's letter ranges run through string.ascii_letters: [x:B] is x, y, z, A, B.
constexpr absl::string_view kLetters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
// Symbolic links may loop; no inventory nests folders this deep.
constexpr int kMaxFolderDepth = 32;

// The values of one [begin:end] or [begin:end:step] range of `pattern`, as
// Ansible's expand_hostname_range gives them: numbers, zero-padded when
// `begin` is, or letters.
absl::StatusOr<std::vector<std::string>> RangeValues(absl::string_view range, const std::string& pattern,
                                                     const FieldOrigin& origin) {
  std::vector<std::string> bounds = absl::StrSplit(range, ':');
  if (bounds.size() != 2 && bounds.size() != 3) {
    return FieldError(origin, pattern, "a host range is [begin:end] or [begin:end:step]");
  }
  const std::string begin = bounds[0].empty() ? "0" : bounds[0];
  const std::string& end = bounds[1];
  int64_t step = 1;
  if (bounds.size() == 3 && (!absl::SimpleAtoi(bounds[2], &step) || step < 1)) {
    return FieldError(origin, pattern, "a host range's step must be a positive integer");
  }
  std::vector<std::string> values;
  size_t first = begin.size() == 1 ? kLetters.find(begin[0]) : absl::string_view::npos;
  size_t last = end.size() == 1 ? kLetters.find(end[0]) : absl::string_view::npos;
  int64_t from = 0, to = 0;
  if (first != absl::string_view::npos && last != absl::string_view::npos) {
    if (first > last) return FieldError(origin, pattern, "a host range must run from low to high");
    for (size_t i = first; i <= last; i += static_cast<size_t>(step)) values.emplace_back(1, kLetters[i]);
  } else if (absl::SimpleAtoi(begin, &from) && absl::SimpleAtoi(end, &to)) {
    // Unsigned: far apart ends must not overflow.
    uint64_t count = (static_cast<uint64_t>(to) - static_cast<uint64_t>(from)) / static_cast<uint64_t>(step) + 1;
    if (to < from || count > kMaxRangeHosts) {
      return FieldError(origin, pattern, "a host range must run from low to high, at most 10,000,000");
    }
    // [01:10] keeps the leading zeros; Ansible wants both ends as wide.
    size_t width = begin.size() > 1 && begin[0] == '0' ? begin.size() : 0;
    if (width > 0 && end.size() != width) {
      return FieldError(origin, pattern, "a zero-padded host range needs begin and end as wide");
    }
    for (uint64_t k = 0; k < count; ++k) {
      std::string number =
          std::to_string(static_cast<int64_t>(static_cast<uint64_t>(from) + k * static_cast<uint64_t>(step)));
      if (number.size() < width) number.insert(0, width - number.size(), '0');
      values.push_back(std::move(number));
    }
  } else {
    return FieldError(origin, pattern, "a host range runs between two numbers or two letters");
  }
  return values;
}

// `pattern` with its ranges expanded into `names`, the first range varying
// slowest, as in Ansible ("r[1:2]-[a:b]": r1-a, r1-b, r2-a, r2-b).
absl::Status ExpandRanges(const std::string& pattern, const FieldOrigin& origin,
                          std::vector<std::string>* names) {
  std::vector<std::string> literals;
  std::vector<std::vector<std::string>> ranges;
  uint64_t total = 1;
  size_t at = 0;
  for (size_t open = pattern.find('['); open != std::string::npos; open = pattern.find('[', at)) {
    size_t close = pattern.find(']', open);
    if (close == std::string::npos) {
      return FieldError(origin, pattern, "a host range is [begin:end] or [begin:end:step]");
    }
    literals.push_back(pattern.substr(at, open - at));
    ASSIGN_OR_RETURN(std::vector<std::string> values,
                     RangeValues(absl::string_view(pattern).substr(open + 1, close - open - 1), pattern, origin));
    // Checked before any name is made: two ranges may multiply to billions.
    total *= values.size();
    ranges.push_back(std::move(values));
    if (total > kMaxRangeHosts) return FieldError(origin, pattern, "host ranges give over 10,000,000 hosts");
    at = close + 1;
  }
  literals.push_back(pattern.substr(at));
  std::vector<size_t> digit(ranges.size(), 0);  // an odometer over the ranges
  for (uint64_t n = 0; n < total; ++n) {
    std::string name = literals[0];
    for (size_t r = 0; r < ranges.size(); ++r) absl::StrAppend(&name, ranges[r][digit[r]], literals[r + 1]);
    names->push_back(std::move(name));
    for (size_t r = ranges.size(); r-- > 0 && ++digit[r] == ranges[r].size();) digit[r] = 0;
  }
  return absl::OkStatus();
}

// Whether `text` is nothing outside brackets but what a host name may hold:
// Ansible's "hostport" pattern, before its ":port".
bool HostBeforePort(absl::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '[') {
      i = text.find(']', i);
      if (i == absl::string_view::npos) return false;
    } else if (text[i] == ':' || text[i] == ']') {
      return false;
    }
  }
  return !text.empty();
}

// A host as an inventory lists it ("r[01:03]", "sw1:2222",
// "[2001:db8::1]:22") as Ansible reads it: its names, ranges expanded, and
// the port it gives them, empty if none. A bare IPv6 address has no port.
absl::Status ParseHostPattern(const std::string& pattern, const FieldOrigin& origin,
                              std::vector<std::string>* names, std::string* port) {
  std::string address = pattern;
  port->clear();
  size_t colon = pattern.rfind(':');
  absl::string_view digits =
      colon == std::string::npos ? absl::string_view() : absl::string_view(pattern).substr(colon + 1);
  if (!digits.empty() && std::all_of(digits.begin(), digits.end(), absl::ascii_isdigit)) {
    absl::string_view before = absl::string_view(pattern).substr(0, colon);
    absl::string_view inside = before.size() > 2 && before.front() == '[' && before.back() == ']'
                                   ? before.substr(1, before.size() - 2)
                                   : absl::string_view();
    bool ipv6 = std::count(inside.begin(), inside.end(), ':') >= 2 &&
                std::all_of(inside.begin(), inside.end(),
                            [](char c) { return absl::ascii_isxdigit(c) || c == ':' || c == '.'; });
    if (ipv6) {
      address = std::string(inside);
      *port = std::string(digits);
    } else if (HostBeforePort(before)) {
      address = std::string(before);
      *port = std::string(digits);
    }
  }
  return ExpandRanges(address, origin, names);
}

// A [group], [group:vars] or [group:children] header (a comment may follow
// it); false if `line` is none.
bool ParseSection(absl::string_view line, std::string* group, std::string* kind) {
  if (line.empty() || line[0] != '[') return false;
  size_t close = line.find(']');
  if (close == absl::string_view::npos) return false;
  absl::string_view after = absl::StripLeadingAsciiWhitespace(line.substr(close + 1));
  if (!after.empty() && after[0] != '#') return false;
  absl::string_view inside = line.substr(1, close - 1);
  size_t colon = inside.find(':');
  absl::string_view name = inside.substr(0, colon);
  absl::string_view tag = colon == absl::string_view::npos ? "hosts" : inside.substr(colon + 1);
  auto word = [](absl::string_view text, bool tag_chars) {
    return !text.empty() && std::none_of(text.begin(), text.end(), [&](char c) {
      return absl::ascii_isspace(c) || c == ':' || (tag_chars && !absl::ascii_isalnum(c) && c != '_');
    });
  };
  if (!word(name, false) || !word(tag, true)) return false;
  *group = std::string(name);
  *kind = std::string(tag);
  return true;
}

// A host line split as Ansible's shlex.split(line, comments=True) does:
// words apart at whitespace, quotes and backslashes as in a POSIX shell, and
// an unquoted '#' ending the line, even inside a word.
absl::StatusOr<std::vector<std::string>> ShellWords(absl::string_view line, const FieldOrigin& origin) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quote == '\'') {
      if (c == '\'') quote = 0; else word += c;
    } else if (quote == '"') {
      if (c == '\\' && i + 1 < line.size() && (line[i + 1] == '"' || line[i + 1] == '\\')) {
        word += line[++i];
      } else if (c == '"') {
        quote = 0;
      } else {
        word += c;
      }
    } else if (absl::ascii_isspace(c) || c == '#') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      if (c == '#') break;
    } else {
      in_word = true;
      if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '\\' && i + 1 < line.size()) {
        word += line[++i];
      } else {
        word += c;
      }
    }
  }
  if (quote != 0) return FieldError(origin, "", "a quoted value is never closed");
  if (in_word) words.push_back(std::move(word));
  return words;
}

// An INI value as Ansible's ast.literal_eval leaves it: a quoted string
// without its quotes and backslash escapes; anything else as written.
std::string IniValue(absl::string_view raw) {
  if (raw.size() < 2 || (raw[0] != '"' && raw[0] != '\'') || raw.back() != raw[0]) return std::string(raw);
  std::string value;
  for (size_t i = 1; i + 1 < raw.size(); ++i) {
    char c = raw[i];
    if (c == raw[0] || (c == '\\' && i + 2 >= raw.size())) return std::string(raw);  // not one literal
    if (c != '\\') {
      value += c;
      continue;
    }
    char escaped = raw[++i];
    switch (escaped) {
      case 'n': value += '\n'; break;
      case 't': value += '\t'; break;
      case '\\': case '\'': case '"': value += escaped; break;
      default: absl::StrAppend(&value, "\\", absl::string_view(&escaped, 1));
    }
  }
  return value;
}

// A file `ansible-vault encrypt` made: its lines must not pass for hosts
// or reach an error message.
absl::Status RefuseVaultFile(absl::string_view content, const std::string* file) {
  if (!absl::StartsWith(content, "$ANSIBLE_VAULT;")) return absl::OkStatus();
  return FieldError({file, 1}, "",
                    "the file is Ansible Vault-encrypted; netshard does not decrypt vault: give "
                    "credentials in plain text, from an environment variable (${env:NAME}) or "
                    "with --ask-pass/--ask-secret");
}

bool IsTemplate(absl::string_view value) {
  return absl::StrContains(value, "{{") || absl::StrContains(value, "{%");
}

// What Ansible skips in an inventory folder (its INVENTORY_IGNORE_EXTS:
// ansible.cfg and *.ini among them), and scripts, which netshard does not run.
bool SkippedInInventoryFolder(const std::string& base) {
  if (base.empty() || base[0] == '.' || base == "group_vars" || base == "host_vars" ||
      base == "vars_plugins") {
    return true;
  }
  for (const char* skipped : {".pyc", ".pyo", ".swp", ".bak", "~", ".rpm", ".md", ".txt", ".rst",
                              ".orig", ".ini", ".cfg", ".retry", ".sh", ".py"}) {
    if (absl::EndsWith(base, skipped)) return true;
  }
  return false;
}

// The files of a group_vars/<name>/ folder as Ansible's loader takes them:
// by name, subfolders too, none hidden or a backup, only .yml, .yaml, .json
// or no extension.
absl::Status VarsFilesIn(const std::string& folder, int depth, std::vector<std::string>* files) {
  if (depth > kMaxFolderDepth) return absl::InvalidArgumentError(absl::StrCat(folder, ": folders nest too deep"));
  for (const auto& [path, is_folder] : EntriesIn(folder)) {
    std::string base = BaseNameOf(path);
    if (base[0] == '.' || absl::EndsWith(base, "~")) continue;
    size_t dot = base.rfind('.');
    std::string extension = dot == std::string::npos ? "" : base.substr(dot);
    if (is_folder && extension.empty()) {
      RETURN_IF_ERROR(VarsFilesIn(path, depth + 1, files));
    } else if (!is_folder && (extension.empty() || extension == ".yml" || extension == ".yaml" ||
                              extension == ".json")) {
      files->push_back(path);
    }
  }
  return absl::OkStatus();
}

class AnsibleReader {
 public:
  AnsibleReader(const InventoryInput& input, InventoryBuilder& builder)
      : input_(input), builder_(builder) {}

  absl::Status Read() {
    FieldOrigin top{builder_.File(input_.path), 1};
    groups_["all"].origin = top;
    AddChild("all", kUngrouped, top);  // Ansible's implicit group
    std::string folder = FolderOf(input_.path);
    if (!input_.text && IsFolder(input_.path)) {
      folder = input_.path;
      int read = 0;
      RETURN_IF_ERROR(ReadFolder(input_.path, 0, &read));
      if (read == 0) {
        return absl::NotFoundError(absl::StrCat(
            input_.path, ": no inventory file in this folder (Ansible skips *.ini and *.cfg in "
                         "one; give the file itself)"));
      }
    } else {
      RETURN_IF_ERROR(ReadFile(input_.path, input_.text));
    }
    if (!input_.text) {
      for (auto& [name, group] : groups_) {
        RETURN_IF_ERROR(ReadVarsFiles(folder + "/group_vars", name, &group.file_vars));
      }
      for (const std::string& name : host_order_) {
        RETURN_IF_ERROR(ReadVarsFiles(folder + "/host_vars", name, &hosts_[name].file_vars));
      }
    }
    RETURN_IF_ERROR(SetDepths());
    for (const auto& [parent, group] : groups_) {
      for (const auto& [child, at] : group.children) parents_[child].push_back(parent);
    }
    for (const std::string& name : host_order_) RETURN_IF_ERROR(AddHost(name));
    return absl::OkStatus();
  }

 private:
  // An inventory folder as Ansible reads one: its files by name, subfolders too.
  absl::Status ReadFolder(const std::string& folder, int depth, int* read) {
    if (depth > kMaxFolderDepth) return absl::InvalidArgumentError(absl::StrCat(folder, ": folders nest too deep"));
    for (const auto& [path, is_folder] : EntriesIn(folder)) {
      if (SkippedInInventoryFolder(BaseNameOf(path))) continue;
      if (is_folder) {
        RETURN_IF_ERROR(ReadFolder(path, depth + 1, read));
      } else {
        ++*read;
        RETURN_IF_ERROR(ReadFile(path, std::nullopt));
      }
    }
    return absl::OkStatus();
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
    const std::string* file = builder_.File(path);
    RETURN_IF_ERROR(RefuseVaultFile(content, file));
    if (LooksLikeAnsibleIni(content)) return ReadIni(content, file);
    ASSIGN_OR_RETURN(YamlNode root, ReadYamlText(content, path));
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
          Var{value.scalar, {file, value.line}, value.vault, !value.IsMap() && !value.IsSequence(),
              value.unsafe};
    }
    return absl::OkStatus();
  }

  // The names under a group's `hosts` or `children` with their values: a
  // mapping, or (as Ansible allows) one name alone.
  static absl::StatusOr<std::vector<std::pair<const YamlNode*, const YamlNode*>>> YamlNames(
      const YamlNode& node, const std::string* file, const std::string& what) {
    static const YamlNode kNull;
    std::vector<std::pair<const YamlNode*, const YamlNode*>> names;
    if (node.IsScalar()) {
      names.emplace_back(&node, &kNull);
    } else if (node.IsMap()) {
      for (size_t i = 0; i + 1 < node.items.size(); i += 2) names.emplace_back(&node.items[i], &node.items[i + 1]);
    } else if (!node.IsNull()) {
      return FieldError({file, node.line}, what, absl::StrCat("must be a mapping of names, not ", node.KindName()));
    }
    return names;
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
        ASSIGN_OR_RETURN(auto hosts, YamlNames(value, file, name + ".hosts"));
        for (const auto& [pattern, vars] : hosts) {
          FieldOrigin origin{file, pattern->line};
          std::vector<std::string> names;
          std::string port;
          RETURN_IF_ERROR(ParseHostPattern(pattern->scalar, origin, &names, &port));
          for (const std::string& host : names) {
            Host& listed = ListHost(host, name, origin);
            if (!port.empty()) listed.vars["ansible_port"] = Var{port, origin};
            RETURN_IF_ERROR(ReadYamlVars(*vars, file, &listed.vars, host));
          }
        }
      } else if (key.scalar == "children") {
        ASSIGN_OR_RETURN(auto children, YamlNames(value, file, name + ".children"));
        for (const auto& [child, child_node] : children) {
          FieldOrigin origin{file, child->line};
          AddChild(name, child->scalar, origin);
          RETURN_IF_ERROR(ReadYamlGroup(child->scalar, *child_node, origin));
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

  absl::Status ReadIni(const std::string& text, const std::string* file) {
    // As Ansible, at the end of each file: [g:vars] and [p:children] may
    // name only groups a [g] or [g:children] declares, here or in a file
    // read before; anything else is a typo that would go unnoticed.
    std::set<std::string> declared;
    for (const auto& [name, group] : groups_) declared.insert(name);
    struct Named {
      std::string group;
      FieldOrigin at;
      std::string what;
    };
    std::vector<Named> named;
    std::string section = kUngrouped;
    std::string kind = "hosts";  // hosts, vars or children
    int line_number = 0;
    for (absl::string_view raw : absl::StrSplit(text, '\n')) {
      ++line_number;
      FieldOrigin at{file, line_number};
      absl::string_view line = absl::StripAsciiWhitespace(raw);
      if (line.empty() || line[0] == '#' || line[0] == ';') continue;
      std::string group, tag;
      if (ParseSection(line, &group, &tag)) {
        if (tag != "hosts" && tag != "vars" && tag != "children") {
          return FieldError(at, "", absl::StrCat("unknown section kind ':", tag, "': expected :vars or :children"));
        }
        section = group;
        kind = tag;
        if (kind != "vars") {
          declared.insert(section);
        } else if (!declared.count(section)) {
          named.push_back({section, at, absl::StrCat("[", section, ":vars] is for a group no [", section, "] or [",
                                                     section, ":children] declares")});
        }
        if (groups_[section].origin.file == nullptr) groups_[section].origin = at;
        if (section != "all") AddChild("all", section, at);
        continue;
      }
      if (line[0] == '[' && line.back() == ']') {
        return FieldError(at, "", "a section header is [group], [group:vars] or [group:children], no spaces");
      }
      if (kind == "children") {
        std::vector<absl::string_view> words = absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
        absl::string_view child = words[0];
        if ((words.size() > 1 && words[1][0] != '#') || absl::StrContains(child, ':') ||
            absl::StrContains(child, ']')) {
          return FieldError(at, "", absl::StrCat("[", section, ":children] lists group names, one a line"));
        }
        AddChild(section, std::string(child), at);
        named.push_back({std::string(child), at, absl::StrCat("[", section, ":children] names group '", child,
                                                              "', which no [", child, "] or [", child,
                                                              ":children] declares")});
      } else if (kind == "vars") {
        // One variable a line, the rest of it the value, as Ansible reads it.
        size_t equals = line.find('=');
        if (equals == absl::string_view::npos) return FieldError(at, "", "expected key=value");
        std::string key(absl::StripTrailingAsciiWhitespace(line.substr(0, equals)));
        groups_[section].vars[key] = Var{IniValue(absl::StripLeadingAsciiWhitespace(line.substr(equals + 1))), at};
      } else {
        ASSIGN_OR_RETURN(std::vector<std::string> words, ShellWords(line, at));
        if (words.empty()) continue;
        std::vector<std::string> names;
        std::string port;
        RETURN_IF_ERROR(ParseHostPattern(words[0], at, &names, &port));
        VarMap vars;
        // Ansible sets the port of "host:port" first; a variable may override it.
        if (!port.empty()) vars["ansible_port"] = Var{port, at};
        for (size_t i = 1; i < words.size(); ++i) {
          size_t equals = words[i].find('=');
          // Not quoted: the word may be a password with a space in it.
          if (equals == std::string::npos) {
            return FieldError(at, "", absl::StrCat("word ", i + 1, " after the host is not key=value"));
          }
          vars[words[i].substr(0, equals)] = Var{IniValue(absl::string_view(words[i]).substr(equals + 1)), at};
        }
        for (const std::string& name : names) {
          Host& host = ListHost(name, section, at);
          for (const auto& [key, var] : vars) host.vars[key] = var;
        }
      }
    }
    for (const Named& name : named) {
      if (!declared.count(name.group)) return FieldError(name.at, "", name.what);
    }
    return absl::OkStatus();
  }

  // group_vars/<name> (or host_vars/) as Ansible's host_group_vars finds it:
  // the first of <name>, <name>.yml, <name>.yaml and <name>.json; a folder
  // stands for its files.
  absl::Status ReadVarsFiles(const std::string& folder, const std::string& name, VarMap* vars) {
    std::vector<std::string> files;
    for (const char* extension : {"", ".yml", ".yaml", ".json"}) {
      std::string path = absl::StrCat(folder, "/", name, extension);
      if (!PathExists(path)) continue;
      if (IsFolder(path)) {
        RETURN_IF_ERROR(VarsFilesIn(path, 0, &files));
      } else {
        files.push_back(path);
      }
      break;
    }
    for (const std::string& path : files) {
      std::optional<std::string> text = ReadFileText(path);
      if (!text) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
      const std::string* file = builder_.File(path);
      RETURN_IF_ERROR(RefuseVaultFile(*text, file));
      ASSIGN_OR_RETURN(YamlNode root, ReadYamlText(*text, path));
      RETURN_IF_ERROR(ReadYamlVars(root, file, vars, ""));
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
      if (auto looped = std::find(chain->begin(), chain->end(), child); looped != chain->end()) {
        std::vector<std::string> cycle(looped, chain->end());
        cycle.push_back(child);
        return FieldError(at, "children", absl::StrCat("group cycle: ", absl::StrJoin(cycle, " -> ")));
      }
      if (chain->size() > 1000) return FieldError(at, "children", "groups nest over 1000 deep");
      RETURN_IF_ERROR(Descend(child, depth + 1, chain));
    }
    chain->pop_back();
    return absl::OkStatus();
  }

  // `listed` with their ancestors, each once, nearest first, `all` excluded.
  std::vector<std::string> GroupsOf(const std::vector<std::string>& listed) const {
    std::vector<std::string> found;
    std::vector<std::string> queue = listed;
    for (size_t i = 0; i < queue.size(); ++i) {
      if (std::find(found.begin(), found.end(), queue[i]) != found.end() || queue[i] == "all") continue;
      found.push_back(queue[i]);
      if (auto parents = parents_.find(queue[i]); parents != parents_.end()) {
        queue.insert(queue.end(), parents->second.begin(), parents->second.end());
      }
    }
    return found;
  }

  // The variables of `levels` (least specific first) as `fields`. As Ansible
  // merges them, a variable takes the value of the last level giving it, and
  // only that value is checked: a template overridden is no error. Each of
  // our fields takes the most specific of its names (by name within a level,
  // so ansible_ssh_pass over ansible_password, netshard_password over both).
  static absl::Status ApplyVars(const std::vector<const VarMap*>& levels, DeviceFields* fields) {
    struct Given {
      const std::string* name;
      const Var* var;
      size_t level;
    };
    std::map<std::string, Given> merged;
    for (size_t level = 0; level < levels.size(); ++level) {
      for (const auto& [name, var] : *levels[level]) merged.insert_or_assign(name, Given{&name, &var, level});
    }
    std::map<std::string, Given> by_field;
    for (const auto& [name, given] : merged) {
      std::string field;
      if (name == "ansible_group_priority") continue;  // the group's order, no host's variable
      if (auto known = FieldVars().find(name); known != FieldVars().end()) {
        field = known->second;
      } else if (absl::StartsWith(name, kPrefix)) {
        field = name.substr(sizeof(kPrefix) - 1);
        RETURN_IF_ERROR(CheckFieldName(field, given.var->origin, kPrefix));
      } else {
        if (given.var->single && !given.var->vault) fields->vars[name] = given.var->value;
        continue;
      }
      auto [it, added] = by_field.try_emplace(field, given);
      if (!added && given.level >= it->second.level) it->second = given;
    }
    std::vector<FieldLevel> by_level(levels.size());
    for (const auto& [field, given] : by_field) {
      const Var& var = *given.var;
      if (!var.single) return FieldError(var.origin, *given.name, "must be a single value");
      if (IsTemplate(var.value) && !var.unsafe) {
        return FieldError(var.origin, *given.name,
                          "is a Jinja2 template; netshard does not evaluate templates: give the value "
                          "(marked !unsafe if it holds braces), or ${env:NAME} for a secret");
      }
      FieldValue value{var.value, var.origin, *given.name, var.vault};
      if (*given.name == "ansible_network_os") value.value = DeviceTypeFor(var.value);
      by_level[given.level].emplace_back(field, std::move(value));
    }
    // A level at a time, so that one level's jump_host.* stay together.
    for (FieldLevel& level : by_level) {
      if (!level.empty()) fields->Apply(std::move(level));
    }
    return absl::OkStatus();
  }

  absl::Status AddHost(const std::string& name) {
    const Host& host = hosts_.at(name);
    std::vector<std::string> listed;
    for (const std::string& group : host.groups) {
      if (group != "all" && group != kUngrouped) listed.push_back(group);
    }
    // Ansible keeps in `ungrouped` only the hosts in no other group.
    if (listed.empty()) listed.push_back(kUngrouped);
    std::vector<std::string> groups = GroupsOf(listed);
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
    fields.group = listed[0];
    for (const std::string& group : groups) {
      if (group != fields.group) fields.more_groups.push_back(group);
    }
    std::vector<const VarMap*> levels;
    for (const Group* group : order) levels.push_back(&group->vars);
    for (const Group* group : order) levels.push_back(&group->file_vars);
    levels.push_back(&host.vars);
    levels.push_back(&host.file_vars);
    RETURN_IF_ERROR(ApplyVars(levels, &fields));
    if (fields.Get("host") == nullptr && fields.Get("ip") == nullptr) {
      fields.Set("host", FieldValue{name, host.origin, "", false});
    }
    return builder_.Add(fields);
  }

  const InventoryInput& input_;
  InventoryBuilder& builder_;
  std::map<std::string, Group> groups_;
  std::map<std::string, std::vector<std::string>> parents_;  // by name
  std::map<std::string, Host> hosts_;
  std::vector<std::string> host_order_;  // first listing first
};

}  // namespace

bool LooksLikeAnsibleIni(absl::string_view text) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    absl::string_view trimmed = absl::StripAsciiWhitespace(line);
    if (trimmed.empty() || trimmed[0] == '#' || trimmed[0] == ';' || trimmed == "---") continue;
    std::string group, kind;
    if (ParseSection(trimmed, &group, &kind) || (trimmed[0] == '[' && trimmed.back() == ']')) return true;
    // A host line: a name (or name:port) alone, or with key=value
    // variables; YAML's "key: value" has a space after the colon.
    return !absl::StrContains(trimmed, ": ") && trimmed.back() != ':' && trimmed[0] != '-' &&
           trimmed[0] != '{' && (absl::StrContains(trimmed, '=') || !absl::StrContains(trimmed, ' '));
  }
  return false;
}

absl::Status ReadAnsibleInventory(const InventoryInput& input, InventoryBuilder& builder) {
  return AnsibleReader(input, builder).Read();
}

}  // namespace netshard
