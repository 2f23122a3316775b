// The one form of an error in a YAML file netshard reads (inventory, agents
// file, agent credentials): "<file>:<line>: field '<field>': <what>", so a
// user always learns the file, the line and the field.
#ifndef NETSHARD_COMMON_YAML_ERRORS_H_
#define NETSHARD_COMMON_YAML_ERRORS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "yaml-cpp/yaml.h"

namespace netshard {

class YamlErrors {
 public:
  explicit YamlErrors(absl::string_view source) : source_(source) {}

  // InvalidArgument at `node`'s line; without the field part when `field` is empty.
  absl::Status At(const YAML::Node& node, absl::string_view field, absl::string_view what) const;
  // The same at a line (1-based) known otherwise.
  absl::Status AtLine(int line, absl::string_view field, absl::string_view what) const;

 private:
  std::string source_;
};

}  // namespace netshard

#endif  // NETSHARD_COMMON_YAML_ERRORS_H_
