// The inventories users already have, end to end: the 200-device devsim
// fleet written as a Nornir SimpleInventory, an Ansible INI inventory with
// group_vars/host_vars, an Ansible YAML inventory, a .netmiko.yml and a CSV
// export, each run by coord as it is — every device ends once, the one
// wrong password (set where that format sets a host's own values) fails.
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "common/inventory/inventory.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/e2e_fixture.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;
using testing::ReadFile;

class InventoryFormatsE2eTest : public E2eFixture {
 protected:
  void SetUp() override {
    E2eFixture::SetUp();
    absl::StatusOr<Inventory> fleet = LoadInventory(dir_ + "/fleet.yaml");
    ASSERT_TRUE(fleet.ok()) << fleet.status();
    fleet_ = *std::move(fleet);
  }

  // The fleet in each device's own line of `format`, `wrong` for the one
  // device whose password is wrong.
  template <typename Line>
  std::string Lines(Line line) {
    std::string out;
    for (const Device& device : fleet_.devices) absl::StrAppend(&out, line(device));
    return out;
  }

  static bool Wrong(const Device& device) { return device.password != "cisco"; }

  void Write(const std::string& path, const std::string& text) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path) << text;
  }

  // Runs the fleet from `inventory` and checks every result.
  void ExpectRuns(const std::string& inventory, const std::string& format) {
    SCOPED_TRACE(format);
    ASSERT_EQ(Coord({"run", "-i", inventory, "--cmd", "sh clock", "--order", "input", "--format",
                     "jsonl", "--limit", "100"}),
              1)
        << ReadFile(dir_ + "/coord.err");
    ExpectFleetResults(ParseJsonl(ReadFile(dir_ + "/coord.out")), /*input_order=*/true);
    ASSERT_EQ(Coord({"inventory", "-i", inventory}, "inventory.out"), 0)
        << ReadFile(dir_ + "/coord.err");
    EXPECT_THAT(ReadFile(dir_ + "/inventory.out"),
                HasSubstr(absl::StrCat("200 devices, ", format, " format")));
  }

  Inventory fleet_;
};

TEST_F(InventoryFormatsE2eTest, Nornir) {
  std::string folder = dir_ + "/nornir";
  Write(folder + "/hosts.yaml", Lines([](const Device& d) {
          return absl::StrCat(d.name, ":\n  hostname: ", d.address, "\n  port: ", d.port,
                              "\n  groups: [lab]\n",
                              Wrong(d) ? "  password: wrong\n" : "");
        }));
  Write(folder + "/groups.yaml",
        "lab:\n  platform: ios\n  groups: [site]\n  connection_options:\n    netmiko:\n"
        "      extras:\n        secret: cisco\nsite:\n  username: cisco\n  data: {site: msk}\n");
  Write(folder + "/defaults.yaml", "password: cisco\n");
  ExpectRuns(folder, "nornir");
  // The groups a host inherits select it, as its own do.
  ASSERT_EQ(Coord({"run", "-i", folder + "/hosts.yaml", "--cmd", "sh clock", "--group",
                   "site:!sim58", "--filter", "site=msk"}),
            0)
      << ReadFile(dir_ + "/coord.err");
}

TEST_F(InventoryFormatsE2eTest, AnsibleIniWithGroupAndHostVars) {
  std::string folder = dir_ + "/ansible";
  Write(folder + "/hosts", absl::StrCat("[lab]\n", Lines([](const Device& d) {
                                          return absl::StrCat(d.name, " ansible_host=", d.address,
                                                              " ansible_port=", d.port, "\n");
                                        }),
                                        "\n[lab:vars]\nansible_network_os=cisco.ios.ios\n"
                                        "ansible_user=cisco\n\n[network:children]\nlab\n"));
  Write(folder + "/group_vars/all.yml", "ansible_password: cisco\nansible_become_password: cisco\n");
  for (const Device& device : fleet_.devices) {
    if (Wrong(device)) Write(folder + "/host_vars/" + device.name + ".yml", "ansible_password: wrong\n");
  }
  ExpectRuns(folder + "/hosts", "ansible");
  ASSERT_EQ(Coord({"inventory", "-i", folder + "/hosts", "--group", "network:&sim58"},
                  "one.out"),
            0);
  std::string one = ReadFile(dir_ + "/one.out");
  EXPECT_THAT(one, HasSubstr("host_vars/sim58.yml:1"));  // where its password comes from
  EXPECT_THAT(one, HasSubstr("lab,network"));
  EXPECT_THAT(one, HasSubstr("1 devices, ansible format"));
  EXPECT_THAT(one, ::testing::Not(HasSubstr("wrong")));
}

TEST_F(InventoryFormatsE2eTest, AnsibleYaml) {
  std::string path = dir_ + "/inventory.yml";
  Write(path, absl::StrCat("all:\n  vars:\n    ansible_user: cisco\n    ansible_password: cisco\n"
                           "    ansible_become_password: cisco\n    ansible_network_os: ios\n"
                           "  children:\n    lab:\n      hosts:\n",
                           Lines([](const Device& d) {
                             return absl::StrCat("        ", d.name, ":\n          ansible_host: ",
                                                 d.address, "\n          ansible_port: ", d.port,
                                                 "\n",
                                                 Wrong(d) ? "          ansible_password: wrong\n"
                                                          : "");
                           })));
  ExpectRuns(path, "ansible");
}

TEST_F(InventoryFormatsE2eTest, NetmikoTools) {
  std::string path = dir_ + "/.netmiko.yml";
  Write(path, absl::StrCat(Lines([](const Device& d) {
                             return absl::StrCat(d.name, ":\n  device_type: cisco_ios\n  host: ",
                                                 d.address, "\n  port: ", d.port,
                                                 "\n  username: cisco\n  password: ",
                                                 Wrong(d) ? "wrong" : "cisco",
                                                 "\n  secret: cisco\n  fast_cli: true\n");
                           }),
                           "lab:\n", Lines([](const Device& d) {
                             return absl::StrCat("- ", d.name, "\n");
                           })));
  ExpectRuns(path, "netmiko");
}

TEST_F(InventoryFormatsE2eTest, Csv) {
  std::string path = dir_ + "/devices.csv";
  Write(path, absl::StrCat("name;ip;port;device_type;username;password;secret;vars.site\r\n",
                           Lines([](const Device& d) {
                             return absl::StrCat(d.name, ";", d.address, ";", d.port,
                                                 ";cisco_ios;cisco;\"", Wrong(d) ? "wrong" : "cisco",
                                                 "\";cisco;msk\r\n");
                           })));
  ExpectRuns(path, "csv");
}

}  // namespace
}  // namespace netshard
