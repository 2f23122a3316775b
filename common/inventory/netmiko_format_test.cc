// netmiko-tools' .netmiko.yml: tests/data/inventories/netmiko/.netmiko.yml is
// written as netmiko-tools' documentation writes one.
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "common/inventory/inventory.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/subprocess.h"

namespace netshard {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

using testing::SourceDir;

absl::StatusOr<Inventory> Parse(const std::string& yaml) {
  return ParseInventory(yaml, ".netmiko.yml");
}

// The error of parsing `yaml`, which must fail.
std::string ErrorOf(const std::string& yaml) {
  absl::StatusOr<Inventory> inventory = Parse(yaml);
  EXPECT_FALSE(inventory.ok()) << "parsed but should not have:\n" << yaml;
  return inventory.ok() ? "" : std::string(inventory.status().message());
}

constexpr char kTwoDevices[] =
    "r1:\n  device_type: cisco_ios\n  ip: 10.0.0.1\n  username: u\n"
    "r2:\n  device_type: cisco_ios\n  ip: 10.0.0.2\n  username: u\n";

class NetmikoDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Not forced: the file's name tells.
    absl::StatusOr<Inventory> inventory =
        LoadInventory(SourceDir() + "/tests/data/inventories/netmiko/.netmiko.yml");
    ASSERT_TRUE(inventory.ok()) << inventory.status();
    inventory_ = *std::move(inventory);
  }

  Inventory inventory_;
};

TEST_F(NetmikoDataTest, ReadsDevicesAsConnectHandlerArguments) {
  EXPECT_EQ(inventory_.format, "netmiko");
  ASSERT_EQ(inventory_.devices.size(), 5u);
  const Device& cisco3 = inventory_.devices[0];
  EXPECT_EQ(cisco3.name, "cisco3");
  EXPECT_EQ(cisco3.address, "cisco3.lasthop.io");
  EXPECT_EQ(cisco3.port, 22);
  EXPECT_EQ(cisco3.device_type, "cisco_ios");
  EXPECT_EQ(cisco3.platform->name, "cisco_ios");
  EXPECT_EQ(cisco3.username, "pyclass");
  EXPECT_EQ(cisco3.password, "cisco3-pw");
  EXPECT_EQ(cisco3.secret, "cisco3-enable");
  EXPECT_EQ(cisco3.line, 5);  // the line naming the device
  const Device& cisco4 = inventory_.devices[1];
  EXPECT_EQ(cisco4.address, "10.220.88.21");
  EXPECT_EQ(cisco4.port, 8022);
  EXPECT_EQ(cisco4.secret, "");
  EXPECT_EQ(inventory_.devices[2].timeouts.connect_ms(), 20000u);
  EXPECT_EQ(inventory_.devices[3].platform->name, "arista_eos");
  const Device& srx2 = inventory_.devices[4];
  EXPECT_EQ(srx2.device_type, "juniper_junos");
  EXPECT_TRUE(srx2.use_keys);
  EXPECT_EQ(srx2.key_file, "~/.ssh/srx2_rsa");
}

TEST_F(NetmikoDataTest, GroupsListDevicesByName) {
  const DeviceList& devices = inventory_.devices;
  EXPECT_EQ(devices[0].group, "cisco");
  EXPECT_EQ(devices[1].group, "cisco");
  EXPECT_EQ(devices[2].group, "nxos");  // nxos1: in nxos first, then datacenter
  EXPECT_THAT(devices[2].more_groups, ElementsAre("datacenter"));
  EXPECT_EQ(devices[3].group, "datacenter");
  EXPECT_TRUE(devices[3].more_groups.empty());
  EXPECT_EQ(devices[4].group, "ungrouped");  // srx2 is only in `all`
}

TEST(NetmikoTest, AllIsEveryDeviceAndNeedsNoListing) {
  // netmiko-tools makes `all` itself; a listing of it changes nothing.
  absl::StatusOr<Inventory> inventory = Parse(std::string(kTwoDevices) + "all:\n  - r1\n");
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  ASSERT_EQ(inventory->devices.size(), 2u);
  EXPECT_EQ(inventory->devices[0].group, "ungrouped");
  EXPECT_TRUE(inventory->devices[0].more_groups.empty());
  EXPECT_EQ(inventory->devices[1].group, "ungrouped");
}

TEST(NetmikoTest, GroupsMayComeBeforeTheirDevices) {
  absl::StatusOr<Inventory> inventory =
      Parse("edge:\n  - r2\ncore: [r1, r2]\n" + std::string(kTwoDevices));
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  EXPECT_EQ(inventory->devices[0].group, "core");
  EXPECT_EQ(inventory->devices[1].group, "edge");
  EXPECT_THAT(inventory->devices[1].more_groups, ElementsAre("core"));
}

TEST(NetmikoTest, GroupsNameDevicesByTheirKeyAndListEachOnce) {
  absl::StatusOr<Inventory> inventory = Parse(
      "r1:\n  name: core-1\n  device_type: cisco_ios\n  ip: 10.0.0.1\n  username: u\n"
      "core: [r1, r1]\n");
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  EXPECT_EQ(inventory->devices[0].name, "core-1");
  EXPECT_EQ(inventory->devices[0].group, "core");
  EXPECT_TRUE(inventory->devices[0].more_groups.empty());
}

TEST(NetmikoTest, RefusesAGroupNamingAnUnknownDeviceWithItsLine) {
  EXPECT_THAT(ErrorOf(std::string(kTwoDevices) + "core:\n  - r1\n  - r3\n"),
              HasSubstr(".netmiko.yml:11: field 'core': no device 'r3' in this file"));
  EXPECT_THAT(ErrorOf(std::string(kTwoDevices) + "core:\n  - {ip: 10.0.0.3}\n"),
              HasSubstr(".netmiko.yml:10: field 'core': must list device names, not a mapping"));
}

TEST(NetmikoTest, RefusesUnknownArgumentsSuggestingTheClosest) {
  EXPECT_THAT(ErrorOf("r1:\n  device_type: cisco_ios\n  ip: 10.0.0.1\n  usernme: u\n"),
              HasSubstr(".netmiko.yml:4: field 'usernme': unknown field — did you mean "
                        "'username'?"));
  EXPECT_THAT(ErrorOf("r1:\n  device_type: cisco_ios\n  ip: 10.0.0.1\n  username: u\n"
                      "  secert: s\n"),
              HasSubstr(".netmiko.yml:5: field 'secert': unknown field — did you mean 'secret'?"));
}

TEST(NetmikoTest, AcceptsNetmikoOnlyArguments) {
  absl::StatusOr<Inventory> inventory = Parse(
      "r1:\n  device_type: cisco_ios\n  ip: 10.0.0.1\n  username: u\n"
      "  fast_cli: false\n  global_delay_factor: 4\n  session_log: r1.log\n"
      "  verbose: true\n  allow_agent: false\n  encoding: utf-8\n");
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  EXPECT_EQ(inventory->devices[0].address, "10.0.0.1");
}

TEST(NetmikoTest, RefusesTheSameAddressAndPortTwice) {
  EXPECT_EQ(ErrorOf(std::string(kTwoDevices) +
                    "r3:\n  device_type: cisco_ios\n  ip: 10.0.0.1\n  username: u\n"),
            ".netmiko.yml:9: field 'ip': duplicate device 10.0.0.1:22 (first listed at line 1)");
}

TEST(NetmikoTest, RefusesWhatIsNeitherDeviceNorGroup) {
  EXPECT_THAT(ErrorOf(std::string(kTwoDevices) + "r3: 10.0.0.3\n"),
              HasSubstr(".netmiko.yml:9: field 'r3': expected a device"));
}

TEST(NetmikoTest, IsRecognisedByItsFileName) {
  // Devices with an `ip` and no group: by content alone this reads as the
  // course's format, where it fails.
  std::string dir = testing::MakeTempDir();
  std::ofstream(dir + "/.netmiko.yml") << kTwoDevices;
  std::ofstream(dir + "/devices.yml") << kTwoDevices;
  absl::StatusOr<Inventory> inventory = LoadInventory(dir + "/.netmiko.yml");
  bool read_by_content = LoadInventory(dir + "/devices.yml").ok();
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  EXPECT_EQ(inventory->format, "netmiko");
  EXPECT_EQ(inventory->devices.size(), 2u);
  EXPECT_FALSE(read_by_content);
}

}  // namespace
}  // namespace netshard
