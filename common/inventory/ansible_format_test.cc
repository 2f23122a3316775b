// The Ansible reader. The expected values of the files under
// tests/data/inventories/ansible/ are those `ansible-inventory --list`
// (ansible-core 2.14) prints for them.
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "common/inventory/inventory.h"
#include "common/inventory/inventory_builder.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/subprocess.h"

namespace netshard {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

using testing::SourceDir;

std::string DataDir() { return SourceDir() + "/tests/data/inventories/ansible"; }

// Ciphertext of `ansible-vault encrypt_string`: it must never reach an error.
constexpr char kVaultBlock[] =
    "!vault |\n"
    "          $ANSIBLE_VAULT;1.1;AES256\n"
    "          64366530326234313234353361666330313264333364366133336266323533643734333735396165\n"
    "          6639343932636566653333373531306230343831646436620a333762303663353735323232353535\n";
constexpr char kCiphertext[] = "64366530326234313234353361666330";

absl::StatusOr<Inventory> Parse(const std::string& text) {
  InventoryOptions options;
  options.format = "ansible";
  return ParseInventory(text, "hosts", options);
}

// Error text of parsing `text`, which must fail.
std::string ErrorOf(const std::string& text) {
  absl::StatusOr<Inventory> inventory = Parse(text);
  EXPECT_FALSE(inventory.ok()) << "parsed but should not have:\n" << text;
  return inventory.ok() ? "" : std::string(inventory.status().message());
}

std::string LoadError(const std::string& path) {
  absl::StatusOr<Inventory> inventory = LoadInventory(path);
  EXPECT_FALSE(inventory.ok()) << "loaded but should not have: " << path;
  return inventory.ok() ? "" : std::string(inventory.status().message());
}

const Device& Named(const Inventory& inventory, const std::string& name) {
  for (const Device& device : inventory.devices) {
    if (device.name == name) return device;
  }
  ADD_FAILURE() << "no device " << name;
  static const Device kNone;
  return kNone;
}

// A folder under /tmp for one test's files, removed with it.
class TempFolder {
 public:
  TempFolder() : path_(testing::MakeTempDir()) {}
  ~TempFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;

  // Writes `text` to `name` inside, making its folders; its path.
  std::string Write(const std::string& name, const std::string& text) const {
    std::filesystem::path path = std::filesystem::path(path_) / name;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << text;
    return path.string();
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

constexpr char kIniHosts[] = "/ini/hosts";

TEST(AnsibleFormatTest, ReadsTheIniInventoryWithItsGroupVarsAndHostVars) {
  absl::StatusOr<Inventory> inventory = LoadInventory(DataDir() + kIniHosts);
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  EXPECT_EQ(inventory->format, "ansible");
  std::vector<std::string> names;
  for (const Device& device : inventory->devices) names.push_back(device.name);
  // In the order first listed; r[01:03] keeps its leading zeros.
  EXPECT_THAT(names, ElementsAre("r01", "r02", "r03", "core1", "sw-a.lab", "sw-b.lab", "sw-c.lab"));

  const Device& r01 = Named(*inventory, "r01");
  EXPECT_EQ(r01.address, "r01");  // no ansible_host: the inventory name
  EXPECT_EQ(r01.port, 22);
  EXPECT_EQ(r01.line, 3);
  EXPECT_EQ(r01.device_type, "cisco_ios");  // cisco.ios.ios
  EXPECT_EQ(r01.platform->name, "cisco_ios");
  // The host's own line over [network:vars] over [all:vars].
  EXPECT_EQ(r01.username, "ops");
  // group_vars/network/ (a folder) over [routers:vars], though routers is the child.
  EXPECT_EQ(r01.password, "network-file");
  EXPECT_EQ(r01.secret, "enable-all");  // group_vars/all.yml
  EXPECT_EQ(r01.segment, "dc1");        // netshard_segment in group_vars/routers.yml
  EXPECT_EQ(r01.timeouts.connect_ms(), 7000u);
  EXPECT_EQ(r01.group, "routers");  // listed first as ungrouped, which Ansible drops
  EXPECT_THAT(r01.more_groups, ElementsAre("network"));
  // site: 20-site.yaml over 10-auth.yml over all.yml over the inventory's.
  EXPECT_THAT(r01.vars, UnorderedElementsAre(Pair("ansible_connection", "network_cli"),
                                             Pair("ntp_server", "10.0.0.123"),
                                             Pair("role", "edge router"), Pair("site", "kzn"),
                                             Pair("tier", "routers")));

  // host_vars files over the host's own line.
  EXPECT_EQ(Named(*inventory, "r02").username, "r02-file");
  const Device& r03 = Named(*inventory, "r03");
  EXPECT_EQ(r03.address, "192.0.2.3");
  EXPECT_EQ(r03.password, "r03-file");
  EXPECT_EQ(r03.username, "ops");

  const Device& core1 = Named(*inventory, "core1");
  EXPECT_EQ(core1.address, "10.0.0.1");
  EXPECT_EQ(core1.port, 2222);
  EXPECT_EQ(core1.username, "netops");
  // In routers and switches, the same depth: switches sorts last and wins.
  EXPECT_EQ(core1.device_type, "arista_eos");
  EXPECT_EQ(core1.vars.at("tier"), "switches");
  EXPECT_EQ(core1.segment, "dc1");
  EXPECT_EQ(core1.group, "routers");
  EXPECT_THAT(core1.more_groups, ElementsAre("switches", "network"));
  EXPECT_EQ(core1.line, 7);

  const Device& switch_a = Named(*inventory, "sw-a.lab");
  EXPECT_EQ(switch_a.device_type, "arista_eos");
  EXPECT_EQ(switch_a.username, "netops");
  EXPECT_EQ(switch_a.password, "network-file");
  EXPECT_EQ(switch_a.segment, "");
  EXPECT_EQ(switch_a.group, "switches");
  EXPECT_THAT(switch_a.more_groups, ElementsAre("network"));
  EXPECT_EQ(switch_a.vars.at("tier"), "switches");  // the child's over network's
  EXPECT_EQ(switch_a.vars.count("role"), 0u);
}

TEST(AnsibleFormatTest, AnInventoryFolderReadsAsItsFile) {
  absl::StatusOr<Inventory> file = LoadInventory(DataDir() + kIniHosts);
  absl::StatusOr<Inventory> folder = LoadInventory(DataDir() + "/ini");
  ASSERT_TRUE(file.ok()) << file.status();
  ASSERT_TRUE(folder.ok()) << folder.status();
  EXPECT_EQ(folder->format, "ansible");
  ASSERT_EQ(folder->devices.size(), file->devices.size());
  for (size_t i = 0; i < file->devices.size(); ++i) {
    const Device& want = file->devices[i];
    const Device& got = folder->devices[i];
    EXPECT_EQ(got.name, want.name);
    EXPECT_EQ(got.address, want.address);
    EXPECT_EQ(got.port, want.port);
    EXPECT_EQ(got.username, want.username);
    EXPECT_EQ(got.password, want.password);
    EXPECT_EQ(got.secret, want.secret);
    EXPECT_EQ(got.device_type, want.device_type);
    EXPECT_EQ(got.vars, want.vars);
  }
}

TEST(AnsibleFormatTest, AFolderWithAHostsYmlAloneIsAnsibleNotNornir) {
  // The common layout inventory/hosts.yml + group_vars/: Nornir's folder
  // has groups.yaml or defaults.yaml beside its hosts.yaml.
  TempFolder folder;
  folder.Write("hosts.yml", "all:\n  hosts:\n    r1: {ansible_host: 10.0.0.1}\n");
  folder.Write("group_vars/all.yml", "ansible_user: u\nansible_network_os: ios\n");
  absl::StatusOr<Inventory> inventory = LoadInventory(folder.path());
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  EXPECT_EQ(inventory->format, "ansible");
  EXPECT_EQ(inventory->devices[0].username, "u");
}

TEST(AnsibleFormatTest, ReadsTheYamlInventoryWithItsGroupVarsAndHostVars) {
  for (const std::string& path : {DataDir() + "/yaml/inventory.yml", DataDir() + "/yaml"}) {
    SCOPED_TRACE(path);
    absl::StatusOr<Inventory> inventory = LoadInventory(path);
    ASSERT_TRUE(inventory.ok()) << inventory.status();
    EXPECT_EQ(inventory->format, "ansible");
    ASSERT_EQ(inventory->devices.size(), 5u);

    const Device& mgmt = Named(*inventory, "mgmt1");  // directly under all
    EXPECT_EQ(mgmt.address, "198.51.100.10");
    EXPECT_EQ(mgmt.device_type, "cisco_ios");  // ios
    EXPECT_EQ(mgmt.username, "admin");
    EXPECT_EQ(mgmt.password, "all-yaml");
    EXPECT_EQ(mgmt.secret, "");
    EXPECT_EQ(mgmt.group, "ungrouped");
    EXPECT_THAT(mgmt.more_groups, IsEmpty());
    // The list ntp_servers and the vault-encrypted snmp_community are no vars.
    EXPECT_THAT(mgmt.vars, UnorderedElementsAre(Pair("contact", "noc@example.net"), Pair("site", "hq")));

    const Device& edge1 = Named(*inventory, "edge1");
    EXPECT_EQ(edge1.username, "edge1-file");  // host_vars/edge1/, a folder
    EXPECT_EQ(edge1.password, "network-file");
    EXPECT_EQ(edge1.secret, "enable-network");
    EXPECT_EQ(edge1.device_type, "cisco_ios");
    EXPECT_EQ(edge1.group, "routers");
    EXPECT_THAT(edge1.more_groups, ElementsAre("network"));
    // group_vars/network/ is read, group_vars/network.yml beside it is not.
    EXPECT_THAT(edge1.vars, UnorderedElementsAre(Pair("contact", "noc@example.net"),
                                                 Pair("site", "dc-file"), Pair("tier", "routers")));
    EXPECT_EQ(Named(*inventory, "edge2").username, "admin");

    const Device& core = Named(*inventory, "core");
    EXPECT_EQ(core.address, "203.0.113.1");
    EXPECT_EQ(core.port, 2022);
    EXPECT_EQ(core.password, "core-file");
    EXPECT_EQ(core.timeouts.command_ms(), 90000u);
    // firewalls' ansible_group_priority 10 puts it after routers: its values win.
    EXPECT_EQ(core.device_type, "juniper_junos");
    EXPECT_EQ(core.vars.at("tier"), "firewalls");
    EXPECT_EQ(core.vars.count("ansible_group_priority"), 0u);
    EXPECT_EQ(core.segment, "dmz");  // group_vars/firewalls.yaml
    EXPECT_EQ(core.group, "routers");
    EXPECT_THAT(core.more_groups, ElementsAre("firewalls", "network"));

    const Device& fw1 = Named(*inventory, "fw1");
    EXPECT_EQ(fw1.address, "203.0.113.9");
    EXPECT_EQ(fw1.group, "firewalls");
  }
}

TEST(AnsibleFormatTest, MapsAnsibleNetworkOsToDeviceTypes) {
  absl::StatusOr<Inventory> inventory = Parse(R"(all:
  vars: {ansible_user: u}
  hosts:
    a: {ansible_network_os: cisco.ios.ios}
    b: {ansible_network_os: ios}
    c: {ansible_network_os: arista.eos.eos}
    d: {ansible_network_os: junipernetworks.junos.junos}
    e: {ansible_network_os: cisco_xr}
)");
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  std::vector<std::string> types;
  for (const Device& device : inventory->devices) types.push_back(device.device_type);
  EXPECT_THAT(types, ElementsAre("cisco_ios", "cisco_ios", "arista_eos", "juniper_junos", "cisco_xr"));
  EXPECT_THAT(ErrorOf("all:\n  hosts:\n    a: {ansible_user: u, ansible_network_os: acme.os.os}\n"),
              HasSubstr("hosts:3: field 'ansible_network_os': unknown 'acme.os.os'"));
}

TEST(AnsibleFormatTest, ConnectionVariablesAndNetshardFieldsBecomeTheDevices) {
  absl::StatusOr<Inventory> inventory = Parse(R"(all:
  hosts:
    r1:
      ansible_host: 192.0.2.1
      ansible_port: 2201
      ansible_user: ops
      ansible_password: pw
      ansible_become_password: enable
      ansible_network_os: ios
      ansible_ssh_private_key_file: /keys/r1
      netshard_segment: dc2
      netshard_kex: diffie-hellman-group14-sha1
      netshard_conn_timeout: 3
      role: core
      ansible_connection: network_cli
      interfaces: [Gi0/1, Gi0/2]
      bgp: {asn: 65000}
)");
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  const Device& r1 = inventory->devices[0];
  EXPECT_EQ(r1.name, "r1");
  EXPECT_EQ(r1.address, "192.0.2.1");
  EXPECT_EQ(r1.port, 2201);
  EXPECT_EQ(r1.username, "ops");
  EXPECT_EQ(r1.password, "pw");
  EXPECT_EQ(r1.secret, "enable");
  EXPECT_EQ(r1.key_file, "/keys/r1");
  EXPECT_EQ(r1.segment, "dc2");
  EXPECT_EQ(r1.algorithms.key_exchange(), "diffie-hellman-group14-sha1");
  EXPECT_EQ(r1.timeouts.connect_ms(), 3000u);
  // Other single values are vars for --filter; lists and mappings are not.
  EXPECT_THAT(r1.vars, UnorderedElementsAre(Pair("role", "core"), Pair("ansible_connection", "network_cli")));

  // One level's jump_host.* stay together.
  absl::StatusOr<Inventory> jump = Parse(
      "r1 ansible_user=u ansible_network_os=ios netshard_jump_host.host=10.0.0.5 netshard_jump_host.password=j\n");
  ASSERT_TRUE(jump.ok()) << jump.status();
  ASSERT_TRUE(jump->devices[0].jump_host.has_value());
  EXPECT_EQ(jump->devices[0].jump_host->host(), "10.0.0.5");
  EXPECT_EQ(jump->devices[0].jump_host->password(), "j");

  EXPECT_THAT(ErrorOf("all:\n  hosts:\n    r1: {ansible_user: u, ansible_network_os: ios,\n"
                      "      netshard_segmnt: dc1}\n"),
              HasSubstr("hosts:4: field 'netshard_segmnt': unknown field — did you mean "
                        "'netshard_segment'?"));
  EXPECT_THAT(ErrorOf("all:\n  hosts:\n    r1: {ansible_user: u, ansible_network_os: ios,\n"
                      "      ansible_port: [22, 23]}\n"),
              HasSubstr("hosts:4: field 'ansible_port': must be a single value"));
  EXPECT_THAT(ErrorOf("r1 ansible_user=u ansible_network_os=ios ansible_port=ssh\n"),
              HasSubstr("hosts:1: field 'ansible_port': must be an integer 1..65535, got 'ssh'"));
}

TEST(AnsibleFormatTest, VariablesGoAllThenParentThenChildThenHost) {
  const std::string groups = R"(all:
  vars: {ansible_network_os: ios, ansible_user: all, a: all, b: all, c: all, d: all}
  children:
    parent:
      vars: {ansible_user: parent, b: parent, c: parent, d: parent}
      children:
        child:
          vars: {ansible_user: child, c: child, d: child}
          hosts:
            r1: {d: host}
    other:
      hosts:
        r2:
)";
  absl::StatusOr<Inventory> inventory = Parse(groups);
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  const Device& r1 = inventory->devices[0];
  EXPECT_EQ(r1.username, "child");
  EXPECT_THAT(r1.vars, UnorderedElementsAre(Pair("a", "all"), Pair("b", "parent"), Pair("c", "child"),
                                            Pair("d", "host")));
  EXPECT_EQ(inventory->devices[1].username, "all");
  EXPECT_EQ(inventory->devices[1].vars.at("d"), "all");
}

TEST(AnsibleFormatTest, SameDepthGroupsGoByNameUnlessGivenAPriority) {
  const std::string inventory = R"([all:vars]
ansible_network_os=ios
[alpha]
r1
[beta]
r1
[alpha:vars]
ansible_user=alpha
[beta:vars]
ansible_user=beta
)";
  absl::StatusOr<Inventory> by_name = Parse(inventory);
  ASSERT_TRUE(by_name.ok()) << by_name.status();
  EXPECT_EQ(by_name->devices[0].username, "beta");
  EXPECT_EQ(by_name->devices[0].group, "alpha");
  EXPECT_THAT(by_name->devices[0].more_groups, ElementsAre("beta"));

  absl::StatusOr<Inventory> by_priority = Parse(inventory + "ansible_group_priority=0\n");
  ASSERT_TRUE(by_priority.ok()) << by_priority.status();
  EXPECT_EQ(by_priority->devices[0].username, "alpha");
  EXPECT_EQ(by_priority->devices[0].vars.count("ansible_group_priority"), 0u);

  EXPECT_THAT(ErrorOf(inventory + "ansible_group_priority=high\n"),
              HasSubstr("hosts:11: field 'ansible_group_priority': must be an integer"));
}

TEST(AnsibleFormatTest, AHostInTwoGroupsIsOneDeviceInBoth) {
  absl::StatusOr<Inventory> inventory = Parse(R"(all:
  vars: {ansible_network_os: ios, ansible_user: u}
  children:
    network:
      children:
        routers:
          hosts:
            r1: {ansible_host: 10.0.0.1}
    lab:
      hosts:
        r1: {site: lab}
)");
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  ASSERT_EQ(inventory->devices.size(), 1u);
  const Device& r1 = inventory->devices[0];
  EXPECT_EQ(r1.address, "10.0.0.1");  // both listings' variables
  EXPECT_EQ(r1.vars.at("site"), "lab");
  EXPECT_EQ(r1.group, "routers");
  EXPECT_THAT(r1.more_groups, ElementsAre("lab", "network"));
  EXPECT_EQ(r1.line, 8);
}

TEST(AnsibleFormatTest, ExpandsHostRangesAsAnsibleDoes) {
  absl::StatusOr<Inventory> inventory = Parse(R"([all:vars]
ansible_user=u
ansible_network_os=ios
[routers]
r[08:10]
sw-[a:c]-[1:2]
fw[x:B]
e[0:6:3].lab
)");
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  std::vector<std::string> names;
  for (const Device& device : inventory->devices) names.push_back(device.name);
  EXPECT_THAT(names, ElementsAre("r08", "r09", "r10", "sw-a-1", "sw-a-2", "sw-b-1", "sw-b-2", "sw-c-1",
                                 "sw-c-2", "fwx", "fwy", "fwz", "fwA", "fwB", "e0.lab", "e3.lab", "e6.lab"));

  absl::StatusOr<Inventory> yaml = Parse("all:\n  vars: {ansible_user: u, ansible_network_os: ios}\n"
                                         "  hosts:\n    \"leaf[1:2]\":\n      site: dc\n");
  ASSERT_TRUE(yaml.ok()) << yaml.status();
  ASSERT_EQ(yaml->devices.size(), 2u);
  EXPECT_EQ(yaml->devices[1].name, "leaf2");
  EXPECT_EQ(yaml->devices[1].vars.at("site"), "dc");

  EXPECT_THAT(ErrorOf("[r]\nr[3:1]\n"), HasSubstr("hosts:2: field 'r[3:1]': a host range must run from low to high"));
  EXPECT_THAT(ErrorOf("[r]\nr[01:100]\n"), HasSubstr("needs begin and end as wide"));
  EXPECT_THAT(ErrorOf("[r]\nr[a:z:0]\n"), HasSubstr("step must be a positive integer"));
  EXPECT_THAT(ErrorOf("[r]\nr[1:2:3:4]\n"), HasSubstr("a host range is [begin:end]"));
  EXPECT_THAT(ErrorOf("[r]\nr[1:x]\n"), HasSubstr("two numbers or two letters"));
  EXPECT_THAT(ErrorOf("[r]\nr[0:99999999]\n"), HasSubstr("at most 10,000,000"));
  EXPECT_THAT(ErrorOf("[r]\nr[0:9999]-[0:9999]\n"), HasSubstr("over 10,000,000 hosts"));
}

TEST(AnsibleFormatTest, AHostsPortMayFollowItsName) {
  absl::StatusOr<Inventory> inventory = Parse(R"([all:vars]
ansible_user=u
ansible_network_os=ios
[routers]
r1:2201
r[2:3]:2202
r4:2204 ansible_port=2304
2001:db8::5
[2001:db8::6]:830
)");
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  ASSERT_EQ(inventory->devices.size(), 6u);
  EXPECT_EQ(inventory->devices[0].name, "r1");
  EXPECT_EQ(inventory->devices[0].port, 2201);
  EXPECT_EQ(inventory->devices[2].name, "r3");
  EXPECT_EQ(inventory->devices[2].port, 2202);
  EXPECT_EQ(inventory->devices[3].port, 2304);  // the variable over the suffix
  EXPECT_EQ(inventory->devices[4].address, "2001:db8::5");  // bare IPv6: no port
  EXPECT_EQ(inventory->devices[4].port, 22);
  EXPECT_EQ(inventory->devices[5].address, "2001:db8::6");
  EXPECT_EQ(inventory->devices[5].port, 830);

  absl::StatusOr<Inventory> yaml =
      Parse("all:\n  vars: {ansible_user: u, ansible_network_os: ios}\n  hosts:\n    sw1:2222:\n");
  ASSERT_TRUE(yaml.ok()) << yaml.status();
  EXPECT_EQ(yaml->devices[0].name, "sw1");
  EXPECT_EQ(yaml->devices[0].port, 2222);
}

TEST(AnsibleFormatTest, HostsInNoGroupAreUngrouped) {
  absl::StatusOr<Inventory> inventory = Parse(R"(r1 ansible_user=u ansible_network_os=ios
r2 ansible_user=u ansible_network_os=ios
[routers]
r2
)");
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  EXPECT_EQ(inventory->format, "ansible");
  EXPECT_EQ(inventory->devices[0].group, "ungrouped");
  EXPECT_THAT(inventory->devices[0].more_groups, IsEmpty());
  EXPECT_EQ(inventory->devices[1].group, "routers");
  EXPECT_THAT(inventory->devices[1].more_groups, IsEmpty());

  // group_vars/ungrouped applies to them, as in Ansible.
  TempFolder folder;
  std::string hosts = folder.Write("hosts", "r1 ansible_network_os=ios\n[routers]\nr2 ansible_network_os=ios\n");
  folder.Write("group_vars/ungrouped.yml", "ansible_user: loner\n");
  folder.Write("group_vars/all.yml", "ansible_user: everyone\n");
  absl::StatusOr<Inventory> loaded = LoadInventory(hosts);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->devices[0].username, "loner");
  EXPECT_EQ(loaded->devices[1].username, "everyone");
}

TEST(AnsibleFormatTest, ReadsIniValuesAsAnsibleDoes) {
  absl::StatusOr<Inventory> inventory = Parse(R"([routers]  # comment after a header
r1 ansible_password="two words" secret_word='it''s' note=a#comment ignored=yes
r2 ansible_password=p\ q
[routers:vars]
ansible_network_os = ios
ansible_user = "quoted user"
motd=Hello world, friends
path='C:\\temp'
)");
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  const Device& r1 = inventory->devices[0];
  EXPECT_EQ(r1.password, "two words");
  EXPECT_EQ(r1.username, "quoted user");
  EXPECT_EQ(r1.device_type, "cisco_ios");
  // As shell words: quotes join, an unquoted '#' ends the line.
  EXPECT_THAT(r1.vars, UnorderedElementsAre(Pair("secret_word", "its"), Pair("note", "a"),
                                            Pair("motd", "Hello world, friends"), Pair("path", "C:\\temp")));
  EXPECT_EQ(inventory->devices[1].password, "p q");
}

TEST(AnsibleFormatTest, RefusesAVaultEncryptedCredentialNamingItWithoutTheCiphertext) {
  std::string error = ErrorOf(std::string("all:\n  hosts:\n    r1:\n      ansible_network_os: ios\n"
                                          "      ansible_user: u\n      ansible_password: ") +
                              kVaultBlock);
  EXPECT_THAT(error, HasSubstr("hosts:6: field 'ansible_password': is Ansible Vault-encrypted"));
  EXPECT_THAT(error, Not(HasSubstr(kCiphertext)));
  EXPECT_THAT(error, Not(HasSubstr("ANSIBLE_VAULT")));

  // Likewise from group_vars, naming that file.
  TempFolder folder;
  std::string hosts = folder.Write("hosts", "[routers]\nr1 ansible_network_os=ios ansible_user=u\n");
  std::string vars = folder.Write("group_vars/routers.yml", std::string("ansible_become_password: ") + kVaultBlock);
  error = LoadError(hosts);
  EXPECT_THAT(error, HasSubstr(vars + ":1: field 'ansible_become_password': is Ansible Vault-encrypted"));
  EXPECT_THAT(error, Not(HasSubstr(kCiphertext)));

  // A file encrypted whole (ansible-vault encrypt) cannot be read at all.
  folder.Write("group_vars/routers.yml", "$ANSIBLE_VAULT;1.1;AES256\n3338396330313264\n");
  error = LoadError(hosts);
  EXPECT_THAT(error, HasSubstr(vars + ":1: the file is Ansible Vault-encrypted"));
  EXPECT_THAT(error, Not(HasSubstr("3338396330313264")));
  // So is an inventory encrypted whole, which would otherwise read as INI hosts.
  folder.Write("hosts", "$ANSIBLE_VAULT;1.1;AES256\n3338396330313264\n");
  error = LoadError(hosts);
  EXPECT_THAT(error, HasSubstr(hosts + ":1: the file is Ansible Vault-encrypted"));
  EXPECT_THAT(error, Not(HasSubstr("3338396330313264")));
}

TEST(AnsibleFormatTest, SkipsAVaultEncryptedVariableThatIsNoCredential) {
  absl::StatusOr<Inventory> inventory =
      Parse(std::string("all:\n  vars:\n    site: dc1\n    snmp_community: ") + kVaultBlock +
            "  hosts:\n    r1: {ansible_network_os: ios, ansible_user: u}\n");
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  EXPECT_THAT(inventory->devices[0].vars, UnorderedElementsAre(Pair("site", "dc1")));

  // Nor does a vault value of a higher level leave a lower one behind.
  inventory = Parse(std::string("all:\n  vars:\n    snmp_community: public\n  hosts:\n    r1:\n"
                                "      ansible_network_os: ios\n      ansible_user: u\n"
                                "      snmp_community: ") +
                    kVaultBlock);
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  EXPECT_THAT(inventory->devices[0].vars, IsEmpty());
}

TEST(AnsibleFormatTest, RefusesAJinjaTemplatedCredential) {
  EXPECT_THAT(ErrorOf("[routers]\nr1 ansible_network_os=ios ansible_user=u\n"
                      "[routers:vars]\nansible_password={{ vault_router_password }}\n"),
              HasSubstr("hosts:4: field 'ansible_password': is a Jinja2 template"));
  EXPECT_THAT(ErrorOf("all:\n  hosts:\n    r1: {ansible_network_os: ios, ansible_user: u,\n"
                      "      ansible_become_password: \"{% raw %}x{% endraw %}\"}\n"),
              HasSubstr("hosts:4: field 'ansible_become_password': is a Jinja2 template"));
  EXPECT_THAT(ErrorOf("r1 ansible_network_os=ios ansible_user=u ansible_host={{inventory_hostname}}.lab\n"),
              HasSubstr("field 'ansible_host': is a Jinja2 template"));

  // Only the value that wins counts: a template a host overrides is no error.
  absl::StatusOr<Inventory> inventory = Parse(R"(all:
  vars: {ansible_password: "{{ vault_password }}"}
  hosts:
    r1: {ansible_network_os: ios, ansible_user: u, ansible_password: plain}
)");
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  EXPECT_EQ(inventory->devices[0].password, "plain");

  // `!unsafe` says braces are text, as Ansible reads it.
  absl::StatusOr<Inventory> unsafe = Parse(R"(all:
  hosts:
    r1: {ansible_network_os: ios, ansible_user: u, ansible_password: !unsafe "p{{w}}d"}
)");
  ASSERT_TRUE(unsafe.ok()) << unsafe.status();
  EXPECT_EQ(unsafe->devices[0].password, "p{{w}}d");
}

TEST(AnsibleFormatTest, RefusesAGroupCycleNamingIt) {
  EXPECT_THAT(ErrorOf(R"(all:
  children:
    a:
      children:
        b:
          children:
            a:
)"),
              HasSubstr("hosts:7: field 'children': group cycle: a -> b -> a"));
  EXPECT_THAT(ErrorOf("[a:children]\nb\n[b:children]\na\n"),
              HasSubstr("hosts:4: field 'children': group cycle: a -> b -> a"));
  EXPECT_THAT(ErrorOf("[a:children]\na\n"), HasSubstr("group cycle: a -> a"));
}

TEST(AnsibleFormatTest, AnUnknownKeyInAYamlGroupSuggestsTheKnownOne) {
  EXPECT_THAT(ErrorOf("all:\n  children:\n    routers:\n      hsts:\n        r1:\n"),
              HasSubstr("hosts:4: field 'routers.hsts': unknown key in a group; did you mean 'hosts'?"));
  EXPECT_THAT(ErrorOf("all:\n  hosts: [r1, r2]\n"),
              HasSubstr("hosts:2: field 'all.hosts': must be a mapping of names, not a list"));
  EXPECT_THAT(ErrorOf("all:\n  vars: [a]\n"), HasSubstr("hosts:2: field 'all.vars': must be a mapping"));
  EXPECT_THAT(ErrorOf("- r1\n- r2\n"), HasSubstr("hosts:1: expected a mapping of groups"));
  // One name alone is a mapping of one, as in Ansible.
  absl::StatusOr<Inventory> inventory =
      Parse("all:\n  vars: {ansible_user: u, ansible_network_os: ios}\n  children:\n    routers:\n"
            "      hosts: r1\n    network:\n      children: routers\n");
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  EXPECT_EQ(inventory->devices[0].group, "routers");
  EXPECT_THAT(inventory->devices[0].more_groups, ElementsAre("network"));
}

TEST(AnsibleFormatTest, MissingFieldsAreNamedAsAnsibleNamesThem) {
  EXPECT_EQ(ErrorOf("[routers]\nr1 ansible_user=u\n"),
            "hosts:2: field 'ansible_network_os': missing (e.g. cisco_ios)");
  EXPECT_EQ(ErrorOf("all:\n  hosts:\n    r1:\n      ansible_network_os: ios\n"),
            "hosts:3: field 'ansible_user': missing");
}

TEST(AnsibleFormatTest, IniMistakesNameFileAndLine) {
  EXPECT_THAT(ErrorOf("[routers:hostz]\nr1\n"), HasSubstr("hosts:1: unknown section kind ':hostz'"));
  EXPECT_THAT(ErrorOf("[core routers]\nr1\n"), HasSubstr("hosts:1: a section header is [group]"));
  EXPECT_THAT(ErrorOf("[routers]\nr1\n[routers:vars]\nansible_user\n"), HasSubstr("hosts:4: expected key=value"));
  EXPECT_THAT(ErrorOf("[routers]\nr1\n[net:children]\nrouters extra\n"),
              HasSubstr("hosts:4: [net:children] lists group names, one a line"));
  EXPECT_THAT(ErrorOf("[routers]\nr1 ansible_password=\"open\n"),
              HasSubstr("hosts:2: a quoted value is never closed"));
  // A word that is not key=value may be half a password: it is not quoted back.
  std::string error = ErrorOf("[routers]\nr1 ansible_password=correct horse\n");
  EXPECT_THAT(error, HasSubstr("hosts:2: word 3 after the host is not key=value"));
  EXPECT_THAT(error, Not(HasSubstr("horse")));
  // Typos Ansible refuses too: vars or children of a group declared nowhere.
  EXPECT_THAT(ErrorOf("[routers]\nr1\n[routres:vars]\nansible_user=u\n"),
              HasSubstr("hosts:3: [routres:vars] is for a group no [routres] or [routres:children] declares"));
  EXPECT_THAT(ErrorOf("[routers]\nr1\n[network:children]\nrouters\nswitches\n"),
              HasSubstr("hosts:5: [network:children] names group 'switches', which no [switches]"));
  // Declared later in the file is declared.
  absl::StatusOr<Inventory> later =
      Parse("[network:children]\nrouters\n[network:vars]\nansible_user=u\n[routers]\nr1 ansible_network_os=ios\n");
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_THAT(later->devices[0].more_groups, ElementsAre("network"));
}

TEST(AnsibleFormatTest, VarsFileMistakesNameTheFileAndLine) {
  TempFolder folder;
  std::string hosts = folder.Write("hosts", "[routers]\nr1 ansible_network_os=ios ansible_user=u\n");
  std::string vars = folder.Write("group_vars/routers.yml", "- ansible_user: u\n");
  EXPECT_THAT(LoadError(hosts), HasSubstr(vars + ":1: must be a mapping of variables, not a list"));
  folder.Write("group_vars/routers.yml", "site: a\nsite: b\n");
  EXPECT_THAT(LoadError(hosts), HasSubstr(vars + ":2: field 'site': given twice"));
  std::filesystem::remove(vars);
  std::string host_vars = folder.Write("host_vars/r1/main.yml", "ansible_port: 99999\n");
  EXPECT_THAT(LoadError(hosts),
              HasSubstr(host_vars + ":1: field 'ansible_port': must be an integer 1..65535, got '99999'"));
}

TEST(AnsibleFormatTest, VarsFoldersHoldOnlyWhatAnsibleReads) {
  TempFolder folder;
  std::string hosts = folder.Write("hosts", "[routers]\nr1 ansible_network_os=ios ansible_user=u\n");
  folder.Write("group_vars/routers/a.yml", "site: a\nfrom_a: 1\n");
  folder.Write("group_vars/routers/b", "site: b\n");
  folder.Write("group_vars/routers/deeper/c.json", "{\"site\": \"c\"}\n");
  // Neither of these extensions, nor hidden, nor backup files.
  folder.Write("group_vars/routers/d.txt", "site: txt\n");
  folder.Write("group_vars/routers/e.yml~", "site: backup\n");
  folder.Write("group_vars/routers/.f.yml", "site: hidden\n");
  absl::StatusOr<Inventory> inventory = LoadInventory(hosts);
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  EXPECT_THAT(inventory->devices[0].vars, UnorderedElementsAre(Pair("site", "c"), Pair("from_a", "1")));
}

TEST(AnsibleFormatTest, AnInventoryFolderSkipsWhatAnsibleSkips) {
  TempFolder folder;
  folder.Write("10-routers", "[routers]\nr1 ansible_network_os=ios ansible_user=u\n");
  folder.Write("sub/20-switches.yml",
               "switches:\n  hosts:\n    sw1: {ansible_network_os: eos, ansible_user: u}\n");
  // Ansible's ignored extensions: an inventory folder often holds ansible.cfg.
  folder.Write("ansible.cfg", "[defaults]\ninventory = ./10-routers\n");
  folder.Write("old.ini", "[old]\nold1\n");
  folder.Write("README.md", "# Lab\n");
  folder.Write("group_vars/all.yml", "site: lab\n");
  absl::StatusOr<Inventory> inventory = LoadInventory(folder.path());
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  ASSERT_EQ(inventory->devices.size(), 2u);
  EXPECT_EQ(inventory->devices[1].name, "sw1");
  EXPECT_EQ(inventory->devices[1].vars.at("site"), "lab");

  TempFolder ini_only;
  ini_only.Write("hosts.ini", "[routers]\nr1\n");
  EXPECT_THAT(LoadError(ini_only.path()),
              HasSubstr(": no inventory file in this folder (Ansible skips *.ini and *.cfg"));
}

TEST(AnsibleFormatTest, RecognisesIniInventoriesFromTheirFirstLine) {
  for (const char* text : {"[routers] # comment\nr1\n", "r[1:3] ansible_user=u\n", "sw1:2222\n",
                           "# lab\n\nr1\n"}) {
    EXPECT_TRUE(LooksLikeAnsibleIni(text)) << text;
  }
  for (const char* text : {"all:\n  hosts:\n", "routers:   # comment\n- ip: 1\n", "- r1\n",
                           "{\"all\": {}}\n", "%YAML 1.2\n---\nall:\n"}) {
    EXPECT_FALSE(LooksLikeAnsibleIni(text)) << text;
  }
  absl::StatusOr<Inventory> inventory =
      ParseInventory("r[1:2] ansible_network_os=ios ansible_user=u\n", "inventory");
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  EXPECT_EQ(inventory->format, "ansible");
  EXPECT_EQ(inventory->devices.size(), 2u);
}

}  // namespace
}  // namespace netshard
