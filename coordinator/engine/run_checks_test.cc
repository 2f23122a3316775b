#include "coordinator/engine/run_checks.h"

#include "gtest/gtest.h"

namespace netshard {
namespace {

TEST(RunChecksTest, ARunCarriesTheDefinitionsItsDevicesNeed) {
  std::unique_ptr<PlatformSet> set = PlatformSet::Builtin();
  v1::RunSpec spec;
  AddPlatformDefinitions({set->Find("cisco_ios"), set->Find("cisco_ios_ssh")}, *set, &spec);
  ASSERT_EQ(spec.platforms_size(), 1);
  EXPECT_EQ(spec.platforms(0).source(), "common/platforms/cisco_ios.yaml");
  EXPECT_EQ(spec.platforms(0).text(), set->Find("cisco_ios")->definition);
  v1::RunSpec detecting;
  AddPlatformDefinitions({set->Find("autodetect")}, *set, &detecting);
  size_t detectable = 0;
  for (const Platform* p : set->All()) detectable += p->detect_commands.empty() ? 0 : 1;
  EXPECT_EQ(static_cast<size_t>(detecting.platforms_size()), detectable);
}

}  // namespace
}  // namespace netshard
