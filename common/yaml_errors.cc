#include "common/yaml_errors.h"

#include "absl/strings/str_cat.h"

namespace netshard {

absl::Status YamlErrors::At(const YAML::Node& node, absl::string_view field,
                            absl::string_view what) const {
  return AtLine(node.Mark().line + 1, field, what);
}

absl::Status YamlErrors::AtLine(int line, absl::string_view field, absl::string_view what) const {
  std::string where = absl::StrCat(source_, ":", line);
  if (field.empty()) return absl::InvalidArgumentError(absl::StrCat(where, ": ", what));
  return absl::InvalidArgumentError(absl::StrCat(where, ": field '", field, "': ", what));
}

}  // namespace netshard
