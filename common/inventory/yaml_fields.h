// A YAML mapping of device fields, in the course's names (devices.yaml's
// devices, defaults and group_defaults; .netmiko.yml's devices), as one
// level of DeviceFields.
#ifndef NETSHARD_COMMON_INVENTORY_YAML_FIELDS_H_
#define NETSHARD_COMMON_INVENTORY_YAML_FIELDS_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "common/inventory/device_fields.h"
#include "common/inventory/yaml_tree.h"

namespace netshard {

// Every name checked (an unknown one suggests the closest), every value a
// single one, `jump_host` flattened to jump_host.*; `vars` (the user's own
// fields) go to `vars` instead. `file` names the file in errors.
absl::StatusOr<FieldLevel> FieldsFromYaml(const YamlNode& map, const std::string* file,
                                          std::map<std::string, std::string>* vars);

// The scalar `node` as a field value from `file`.
FieldValue ValueOf(const YamlNode& node, const std::string* file);

}  // namespace netshard

#endif  // NETSHARD_COMMON_INVENTORY_YAML_FIELDS_H_
