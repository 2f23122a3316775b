// The course's devices.yaml, read as a stream: each device is built as soon
// as its entry ends. `defaults:` and `group_defaults:` apply to every device
// wherever they stand; when one turns up after devices were read, the file
// is read again knowing it (at most once for each).
#include <set>

#include "absl/strings/str_cat.h"
#include "common/inventory/inventory_builder.h"
#include "common/inventory/yaml_fields.h"
#include "common/status_macros.h"

namespace netshard {
namespace {

constexpr char kDefaultsKey[] = "defaults";
constexpr char kGroupDefaultsKey[] = "group_defaults";

// The settings that apply to every device (or every device of a group).
struct Settings {
  std::optional<YamlNode> defaults;
  std::optional<YamlNode> group_defaults;
};

class CourseReader {
 public:
  CourseReader(const InventoryInput& input, InventoryBuilder& builder)
      : input_(input), builder_(builder), file_(builder.File(input.path)) {}

  absl::Status Read() {
    Settings known;
    for (int pass = 0; pass < 3; ++pass) {
      builder_.Restart();
      bool again = false;
      RETURN_IF_ERROR(Pass(known, &again));
      if (!again) return absl::OkStatus();
    }
    return absl::InternalError("devices.yaml read three times");
  }

 private:
  // One reading of the file with the settings known so far. `again`: a
  // setting turned up after devices were built without it.
  absl::Status Pass(Settings& known, bool* again) {
    Settings seen;
    std::set<std::string> groups;
    std::map<std::string, FieldLevel> levels;  // group -> its effective defaults
    std::map<std::string, std::map<std::string, std::string>> level_vars;
    absl::Status pending;  // the first device error: settings still to come may cure it
    bool built = false;
    auto visit = [&](const std::vector<std::string>& path, const YamlNode* key,
                     YamlNode& node) -> absl::StatusOr<YamlVisit> {
      const std::string& top = path[0];
      if (path.size() == 1) {
        if (top == kDefaultsKey || top == kGroupDefaultsKey) {
          std::optional<YamlNode>& slot = top == kDefaultsKey ? seen.defaults : seen.group_defaults;
          std::optional<YamlNode>& before =
              top == kDefaultsKey ? known.defaults : known.group_defaults;
          slot = node;
          if (!before && built) *again = true;
          before = node;
          return YamlVisit::kDrop;
        }
        groups.insert(top);
        if (!node.IsSequence()) {
          return FieldError({file_, node.line}, top,
                            "not a list: a group must hold a list of devices ('- ip: ...')");
        }
        return YamlVisit::kDrop;
      }
      if (top == kDefaultsKey || top == kGroupDefaultsKey || key != nullptr) return YamlVisit::kKeep;
      if (*again || !pending.ok()) return YamlVisit::kDrop;
      if (!node.IsMap()) {
        return FieldError({file_, node.line}, top,
                          "each list item must be a device mapping ('- ip: ...')");
      }
      built = true;
      auto level = levels.find(top);
      if (level == levels.end()) {
        absl::Status made = GroupLevel(known, top, &levels[top], &level_vars[top]);
        if (!made.ok()) return made;
        level = levels.find(top);
      }
      DeviceFields fields;
      fields.group = top;
      fields.origin = {file_, node.line};
      fields.vars = level_vars[top];
      fields.Apply(level->second);
      absl::StatusOr<FieldLevel> own = FieldsFromYaml(node, file_, &fields.vars);
      if (!own.ok()) return own.status();
      fields.Apply(std::move(*own));
      pending = builder_.Add(fields);
      return YamlVisit::kDrop;
    };
    absl::StatusOr<YamlNode> root = ReadYaml(input_.path, input_.text, 2, visit);
    if (!root.ok()) return root.status();
    if (*again) return absl::OkStatus();
    if (root->IsNull() && !pending.ok()) return pending;
    if (root->IsNull()) {
      return FieldError({file_, 1}, "",
                        "inventory is empty: expected a group key such as 'routers:' holding a "
                        "list of devices");
    }
    if (!root->IsMap()) {
      return FieldError({file_, root->line}, "",
                        "expected a mapping of group names to device lists (e.g. 'routers:')");
    }
    RETURN_IF_ERROR(CheckSettings(seen, groups));
    RETURN_IF_ERROR(pending);
    if (builder_.size() == 0) {
      return FieldError({file_, root->line}, "",
                        "no devices: expected a group key such as 'routers:' holding a list of "
                        "devices");
    }
    return absl::OkStatus();
  }

  // `defaults` and then `group_defaults[group]`, as one level.
  absl::Status GroupLevel(const Settings& known, const std::string& group, FieldLevel* level,
                          std::map<std::string, std::string>* vars) {
    if (known.defaults) {
      if (!known.defaults->IsMap()) {
        return FieldError({file_, known.defaults->line}, kDefaultsKey,
                          "must be a mapping of device fields");
      }
      ASSIGN_OR_RETURN(*level, FieldsFromYaml(*known.defaults, file_, vars));
    }
    const YamlNode* own = known.group_defaults ? known.group_defaults->Find(group) : nullptr;
    if (own != nullptr && own->IsMap()) {
      ASSIGN_OR_RETURN(FieldLevel over, FieldsFromYaml(*own, file_, vars));
      DeviceFields merged;
      merged.Apply(std::move(*level));
      merged.Apply(std::move(over));
      *level = merged.all();
    }
    return absl::OkStatus();
  }

  // The settings as written, though no device used them.
  absl::Status CheckSettings(const Settings& seen, const std::set<std::string>& groups) {
    std::map<std::string, std::string> vars;
    if (seen.defaults) {
      if (!seen.defaults->IsMap()) {
        return FieldError({file_, seen.defaults->line}, kDefaultsKey,
                          "must be a mapping of device fields");
      }
      RETURN_IF_ERROR(FieldsFromYaml(*seen.defaults, file_, &vars).status());
    }
    if (!seen.group_defaults) return absl::OkStatus();
    const YamlNode& map = *seen.group_defaults;
    if (!map.IsMap()) {
      return FieldError({file_, map.line}, kGroupDefaultsKey,
                        "must map group names to device fields");
    }
    for (size_t i = 0; i + 1 < map.items.size(); i += 2) {
      const std::string& group = map.items[i].scalar;
      if (groups.count(group) == 0) {
        return FieldError({file_, map.items[i].line}, kGroupDefaultsKey,
                          absl::StrCat("no group '", group, "' in this inventory"));
      }
      if (!map.items[i + 1].IsMap()) {
        return FieldError({file_, map.items[i + 1].line}, kGroupDefaultsKey,
                          absl::StrCat("'", group, "' must be a mapping of device fields"));
      }
      RETURN_IF_ERROR(FieldsFromYaml(map.items[i + 1], file_, &vars).status());
    }
    return absl::OkStatus();
  }

  const InventoryInput& input_;
  InventoryBuilder& builder_;
  const std::string* file_;
};

}  // namespace

absl::Status ReadCourseInventory(const InventoryInput& input, InventoryBuilder& builder) {
  return CourseReader(input, builder).Read();
}

}  // namespace netshard
