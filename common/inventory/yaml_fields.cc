#include "common/inventory/yaml_fields.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace netshard {
namespace {

absl::Status AddJumpHost(const YamlNode& node, const std::string* file, FieldLevel* level) {
  FieldOrigin at{file, node.line};
  if (node.IsNull()) return absl::OkStatus();
  if (!node.IsMap()) {
    return FieldError(at, "jump_host", "must be a mapping with host, username, password or key_file");
  }
  if (node.items.empty()) level->emplace_back("jump_host.host", FieldValue{"", at, "", false});
  for (size_t i = 0; i + 1 < node.items.size(); i += 2) {
    const std::string& key = node.items[i].scalar;
    const YamlNode& value = node.items[i + 1];
    std::string field = "jump_host." + key;
    RETURN_IF_ERROR(CheckFieldName(field, {file, node.items[i].line}));
    if (value.IsMap() || value.IsSequence()) {
      return FieldError({file, value.line}, field,
                        absl::StrCat("must be a single value, not ", value.KindName()));
    }
    level->emplace_back(field, ValueOf(value, file));
  }
  return absl::OkStatus();
}

absl::Status AddVars(const YamlNode& node, const std::string* file,
                     std::map<std::string, std::string>* vars) {
  if (node.IsNull()) return absl::OkStatus();
  if (!node.IsMap()) {
    return FieldError({file, node.line}, "vars", "must be a mapping of names to values");
  }
  for (size_t i = 0; i + 1 < node.items.size(); i += 2) {
    const YamlNode& value = node.items[i + 1];
    if (value.IsMap() || value.IsSequence()) {
      return FieldError({file, value.line}, "vars." + node.items[i].scalar,
                        absl::StrCat("must be a single value, not ", value.KindName()));
    }
    (*vars)[node.items[i].scalar] = value.scalar;
  }
  return absl::OkStatus();
}

}  // namespace

FieldValue ValueOf(const YamlNode& node, const std::string* file) {
  return FieldValue{node.scalar, FieldOrigin{file, node.line}, "", node.vault};
}

absl::StatusOr<FieldLevel> FieldsFromYaml(const YamlNode& map, const std::string* file,
                                          std::map<std::string, std::string>* vars) {
  FieldLevel level;
  for (size_t i = 0; i + 1 < map.items.size(); i += 2) {
    const YamlNode& key = map.items[i];
    const YamlNode& value = map.items[i + 1];
    RETURN_IF_ERROR(CheckFieldName(key.scalar, {file, key.line}));
    if (key.scalar == "jump_host") {
      RETURN_IF_ERROR(AddJumpHost(value, file, &level));
    } else if (key.scalar == "vars") {
      RETURN_IF_ERROR(AddVars(value, file, vars));
    } else if (value.IsMap() || value.IsSequence()) {
      return FieldError({file, value.line}, key.scalar,
                        absl::StrCat("must be a single value, not ", value.KindName()));
    } else {
      level.emplace_back(key.scalar, ValueOf(value, file));
    }
  }
  return level;
}

}  // namespace netshard
