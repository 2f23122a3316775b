#include "common/yaml_errors.h"

#include "gtest/gtest.h"

namespace netshard {
namespace {

TEST(YamlErrorsTest, NamesFileLineAndField) {
  YAML::Node root = YAML::Load("a: 1\nb:\n  c: [x]\n");
  YamlErrors errors("devices.yaml");
  absl::Status at = errors.At(root["b"]["c"], "c", "must be a string");
  EXPECT_TRUE(absl::IsInvalidArgument(at));
  EXPECT_EQ(at.message(), "devices.yaml:3: field 'c': must be a string");
  EXPECT_EQ(errors.AtLine(7, "", "no devices").message(), "devices.yaml:7: no devices");
}

}  // namespace
}  // namespace netshard
