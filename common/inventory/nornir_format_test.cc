// Nornir SimpleInventory: tests/data/inventories/nornir/ is written as
// Nornir's documentation writes one; error cases are small folders of their
// own under /tmp.
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "common/inventory/inventory.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/subprocess.h"

namespace netshard {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

using testing::SourceDir;

std::string DataDir() { return SourceDir() + "/tests/data/inventories/nornir"; }

// The device named `name`; fails the test when there is none.
const Device& Named(const Inventory& inventory, const std::string& name) {
  for (const Device& device : inventory.devices) {
    if (device.name == name) return device;
  }
  ADD_FAILURE() << "no device " << name;
  static const Device none;
  return none;
}

class NornirDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Not forced: hosts.yaml with groups.yaml beside it is recognised.
    absl::StatusOr<Inventory> inventory = LoadInventory(DataDir() + "/hosts.yaml");
    ASSERT_TRUE(inventory.ok()) << inventory.status();
    inventory_ = *std::move(inventory);
  }

  Inventory inventory_;
};

TEST_F(NornirDataTest, IsRecognisedAndKeepsFileOrder) {
  EXPECT_EQ(inventory_.format, "nornir");
  std::vector<std::string> names;
  for (const Device& device : inventory_.devices) names.push_back(device.name);
  EXPECT_THAT(names,
              ElementsAre("rtr1.bma", "sw1.cmh", "fw1.bma", "nx1.cmh", "xr1.ams", "edge1.ams"));
  EXPECT_EQ(inventory_.devices[0].line, 5);  // the line naming the host
}

TEST_F(NornirDataTest, InheritsFromHostThenGroupsInOrderThenDefaults) {
  // rtr1.bma: groups [core, bma]; bma's parents [eu, global]. Nornir's
  // order is core, bma, eu, global, then the defaults.
  const Device& rtr1 = Named(inventory_, "rtr1.bma");
  EXPECT_EQ(rtr1.address, "10.10.1.1");      // its own
  EXPECT_EQ(rtr1.password, "core-pw");       // core, first of its groups
  EXPECT_EQ(rtr1.username, "eu-ops");        // eu, bma's parent, over defaults
  EXPECT_EQ(rtr1.port, 22);                  // defaults
  EXPECT_EQ(rtr1.device_type, "cisco_ios");  // its own, mapped
  // nx1.cmh: groups [cisco, cmh]; its own platform over cisco's, cmh's port.
  const Device& nx1 = Named(inventory_, "nx1.cmh");
  EXPECT_EQ(nx1.device_type, "cisco_nxos");
  EXPECT_EQ(nx1.port, 2022);
  EXPECT_EQ(nx1.username, "netops");
  EXPECT_EQ(nx1.password, "defaults-pw");
}

TEST_F(NornirDataTest, InheritsDataKeyByKeyIntoVars) {
  // Lists and mappings (global's ntp_servers, cmh's vlans) cannot be
  // filtered on, so they are not vars.
  EXPECT_EQ(Named(inventory_, "rtr1.bma").vars,
            (std::map<std::string, std::string>{{"rack", "A1"},
                                                {"role", "core"},
                                                {"site", "bma"},
                                                {"region", "eu"},
                                                {"asn", "65100"},
                                                {"domain", "global.local"},
                                                {"snmp_location", "unknown"}}));
  EXPECT_EQ(Named(inventory_, "sw1.cmh").vars,
            (std::map<std::string, std::string>{{"role", "access"},
                                                {"site", "cmh"},
                                                {"asn", "65000"},
                                                {"domain", "global.local"},
                                                {"snmp_location", "unknown"}}));
  // eu has no parent: domain and role come from the defaults.
  EXPECT_EQ(Named(inventory_, "xr1.ams").vars,
            (std::map<std::string, std::string>{{"region", "eu"},
                                                {"asn", "65100"},
                                                {"domain", "acme.local"},
                                                {"role", "edge"},
                                                {"snmp_location", "unknown"}}));
}

TEST_F(NornirDataTest, MapsNornirPlatformsToDeviceTypes) {
  std::map<std::string, std::string> types;
  for (const Device& device : inventory_.devices) {
    types[device.name] = device.device_type;
    ASSERT_NE(device.platform, nullptr) << device.name;
    EXPECT_EQ(device.platform->name, device.device_type);
  }
  EXPECT_EQ(types["rtr1.bma"], "cisco_ios");
  EXPECT_EQ(types["sw1.cmh"], "arista_eos");
  EXPECT_EQ(types["fw1.bma"], "juniper_junos");
  EXPECT_EQ(types["nx1.cmh"], "cisco_nxos");
  EXPECT_EQ(types["xr1.ams"], "cisco_xr");  // a Netmiko name passes through
}

TEST_F(NornirDataTest, NetmikoConnectionOptionsOverridePlainAttributes) {
  const Device& sw1 = Named(inventory_, "sw1.cmh");
  EXPECT_EQ(sw1.address, "10.20.1.2");  // not sw1.cmh.acme.local
  EXPECT_EQ(sw1.port, 8022);            // not its 2222 nor cmh's 2022
  EXPECT_EQ(sw1.username, "automation");
  EXPECT_EQ(sw1.password, "defaults-pw");
}

TEST_F(NornirDataTest, ExtrasGiveSecretAndDeviceTypeNearestWhole) {
  // Nornir takes the nearest level's extras whole, as nornir_netmiko passes
  // them to ConnectHandler over what the attributes gave.
  EXPECT_EQ(Named(inventory_, "rtr1.bma").secret, "defaults-enable");
  EXPECT_EQ(Named(inventory_, "nx1.cmh").secret, "cisco-enable");
  EXPECT_EQ(Named(inventory_, "xr1.ams").secret, "xr-enable");
  const Device& edge1 = Named(inventory_, "edge1.ams");
  EXPECT_EQ(edge1.secret, "edge-enable");
  EXPECT_EQ(edge1.device_type, "cisco_xe");  // extras' device_type over platform: ios
}

TEST_F(NornirDataTest, GroupIsTheFirstAndMoreGroupsTheRestInNornirsOrder) {
  const Device& rtr1 = Named(inventory_, "rtr1.bma");
  EXPECT_EQ(rtr1.group, "core");
  EXPECT_THAT(rtr1.more_groups, ElementsAre("bma", "eu", "global"));
  const Device& nx1 = Named(inventory_, "nx1.cmh");
  EXPECT_EQ(nx1.group, "cisco");
  EXPECT_THAT(nx1.more_groups, ElementsAre("cmh", "global"));
  const Device& xr1 = Named(inventory_, "xr1.ams");
  EXPECT_EQ(xr1.group, "eu");
  EXPECT_TRUE(xr1.more_groups.empty());
}

TEST_F(NornirDataTest, HostWithoutHostnameIsReachedByItsName) {
  const Device& fw1 = Named(inventory_, "fw1.bma");
  EXPECT_EQ(fw1.address, "fw1.bma");
  EXPECT_EQ(fw1.username, "eu-ops");
  EXPECT_EQ(fw1.secret, "defaults-enable");
}

TEST(NornirFolderTest, ReadsTheFolderHoldingHostsYaml) {
  absl::StatusOr<Inventory> inventory = LoadInventory(DataDir());
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  EXPECT_EQ(inventory->format, "nornir");
  ASSERT_EQ(inventory->devices.size(), 6u);
  EXPECT_EQ(inventory->devices[0].username, "eu-ops");  // groups.yaml was read
}

// A Nornir inventory written to a folder of its own, for the cases the
// tree in tests/data must not hold.
class NornirFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Write(const std::string& file, const std::string& text) {
    std::ofstream(dir_ + "/" + file) << text;
  }

  absl::StatusOr<Inventory> Load(const std::string& hosts) {
    Write("hosts.yaml", hosts);
    return LoadInventory(dir_ + "/hosts.yaml");
  }

  // The error of loading `hosts`, which must fail.
  std::string ErrorOf(const std::string& hosts) {
    absl::StatusOr<Inventory> inventory = Load(hosts);
    EXPECT_FALSE(inventory.ok()) << "loaded but should not have:\n" << hosts;
    return inventory.ok() ? "" : std::string(inventory.status().message());
  }

  std::string dir_;
};

constexpr char kDefaults[] = "username: u\npassword: p\nplatform: ios\n";

TEST_F(NornirFilesTest, RefusesAGroupCycleNamingIt) {
  Write("defaults.yaml", kDefaults);
  Write("groups.yaml",
        "edge:\n  groups: [site]\n"
        "site:\n  groups: [region]\n"
        "region:\n  groups:\n    - edge\n");
  std::string error = ErrorOf("r1:\n  hostname: 10.0.0.1\n  groups: [edge]\n");
  EXPECT_THAT(error, HasSubstr("groups.yaml:7: field 'groups': group cycle: "));
  EXPECT_THAT(error, HasSubstr("edge -> site -> region -> edge"));
}

TEST_F(NornirFilesTest, RefusesAGroupThatIsItsOwnParent) {
  Write("groups.yaml", "loop:\n  groups: [loop]\n");
  EXPECT_THAT(ErrorOf("r1:\n  hostname: 10.0.0.1\n"),
              HasSubstr("groups.yaml:2: field 'groups': group cycle: loop -> loop"));
}

TEST_F(NornirFilesTest, RefusesUnknownGroupsWithFileAndLine) {
  Write("defaults.yaml", kDefaults);
  Write("groups.yaml", "core:\n  username: c\n");
  EXPECT_THAT(ErrorOf("r1:\n  hostname: 10.0.0.1\n  groups:\n    - core\n    - cor\n"),
              HasSubstr("hosts.yaml:5: field 'groups': no group 'cor'"));
  Write("groups.yaml", "core:\n  groups: [dc]\n");
  EXPECT_THAT(ErrorOf("r1:\n  hostname: 10.0.0.1\n  groups: [core]\n"),
              HasSubstr("groups.yaml:2: field 'groups': no group 'dc'"));
  std::filesystem::remove(dir_ + "/groups.yaml");
  EXPECT_THAT(ErrorOf("r1:\n  hostname: 10.0.0.1\n  groups: [core]\n"),
              HasSubstr("hosts.yaml:3: field 'groups': no group 'core' (no groups.yaml beside "
                        "hosts.yaml)"));
}

TEST_F(NornirFilesTest, CredentialSourcesNameTheFileAndLineOfTheirLevel) {
  Write("defaults.yaml", kDefaults);
  Write("groups.yaml", "core:\n  password: core-pw\n");
  Write("hosts.yaml",
        "r1:\n  hostname: 10.0.0.1\n  groups: [core]\n  connection_options:\n"
        "    netmiko:\n      extras: {secret: s}\n");
  InventoryOptions options;
  options.record_sources = true;
  absl::StatusOr<Inventory> inventory = LoadInventory(dir_ + "/hosts.yaml", options);
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  ASSERT_EQ(inventory->sources.size(), 1u);
  EXPECT_EQ(inventory->sources[0].username, dir_ + "/defaults.yaml:1");
  EXPECT_EQ(inventory->sources[0].password, dir_ + "/groups.yaml:2");
  EXPECT_EQ(inventory->sources[0].secret, dir_ + "/hosts.yaml:6");
}

TEST_F(NornirFilesTest, RefusesUnknownKeysSuggestingTheClosest) {
  Write("defaults.yaml", kDefaults);
  EXPECT_THAT(ErrorOf("r1:\n  hostnme: 10.0.0.1\n"),
              HasSubstr("hosts.yaml:2: field 'hostnme': unknown field — did you mean "
                        "'hostname'?"));
  EXPECT_THAT(ErrorOf("r1:\n  connection_options:\n    netmiko:\n      prot: 2222\n"),
              HasSubstr("hosts.yaml:4: field 'connection_options.netmiko.prot': unknown field "
                        "— did you mean 'port'?"));
  EXPECT_THAT(ErrorOf("r1:\n  connection_options:\n    netmiko:\n      extras:\n"
                      "        secert: s\n"),
              HasSubstr("hosts.yaml:5: field 'secert': unknown field — did you mean 'secret'?"));
  Write("groups.yaml", "core:\n  pasword: x\n");
  EXPECT_THAT(ErrorOf("r1: {}\n"),
              HasSubstr("groups.yaml:2: field 'pasword': unknown field — did you mean "
                        "'password'?"));
}

TEST_F(NornirFilesTest, RefusesTheSameAddressAndPortTwice) {
  Write("defaults.yaml", kDefaults);
  // The second reaches 10.0.0.1 through its connection options.
  EXPECT_THAT(
      ErrorOf("r1:\n  hostname: 10.0.0.1\n"
              "r2:\n  hostname: 10.0.0.2\n"
              "r3:\n  hostname: 10.0.0.9\n  connection_options:\n"
              "    netmiko: {hostname: 10.0.0.1}\n"),
      HasSubstr("hosts.yaml:5: field 'ip': duplicate device 10.0.0.1:22 (first listed at line 1)"));
  // Another port is another device.
  EXPECT_TRUE(Load("r1:\n  hostname: 10.0.0.1\nr2:\n  hostname: 10.0.0.1\n  port: 2222\n").ok());
}

TEST_F(NornirFilesTest, MissingPlatformIsNamedAsNornirWritesIt) {
  Write("defaults.yaml", "username: u\n");
  EXPECT_THAT(ErrorOf("r1:\n  hostname: 10.0.0.1\n"),
              HasSubstr("hosts.yaml:1: field 'platform': missing"));
  EXPECT_THAT(ErrorOf("r1:\n  hostname: 10.0.0.1\n  platform: iso\n"),
              HasSubstr("hosts.yaml:3: field 'platform': unknown 'iso'"));
}

TEST_F(NornirFilesTest, ConnectionOptionsPlatformIsMappedAndOtherPluginsIgnored) {
  Write("defaults.yaml", kDefaults);
  absl::StatusOr<Inventory> inventory = Load(
      "r1:\n  hostname: 10.0.0.1\n  connection_options:\n"
      "    netmiko:\n      platform: iosxr\n"
      "    napalm:\n      extras:\n        optional_args: {transport: ssh}\n"
      "    scrapli:\n      port: 830\n");
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  EXPECT_EQ(inventory->devices[0].device_type, "cisco_xr");
  EXPECT_EQ(inventory->devices[0].port, 22);
}

TEST_F(NornirFilesTest, DataThatIsNotASingleValueHidesTheInheritedOne) {
  // Nornir looks a key up in the host's data first, whatever its value.
  Write("defaults.yaml", std::string(kDefaults) + "data:\n  site: none\n  role: edge\n");
  Write("groups.yaml", "dc:\n  data:\n    site: ams\n    role: core\n");
  absl::StatusOr<Inventory> inventory =
      Load("r1:\n  hostname: 10.0.0.1\n  groups: [dc]\n  data:\n    site: [ams, rtm]\n    role:\n");
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  EXPECT_TRUE(inventory->devices[0].vars.empty());
}

TEST_F(NornirFilesTest, HostsYamlAloneIsRecognisedByItsAttributes) {
  absl::StatusOr<Inventory> inventory =
      Load("r1:\n  hostname: 10.0.0.1\n  platform: eos\n  username: u\n  password: p\n");
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  EXPECT_EQ(inventory->format, "nornir");
  EXPECT_EQ(inventory->devices[0].device_type, "arista_eos");
}

}  // namespace
}  // namespace netshard
