#include "coordinator/dispatch/plan.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;

Inventory Segmented() {
  auto inventory = ParseInventory(R"(
defaults: {username: u, device_type: cisco_ios}
r:
- {ip: 10.0.0.1}
- {ip: 10.0.0.2, segment: lab}
- {ip: 10.0.0.3, segment: lab}
- {ip: 10.0.0.4, segment: dc2}
)", "devices.yaml");
  EXPECT_TRUE(inventory.ok()) << inventory.status();
  return *inventory;
}

AgentReport Agent(const std::string& name, int capacity, std::vector<std::string> segments) {
  v1::InfoResponse info;
  info.set_name(name);
  info.set_capacity(capacity);
  for (const std::string& segment : segments) info.add_segments(segment);
  return {"127.0.0.1:1", info};
}

TEST(PlanTest, EachSegmentShowsItsDevicesCapacityAndAgents) {
  std::vector<AgentReport> reports = {Agent("a", 100, {"lab"}), Agent("b", 50, {}),
                                      {"127.0.0.1:2", absl::UnavailableError("down")}};
  bool all_served = true;
  std::string table = PlanTable(Segmented(), reports, &all_served);
  EXPECT_FALSE(all_served);
  EXPECT_THAT(table, HasSubstr("(none: any agent)           1       150  a,b\n"));
  EXPECT_THAT(table, HasSubstr("lab                         2       100  a\n"));
  EXPECT_THAT(table, HasSubstr("dc2                         1         0  NONE: these devices would "
                               "end NO_AGENT_FOR_SEGMENT\n"));
  reports.push_back(Agent("c", 10, {"dc2"}));
  PlanTable(Segmented(), reports, &all_served);
  EXPECT_TRUE(all_served);
}

TEST(PlanTest, WithoutAgentsTheEngineRunsEverything) {
  bool all_served = false;
  EXPECT_EQ(PlanTable(Segmented(), {}, &all_served),
            "no --agent: the in-process engine runs all 4 devices\n");
  EXPECT_TRUE(all_served);
}

}  // namespace
}  // namespace netshard
