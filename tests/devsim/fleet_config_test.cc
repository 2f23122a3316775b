#include "tests/devsim/fleet_config.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard::devsim {
namespace {

using ::testing::HasSubstr;

constexpr uint32_t kFirst = 0x7F010001;  // 127.1.0.1

TEST(FleetConfigTest, LaterRulesOverrideEarlierOnesFieldByField) {
  auto config = ParseFleetConfig(R"(
platform: arista_eos
devices:
- index: 1-5
  platform: juniper_junos
  faults: [hang_after_login]
- address: 127.1.0.3
  password: other
  auth: [keyboard-interactive]
  command_delay_ms: 250
)", "fleet.yaml");
  ASSERT_TRUE(config.ok()) << config.status();
  DeviceBehaviour first = ResolveBehaviour(*config, 1, kFirst);
  EXPECT_EQ(first.platform->name, "juniper_junos");
  EXPECT_TRUE(first.hang_after_login);
  EXPECT_FALSE(first.password.has_value());
  DeviceBehaviour third = ResolveBehaviour(*config, 3, kFirst + 2);
  EXPECT_EQ(third.platform->name, "juniper_junos");
  EXPECT_EQ(third.password, "other");
  EXPECT_FALSE(third.password_auth);
  EXPECT_TRUE(third.keyboard_interactive_auth);
  EXPECT_EQ(third.command_delay, absl::Milliseconds(250));
  EXPECT_EQ(ResolveBehaviour(*config, 6, kFirst + 5).platform->name, "arista_eos");
}

TEST(FleetConfigTest, AllowFromListsSourceAddressesAndRanges) {
  auto config = ParseFleetConfig(R"(
devices:
- index: 1-2
  allow_from: [127.0.10.1, 127.0.20.0-127.0.20.255]
)", "fleet.yaml");
  ASSERT_TRUE(config.ok()) << config.status();
  DeviceBehaviour guarded = ResolveBehaviour(*config, 2, kFirst + 1);
  ASSERT_EQ(guarded.allow_from.size(), 2u);
  EXPECT_EQ(guarded.allow_from[0], std::make_pair(0x7F000A01u, 0x7F000A01u));
  EXPECT_EQ(guarded.allow_from[1], std::make_pair(0x7F001400u, 0x7F0014FFu));
  EXPECT_TRUE(ResolveBehaviour(*config, 3, kFirst + 2).allow_from.empty());
  EXPECT_THAT(ParseFleetConfig("devices:\n- index: 1\n  allow_from: [127.0.0.300]\n", "f.yaml")
                  .status().message(),
              HasSubstr("f.yaml:3: allow_from: '127.0.0.300' is not a value or a range"));
  EXPECT_THAT(ParseFleetConfig("devices:\n- index: 1\n  allow_from: 127.0.0.1\n", "f.yaml")
                  .status().message(),
              HasSubstr("f.yaml:3: allow_from: must be a list"));
}

TEST(FleetConfigTest, ErrorsNameFileLineAndField) {
  EXPECT_THAT(ParseFleetConfig("devices:\n- index: 1\n  platform: cisco_ios\n  faults: [melt]\n", "f.yaml")
                  .status().message(),
              HasSubstr("f.yaml:4: faults: unknown fault"));
  EXPECT_THAT(ParseFleetConfig("devices:\n- index: 1\n  platform: vax\n", "f.yaml").status().message(),
              ::testing::AllOf(HasSubstr("f.yaml:3: platform: unknown; simulated platforms: "),
                               HasSubstr("arista_eos, ")));
  EXPECT_THAT(ParseFleetConfig("devices:\n- address: 10.0.0.1\n", "f.yaml").status().message(),
              HasSubstr("f.yaml:2: address: devsim only simulates 127.0.0.0/8"));
  EXPECT_THAT(ParseFleetConfig("devices:\n- index: 5-2\n", "f.yaml").status().message(),
              HasSubstr("f.yaml:2: index: '5-2' is not a value or a range"));
  EXPECT_THAT(ParseFleetConfig("devices:\n- platform: linux\n", "f.yaml").status().message(),
              HasSubstr("f.yaml:2: devices: an entry needs index or address"));
  EXPECT_THAT(ParseFleetConfig("devices:\n- index: 1\n  colour: red\n", "f.yaml").status().message(),
              HasSubstr("f.yaml:3: colour: unknown field"));
  EXPECT_THAT(ParseFleetConfig("devices: [\n", "f.yaml").status().message(),
              HasSubstr("f.yaml:2: invalid YAML"));
}

}  // namespace
}  // namespace netshard::devsim
