#include "coordinator/dispatch/device_filter.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Inventory Fleet() {
  auto inventory = ParseInventory(R"(
defaults: {username: u, device_type: cisco_ios}
core:
- {name: core-1, ip: 10.0.0.1, vars: {site: msk, role: core}}
- {name: core-2, ip: 10.0.0.2, vars: {site: spb, role: core}}
access:
- {name: acc-1, ip: 10.0.1.1, segment: lab, vars: {site: msk}}
- {name: acc-2, ip: 10.0.1.2, device_type: arista_eos}
)", "devices.yaml");
  EXPECT_TRUE(inventory.ok()) << inventory.status();
  return *inventory;
}

std::vector<std::string> Names(const DeviceFilter& filter) {
  auto selected = SelectDevices(Fleet(), filter);
  EXPECT_TRUE(selected.ok()) << selected.status();
  std::vector<std::string> names;
  if (selected.ok()) {
    for (const Device& device : selected->devices) names.push_back(device.name);
  }
  return names;
}

std::string ErrorOf(const DeviceFilter& filter) {
  auto selected = SelectDevices(Fleet(), filter);
  EXPECT_FALSE(selected.ok());
  return selected.ok() ? "" : std::string(selected.status().message());
}

TEST(DeviceFilterTest, GroupsFiltersAndCanaryLimit) {
  EXPECT_THAT(Names({}), ElementsAre("core-1", "core-2", "acc-1", "acc-2"));
  EXPECT_THAT(Names({{"access"}, {}, 0}), ElementsAre("acc-1", "acc-2"));
  EXPECT_THAT(Names({{}, {"site=msk"}, 0}), ElementsAre("core-1", "acc-1"));
  EXPECT_THAT(Names({{}, {"site=msk", "role=core"}, 0}), ElementsAre("core-1"));
  EXPECT_THAT(Names({{}, {"name=core-*"}, 0}), ElementsAre("core-1", "core-2"));
  EXPECT_THAT(Names({{}, {"ip=10.0.1.?"}, 0}), ElementsAre("acc-1", "acc-2"));
  EXPECT_THAT(Names({{}, {"device_type=arista_eos"}, 0}), ElementsAre("acc-2"));
  EXPECT_THAT(Names({{}, {"segment=lab"}, 0}), ElementsAre("acc-1"));
  EXPECT_THAT(Names({{}, {}, 3}), ElementsAre("core-1", "core-2", "acc-1"));
}

TEST(DeviceFilterTest, MistakesAreErrorsNamingTheFlag) {
  EXPECT_THAT(ErrorOf({{"edge"}, {}, 0}), HasSubstr("--group edge: no such group or device in devices.yaml"));
  EXPECT_THAT(ErrorOf({{}, {"site"}, 0}), HasSubstr("--filter 'site': expected KEY=VALUE"));
  EXPECT_THAT(ErrorOf({{}, {"colour=red"}, 0}), HasSubstr("no device has 'colour'"));
  EXPECT_THAT(ErrorOf({{}, {"site=nsk"}, 0}), HasSubstr("no device of devices.yaml matches"));
}

}  // namespace
}  // namespace netshard
