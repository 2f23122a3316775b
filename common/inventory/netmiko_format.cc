// netmiko-tools' .netmiko.yml: a device is a mapping of ConnectHandler's
// arguments under its name; a group is a list of device names. `all` needs
// no listing: it is every device.
#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "common/inventory/inventory_builder.h"
#include "common/inventory/yaml_fields.h"
#include "common/status_macros.h"

namespace netshard {

absl::Status ReadNetmikoInventory(const InventoryInput& input, InventoryBuilder& builder) {
  const std::string* file = builder.File(input.path);
  // Groups may come before or after their devices: kept, and applied last.
  std::vector<std::pair<std::string, YamlNode>> groups;
  // Groups list devices by their key, which a `name` field does not change.
  std::map<std::string, size_t> by_key;  // index in builder.devices()
  auto visit = [&](const std::vector<std::string>& path, const YamlNode* key,
                   YamlNode& node) -> absl::StatusOr<YamlVisit> {
    if (key == nullptr) return YamlVisit::kKeep;  // a list, not devices: refused below
    const std::string& name = path[0];
    if (node.IsSequence()) {
      groups.emplace_back(name, std::move(node));
      return YamlVisit::kDrop;
    }
    if (!node.IsMap()) {
      return FieldError({file, node.line}, name,
                        absl::StrCat("expected a device (a mapping of ConnectHandler arguments) "
                                     "or a group (a list of device names), not ",
                                     node.KindName()));
    }
    DeviceFields fields;
    fields.name = name;
    fields.group = kUngrouped;
    fields.origin = {file, key->line};
    ASSIGN_OR_RETURN(FieldLevel level, FieldsFromYaml(node, file, &fields.vars));
    fields.Apply(std::move(level));
    RETURN_IF_ERROR(builder.Add(fields));
    by_key[name] = builder.size() - 1;
    return YamlVisit::kDrop;
  };
  absl::StatusOr<YamlNode> root = ReadYaml(input.path, input.text, 1, visit);
  if (!root.ok()) return root.status();
  if (!root->IsMap() && !root->IsNull()) {
    return FieldError({file, root->line}, "", "expected a mapping of device and group names");
  }
  for (const auto& [group, list] : groups) {
    if (group == "all") continue;
    for (const YamlNode& member : list.items) {
      if (!member.IsScalar()) {
        return FieldError({file, member.line}, group,
                          absl::StrCat("must list device names, not ", member.KindName()));
      }
      auto device = by_key.find(member.scalar);
      if (device == by_key.end()) {
        return FieldError({file, member.line}, group,
                          absl::StrCat("no device '", member.scalar, "' in this file"));
      }
      Device& listed = builder.devices()[device->second];
      if (listed.group == kUngrouped) {
        listed.group = group;
      } else if (listed.group != group &&
                 std::find(listed.more_groups.begin(), listed.more_groups.end(), group) ==
                     listed.more_groups.end()) {
        // A device listed twice in a group is in it once.
        listed.more_groups.push_back(group);
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace netshard
