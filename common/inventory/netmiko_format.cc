// netmiko-tools' .netmiko.yml: a device is a mapping of ConnectHandler's
// arguments under its name; a group is a list of device names. `all` needs
// no listing: it is every device.
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
  auto visit = [&](const std::vector<std::string>& path, bool,
                   YamlNode& node) -> absl::StatusOr<YamlVisit> {
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
    fields.group = "ungrouped";
    fields.origin = {file, node.line};
    ASSIGN_OR_RETURN(FieldLevel level, FieldsFromYaml(node, file, &fields.vars));
    fields.Apply(std::move(level));
    RETURN_IF_ERROR(builder.Add(fields));
    return YamlVisit::kDrop;
  };
  absl::StatusOr<YamlNode> root = input.text ? ReadYamlText(*input.text, input.path, 1, visit)
                                             : ReadYamlFile(input.path, 1, visit);
  if (!root.ok()) return root.status();
  if (!root->IsMap() && !root->IsNull()) {
    return FieldError({file, root->line}, "", "expected a mapping of device and group names");
  }
  std::map<std::string, Device*> by_name;
  for (Device& device : builder.devices()) by_name[device.name] = &device;
  for (const auto& [group, list] : groups) {
    if (group == "all") continue;
    for (const YamlNode& member : list.items) {
      auto device = by_name.find(member.scalar);
      if (!member.IsScalar() || device == by_name.end()) {
        return FieldError({file, member.line}, group,
                          absl::StrCat("no device '", member.scalar, "' in this file"));
      }
      Device& listed = *device->second;
      if (listed.group == "ungrouped") {
        listed.group = group;
      } else {
        listed.more_groups.push_back(group);
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace netshard
