#include "common/inventory/inventory.h"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/subprocess.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using testing::SourceDir;

// Error text of parsing `yaml`, which must fail.
std::string ErrorOf(const std::string& yaml) {
  absl::StatusOr<Inventory> inventory = ParseInventory(yaml, "devices.yaml");
  EXPECT_FALSE(inventory.ok()) << "parsed but should not have:\n" << yaml;
  return inventory.ok() ? "" : std::string(inventory.status().message());
}

TEST(InventoryTest, LoadsTheCourseFileVerbatim) {
  absl::StatusOr<Inventory> inventory =
      LoadInventory(SourceDir() + "/tests/data/course_devices.yaml");
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  ASSERT_EQ(inventory->devices.size(), 3u);
  const Device& first = inventory->devices[0];
  EXPECT_EQ(first.address, "192.168.100.1");
  EXPECT_EQ(first.name, "192.168.100.1");
  EXPECT_EQ(first.port, 22);
  EXPECT_EQ(first.device_type, "cisco_ios");
  EXPECT_EQ(first.platform->name, "cisco_ios");
  EXPECT_EQ(first.username, "cisco");
  EXPECT_EQ(first.password, "cisco");
  EXPECT_EQ(first.secret, "cisco");
  EXPECT_EQ(first.group, "routers");
  EXPECT_EQ(first.line, 2);
  EXPECT_EQ(inventory->devices[2].address, "192.168.100.3");
  EXPECT_EQ(inventory->devices[2].line, 12);
}

TEST(InventoryTest, MergesDefaultsAndKeepsFileOrderAcrossGroups) {
  absl::StatusOr<Inventory> inventory = ParseInventory(R"(
defaults:
  username: admin
  password: pw
  device_type: cisco_ios
routers:
- ip: 10.0.0.1
  port: 2222
  timeout: 2.5
switches:
- host: sw1.example.net
  device_type: arista_eos
  username: ops
  segment: dc1
- ip: 10.0.0.3
  host: core3
)", "x.yaml");
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  ASSERT_EQ(inventory->devices.size(), 3u);
  EXPECT_EQ(inventory->devices[0].username, "admin");
  EXPECT_EQ(inventory->devices[0].port, 2222);
  EXPECT_EQ(*inventory->devices[0].timeout, absl::Milliseconds(2500));
  EXPECT_EQ(inventory->devices[1].address, "sw1.example.net");
  EXPECT_EQ(inventory->devices[1].platform->name, "arista_eos");
  EXPECT_EQ(inventory->devices[1].username, "ops");
  EXPECT_EQ(inventory->devices[1].segment, "dc1");
  EXPECT_EQ(inventory->devices[1].group, "switches");
  EXPECT_EQ(inventory->devices[2].address, "10.0.0.3");
  EXPECT_EQ(inventory->devices[2].name, "core3");
}

TEST(InventoryTest, AcceptsNetmikoSpellingsAndFields) {
  absl::StatusOr<Inventory> inventory = ParseInventory(R"(routers:
- device_type: cisco_ios_ssh
  ip: 10.0.0.1
  username: u
  global_delay_factor: 2
  fast_cli: true
)", "x.yaml");
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  EXPECT_EQ(inventory->devices[0].platform->name, "cisco_ios");
  EXPECT_EQ(inventory->devices[0].device_type, "cisco_ios_ssh");
}

TEST(InventoryTest, RejectsMissingIpWithLine) {
  EXPECT_EQ(ErrorOf("routers:\n- device_type: cisco_ios\n  username: u\n"),
            "devices.yaml:2: field 'ip': missing (give 'ip' or 'host')");
}

TEST(InventoryTest, RejectsUnknownDeviceTypeListingKnownOnes) {
  std::string error =
      ErrorOf("routers:\n- ip: 10.0.0.1\n  username: u\n  device_type: cisco_iosx\n");
  EXPECT_THAT(error, HasSubstr("devices.yaml:4: field 'device_type': unknown 'cisco_iosx'"));
  EXPECT_THAT(error, HasSubstr("cisco_ios, "));
  EXPECT_THAT(error, HasSubstr("juniper_junos"));
}

TEST(InventoryTest, RejectsDuplicateAddressWithBothLines) {
  EXPECT_EQ(ErrorOf(R"(routers:
- {ip: 10.0.0.1, username: u, device_type: cisco_ios}
- {ip: 10.0.0.2, username: u, device_type: cisco_ios}
- {ip: 10.0.0.1, username: u, device_type: cisco_ios}
)"),
            "devices.yaml:4: field 'ip': duplicate device 10.0.0.1:22 (first listed at line 2)");
}

TEST(InventoryTest, SameAddressOnOtherPortIsADifferentDevice) {
  EXPECT_TRUE(ParseInventory(R"(routers:
- {name: r1, ip: 10.0.0.1, username: u, device_type: cisco_ios}
- {name: r2, ip: 10.0.0.1, port: 2222, username: u, device_type: cisco_ios}
)", "x.yaml").ok());
}

TEST(InventoryTest, RejectsDuplicateNameWithBothLines) {
  // Across groups too: names are the inventory's, not a group's.
  EXPECT_EQ(ErrorOf(R"(routers:
- {name: r1, ip: 10.0.0.1, username: u, device_type: cisco_ios}
switches:
- {name: sw1, ip: 10.0.0.2, username: u, device_type: cisco_ios}
- name: r1
  ip: 10.0.0.3
  username: u
  device_type: cisco_ios
)"),
            "devices.yaml:5: field 'name': duplicate device name 'r1' (first listed at line 2); "
            "a device without 'name' is named by 'host', else 'ip': give each its own 'name'");
}

TEST(InventoryTest, RejectsNamesTakenFromTheSameAddressOrHost) {
  // Two ports of one address, no names: both would be "10.0.0.1".
  EXPECT_THAT(ErrorOf(R"(routers:
- {ip: 10.0.0.1, username: u, device_type: cisco_ios}
- {ip: 10.0.0.1, port: 2222, username: u, device_type: cisco_ios}
)"),
              HasSubstr("devices.yaml:3: field 'name': duplicate device name '10.0.0.1' "
                        "(first listed at line 2)"));
  // A name given to one device that another takes from its host.
  EXPECT_THAT(ErrorOf(R"(defaults: {username: u, device_type: cisco_ios}
routers:
- {name: core1, ip: 10.0.0.1}
- {host: core1, port: 2222}
)"),
              HasSubstr("devices.yaml:4: field 'name': duplicate device name 'core1' "
                        "(first listed at line 3)"));
}

TEST(InventoryTest, RejectsBadPortWithLine) {
  EXPECT_EQ(ErrorOf("routers:\n- ip: 10.0.0.1\n  username: u\n  device_type: cisco_ios\n  port: 70000\n"),
            "devices.yaml:5: field 'port': must be an integer 1..65535, got '70000'");
  EXPECT_THAT(ErrorOf("routers:\n- ip: 10.0.0.1\n  username: u\n  device_type: cisco_ios\n  port: ssh\n"),
              HasSubstr("got 'ssh'"));
}

TEST(InventoryTest, RejectsGroupThatIsNotAList) {
  EXPECT_THAT(ErrorOf("routers:\n  ip: 10.0.0.1\n"),
              HasSubstr("devices.yaml:2: field 'routers': not a list"));
}

TEST(InventoryTest, RejectsUnknownFieldSuggestingTheClosest) {
  EXPECT_THAT(ErrorOf("routers:\n- ip: 10.0.0.1\n  username: u\n  device_type: cisco_ios\n  pasword: x\n"),
              HasSubstr("devices.yaml:5: field 'pasword': unknown field — did you mean 'password'?"));
  EXPECT_THAT(ErrorOf("defaults:\n  prot: 22\nr:\n- ip: 10.0.0.1\n"),
              HasSubstr("devices.yaml:2: field 'prot': unknown field — did you mean 'port'?"));
  EXPECT_THAT(ErrorOf("r:\n- ip: 10.0.0.1\n  jump_host: {hots: j, password: p}\n"),
              HasSubstr("field 'jump_host.hots': unknown field — did you mean 'jump_host.host'?"));
  // Nothing close: the known fields are listed.
  EXPECT_THAT(ErrorOf("r:\n- ip: 10.0.0.1\n  zzzzzzzzzz: 1\n"),
              HasSubstr("unknown field; known fields: auth_timeout, banner_timeout, "));
}

TEST(InventoryTest, RejectsAFieldGivenTwiceInOneDevice) {
  EXPECT_THAT(ErrorOf("routers:\n- ip: 10.0.0.1\n  device_type: cisco_ios\n  username: u\n"
                      "  device_type: arista_eos\n"),
              HasSubstr("devices.yaml:5: field 'device_type': given twice in one mapping (first "
                        "at line 3)"));
  EXPECT_THAT(ErrorOf("routers:\n- ip: 10.0.0.1\nrouters:\n- ip: 10.0.0.2\n"),
              HasSubstr("devices.yaml:3: field 'routers': given twice"));
}

TEST(InventoryTest, RejectsValuesOfTheWrongKindSayingWhatWasExpected) {
  EXPECT_THAT(ErrorOf("r:\n- ip: [10.0.0.1]\n"),
              HasSubstr("devices.yaml:2: field 'ip': must be a single value, not a list"));
  EXPECT_THAT(ErrorOf("r:\n- ip: 10.0.0.1\n  vars: {site: [a]}\n"),
              HasSubstr("field 'vars.site': must be a single value, not a list"));
  EXPECT_THAT(ErrorOf("r:\n- ip: 10.0.0.1\n  username: u\n  device_type: cisco_ios\n  use_keys: maybe\n"),
              HasSubstr("devices.yaml:5: field 'use_keys': must be true or false, got 'maybe'"));
}

TEST(InventoryTest, DefaultsApplyWhereverTheyStand) {
  // Settings after the devices make the file be read again, knowing them.
  absl::StatusOr<Inventory> inventory = ParseInventory(R"(
routers:
- ip: 10.0.0.1
switches:
- ip: 10.0.0.2
group_defaults:
  switches: {device_type: arista_eos}
defaults:
  username: late
  device_type: cisco_ios
)", "devices.yaml");
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  ASSERT_EQ(inventory->devices.size(), 2u);
  EXPECT_EQ(inventory->devices[0].username, "late");
  EXPECT_EQ(inventory->devices[0].device_type, "cisco_ios");
  EXPECT_EQ(inventory->devices[1].device_type, "arista_eos");
  EXPECT_EQ(inventory->devices[1].line, 5);
}

TEST(InventoryTest, RecordsWhereEachCredentialComesFromNeverTheCredential) {
  InventoryOptions options;
  options.record_sources = true;
  options.env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "SECRET_VAR") return "s3cr3t";
    return std::nullopt;
  };
  absl::StatusOr<Inventory> inventory = ParseInventory(R"(defaults:
  username: u
  password: hunter2
  secret_env: SECRET_VAR
r:
- ip: 10.0.0.1
  device_type: cisco_ios
- ip: 10.0.0.2
  device_type: cisco_ios
  password: ${env:SECRET_VAR}
  credentials: inventory
)", "devices.yaml", options);
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  ASSERT_EQ(inventory->sources.size(), 2u);
  EXPECT_EQ(inventory->sources[0].username, "devices.yaml:2");
  EXPECT_EQ(inventory->sources[0].password, "devices.yaml:3");
  EXPECT_EQ(inventory->sources[0].secret, "env SECRET_VAR (devices.yaml:4)");
  EXPECT_EQ(inventory->sources[1].password, "env SECRET_VAR (devices.yaml:10)");
  EXPECT_EQ(inventory->devices[1].password, "s3cr3t");
  for (const CredentialSources& from : inventory->sources) {
    for (const std::string& text : {from.username, from.password, from.secret, from.key_file}) {
      EXPECT_THAT(text, Not(HasSubstr("hunter2")));
      EXPECT_THAT(text, Not(HasSubstr("s3cr3t")));
    }
  }
  // Unless asked, nothing is recorded.
  EXPECT_TRUE(ParseInventory("r:\n- {ip: a, username: u, device_type: cisco_ios}\n", "x")
                  ->sources.empty());
}

TEST(InventoryTest, RecognisesEachFormatFromTheText) {
  struct Case {
    const char* text;
    const char* format;
  };
  for (const Case& c : {
           Case{"r:\n- {ip: 10.0.0.1, username: u, device_type: cisco_ios}\n", "course"},
           Case{"defaults: {username: u, device_type: cisco_ios}\nr:\n- ip: 10.0.0.1\n", "course"},
           Case{"all:\n  hosts:\n    r1: {ansible_host: 10.0.0.1, ansible_user: u, "
                "ansible_network_os: ios}\n", "ansible"},
           Case{"[routers]\nr1 ansible_host=10.0.0.1 ansible_user=u ansible_network_os=ios\n",
                "ansible"},
           Case{"r1 ansible_host=10.0.0.1 ansible_user=u ansible_network_os=ios\n", "ansible"},
           Case{"r1:\n  hostname: 10.0.0.1\n  username: u\n  platform: ios\n", "nornir"},
           Case{"r1:\n  host: 10.0.0.1\n  username: u\n  device_type: cisco_ios\nall: [r1]\n",
                "netmiko"},
       }) {
    absl::StatusOr<Inventory> inventory = ParseInventory(c.text, "inventory");
    ASSERT_TRUE(inventory.ok()) << c.text << inventory.status();
    EXPECT_EQ(inventory->format, c.format) << c.text;
    EXPECT_EQ(inventory->devices[0].address, "10.0.0.1") << c.text;
  }
  InventoryOptions csv;
  csv.format = "csv";
  absl::StatusOr<Inventory> forced =
      ParseInventory("name,ip,username,device_type\nr1,10.0.0.1,u,cisco_ios\n", "x", csv);
  ASSERT_TRUE(forced.ok()) << forced.status();
  EXPECT_EQ(forced->format, "csv");
  InventoryOptions bogus;
  bogus.format = "excel";
  EXPECT_THAT(std::string(ParseInventory("a: b\n", "x", bogus).status().message()),
              HasSubstr("inventory format 'excel': expected one of course, nornir, ansible"));
}

TEST(InventoryTest, RejectsMissingDeviceTypeAndUsername) {
  EXPECT_THAT(ErrorOf("routers:\n- ip: 10.0.0.1\n  username: u\n"),
              HasSubstr("devices.yaml:2: field 'device_type': missing"));
  EXPECT_THAT(ErrorOf("routers:\n- ip: 10.0.0.1\n  device_type: cisco_ios\n"),
              HasSubstr("devices.yaml:2: field 'username': missing"));
}

TEST(InventoryTest, RejectsBadTimeout) {
  EXPECT_THAT(ErrorOf("routers:\n- {ip: 10.0.0.1, username: u, device_type: cisco_ios, timeout: -1}\n"),
              HasSubstr("field 'timeout'"));
}

TEST(InventoryTest, RejectsInvalidYamlWithLine) {
  EXPECT_THAT(ErrorOf("routers:\n- ip: [10.0.0.1\n"), HasSubstr("devices.yaml:"));
  EXPECT_THAT(ErrorOf("routers:\n- ip: [10.0.0.1\n"), HasSubstr("not valid YAML"));
}

TEST(InventoryTest, RejectsEmptyAndScalarFiles) {
  EXPECT_THAT(ErrorOf(""), HasSubstr("inventory is empty"));
  EXPECT_THAT(ErrorOf("just text\n"), HasSubstr("expected a mapping"));
  EXPECT_THAT(ErrorOf("routers: []\n"), HasSubstr("no devices"));
}

TEST(InventoryTest, MissingFileNamesThePath) {
  absl::StatusOr<Inventory> inventory = LoadInventory("/nonexistent/devices.yaml");
  ASSERT_FALSE(inventory.ok());
  EXPECT_THAT(std::string(inventory.status().message()),
              HasSubstr("/nonexistent/devices.yaml: cannot open"));
}

TEST(InventoryTest, ErrorsNeverQuoteThePassword) {
  std::string error = ErrorOf(
      "routers:\n- ip: 10.0.0.1\n  username: u\n  password: Sup3rS3cret\n  device_type: nope\n");
  EXPECT_THAT(error, ::testing::Not(HasSubstr("Sup3rS3cret")));
}

TEST(InventoryTest, ReadsTimeoutsKeysAlgorithmsAndJumpHost) {
  absl::StatusOr<Inventory> inventory = ParseInventory(R"(
defaults:
  username: ops
  auth_timeout: 7
  jump_host:
    host: 127.0.0.9
    password: bastion
old:
- device_type: cisco_ios
  ip: 127.0.0.2
  banner_timeout: 2.5
  device_timeout: 60
  kex: diffie-hellman-group14-sha1
  host_key_algorithms: ssh-rsa
  ciphers: aes128-cbc
  key_file: /keys/old
  passphrase: words
  use_keys: true
new:
- device_type: cisco_ios
  ip: 127.0.0.3
  conn_timeout: 3
  command_timeout: 90
  jump_host:
    ip: 127.0.0.10
    port: 2222
    username: jumper
    key_file: /keys/jump
)", "devices.yaml");
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  const Device& old_box = inventory->devices[0];
  EXPECT_EQ(old_box.timeouts.auth_ms(), 7000u);
  EXPECT_EQ(old_box.timeouts.banner_ms(), 2500u);
  EXPECT_EQ(old_box.timeouts.device_ms(), 60000u);
  EXPECT_EQ(old_box.timeouts.connect_ms(), 0u);
  EXPECT_EQ(old_box.algorithms.key_exchange(), "diffie-hellman-group14-sha1");
  EXPECT_EQ(old_box.algorithms.host_keys(), "ssh-rsa");
  EXPECT_EQ(old_box.algorithms.ciphers(), "aes128-cbc");
  EXPECT_EQ(old_box.key_passphrase, "words");
  EXPECT_TRUE(old_box.use_keys);
  ASSERT_TRUE(old_box.jump_host.has_value());
  EXPECT_EQ(old_box.jump_host->host(), "127.0.0.9");
  EXPECT_EQ(old_box.jump_host->port(), 22u);
  EXPECT_EQ(old_box.jump_host->username(), "ops");  // the device's, by default
  EXPECT_EQ(old_box.jump_host->password(), "bastion");
  const Device& new_box = inventory->devices[1];
  EXPECT_EQ(new_box.timeouts.connect_ms(), 3000u);
  EXPECT_EQ(new_box.timeouts.command_ms(), 90000u);
  EXPECT_EQ(new_box.jump_host->host(), "127.0.0.10");
  EXPECT_EQ(new_box.jump_host->port(), 2222u);
  EXPECT_EQ(new_box.jump_host->username(), "jumper");
  EXPECT_EQ(new_box.jump_host->key_file(), "/keys/jump");
}

TEST(InventoryTest, RejectsBadJumpHostAndSettingsWithLine) {
  const std::string device = "r:\n- device_type: cisco_ios\n  ip: 127.0.0.2\n  username: u\n";
  EXPECT_THAT(ErrorOf(device + "  jump_host: 127.0.0.9\n"),
              HasSubstr("devices.yaml:5: field 'jump_host': must be a mapping"));
  EXPECT_THAT(ErrorOf(device + "  jump_host:\n    host: h\n    colour: red\n"),
              HasSubstr("devices.yaml:7: field 'jump_host.colour': unknown field"));
  EXPECT_THAT(ErrorOf(device + "  jump_host:\n    username: j\n    password: p\n"),
              HasSubstr("field 'jump_host.host': missing"));
  EXPECT_THAT(ErrorOf(device + "  jump_host:\n    host: h\n"),
              HasSubstr("field 'jump_host': needs a password or a key_file"));
  EXPECT_THAT(ErrorOf(device + "  jump_host:\n    host: h\n    password: p\n    port: 0\n"),
              HasSubstr("devices.yaml:8: field 'jump_host.port': must be an integer"));
  EXPECT_THAT(ErrorOf(device + "  auth_timeout: soon\n"),
              HasSubstr("devices.yaml:5: field 'auth_timeout': must be seconds"));
  EXPECT_THAT(ErrorOf(device + "  use_keys: yes please\n"),
              HasSubstr("devices.yaml:5: field 'use_keys': must be true or false"));
}

TEST(InventoryTest, GroupDefaultsApplyToTheirGroupOverGlobalDefaults) {
  absl::StatusOr<Inventory> inventory = ParseInventory(R"(
defaults:
  username: ops
  device_type: cisco_ios
  ciphers: aes256-ctr
group_defaults:
  legacy:
    ciphers: aes128-cbc
    host_key_algorithms: ssh-rsa
legacy:
- ip: 127.0.0.2
- ip: 127.0.0.3
  ciphers: 3des-cbc
modern:
- ip: 127.0.0.4
)", "devices.yaml");
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  EXPECT_EQ(inventory->devices[0].algorithms.ciphers(), "aes128-cbc");
  EXPECT_EQ(inventory->devices[0].algorithms.host_keys(), "ssh-rsa");
  EXPECT_EQ(inventory->devices[1].algorithms.ciphers(), "3des-cbc");  // the device wins
  EXPECT_EQ(inventory->devices[2].algorithms.ciphers(), "aes256-ctr");
  EXPECT_EQ(inventory->devices[2].algorithms.host_keys(), "");
  EXPECT_THAT(ErrorOf("group_defaults:\n  ghosts:\n    username: u\nr:\n- ip: 1.2.3.4\n"),
              HasSubstr("devices.yaml:2: field 'group_defaults': no group 'ghosts'"));
  EXPECT_THAT(ErrorOf("group_defaults:\n  r:\n    colour: red\nr:\n- ip: 1.2.3.4\n"),
              HasSubstr("devices.yaml:3: field 'colour': unknown field"));
}


std::optional<std::string> LabEnv(const std::string& name) {
  if (name == "LAB_PW") return std::string("pw-from-env");
  if (name == "LAB_ENABLE") return std::string("enable-from-env");
  return std::nullopt;
}

// Options whose environment is the lab's (LabEnv).
InventoryOptions LabOptions() {
  InventoryOptions options;
  options.env = LabEnv;
  return options;
}


TEST(InventoryTest, SecretsComeFromEnvironmentAndPrivateFiles) {
  std::string file = ::testing::TempDir() + "/inventory_test_secret";
  std::ofstream(file) << "pw-from-file\n";
  chmod(file.c_str(), 0600);
  absl::StatusOr<Inventory> inventory = ParseInventory(
      "defaults: {username: ops, secret_env: LAB_ENABLE}\n"
      "routers:\n"
      "- {device_type: cisco_ios, ip: 127.0.0.1, password: \"${env:LAB_PW}\"}\n"
      "- {device_type: cisco_ios, ip: 127.0.0.2, password_env: LAB_PW, secret: own}\n"
      "- {device_type: cisco_ios, ip: 127.0.0.3, password_file: " + file + "}\n",
      "devices.yaml", LabOptions());
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  EXPECT_EQ(inventory->devices[0].password, "pw-from-env");
  EXPECT_EQ(inventory->devices[0].secret, "enable-from-env");
  EXPECT_EQ(inventory->devices[1].password, "pw-from-env");
  EXPECT_EQ(inventory->devices[1].secret, "own");  // the device's own wins
  EXPECT_EQ(inventory->devices[2].password, "pw-from-file");

  chmod(file.c_str(), 0644);
  auto open = ParseInventory("r:\n- {device_type: cisco_ios, ip: 127.0.0.1, username: u,\n"
                             "   password_file: " + file + "}\n",
                             "devices.yaml", LabOptions());
  EXPECT_THAT(open.status().message(),
              HasSubstr("devices.yaml:3: field 'password_file': " + file +
                        ": group or others may access it (mode 0644)"));
  EXPECT_THAT(open.status().message(), ::testing::Not(HasSubstr("pw-from-file")));
  std::remove(file.c_str());
}

TEST(InventoryTest, SecretMistakesNameLineAndField) {
  auto parse = [](const std::string& device) {
    auto inventory = ParseInventory("r:\n- {device_type: cisco_ios, ip: 127.0.0.1, username: u, " +
                                        device + "}\n",
                                    "devices.yaml", LabOptions());
    return std::string(inventory.status().message());
  };
  EXPECT_THAT(parse("password_env: NOPE"),
              HasSubstr("devices.yaml:2: field 'password_env': environment variable NOPE is not set"));
  EXPECT_THAT(parse("password: x, password_env: LAB_PW"),
              HasSubstr("field 'password': give only one of password, password_env"));
  EXPECT_THAT(parse("credentials: vault"), HasSubstr("field 'credentials': must be inventory"));
  EXPECT_THAT(parse("credentials: agent, password: x"),
              HasSubstr("field 'credentials': agent: the agent supplies password and secret"));
  // Without an environment lookup, ${env:...} is an error, not a literal password.
  EXPECT_FALSE(ParseInventory("r:\n- {device_type: cisco_ios, ip: 127.0.0.1, username: u, "
                              "password: \"${env:LAB_PW}\"}\n",
                              "devices.yaml")
                   .ok());
}

TEST(InventoryTest, AgentCredentialsNeedNoUsernameOrPassword) {
  absl::StatusOr<Inventory> inventory = ParseInventory(
      "group_defaults: {core: {credentials: agent}}\n"
      "core:\n- {device_type: cisco_ios, ip: 127.0.0.1}\n"
      "edge:\n- {device_type: cisco_ios, ip: 127.0.0.2, username: u, password: p}\n",
      "devices.yaml");
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  EXPECT_TRUE(inventory->devices[0].agent_credentials);
  EXPECT_EQ(inventory->devices[0].password, "");
  EXPECT_FALSE(inventory->devices[1].agent_credentials);
}

TEST(InventoryTest, EveryFormatRefusesWhatIsNoInventory) {
  // Found by inventory_fuzzer: a list where hosts belong crashed the
  // Nornir and netmiko readers.
  for (const std::string& format : InventoryFormats()) {
    InventoryOptions options;
    options.format = format;
    for (const char* text : {"- a\n- b\n", "just text\n", "", "[1, {a: 2}]\n", "a: [b, {c: d}]\n"}) {
      absl::StatusOr<Inventory> inventory = ParseInventory(text, "x", options);
      EXPECT_FALSE(inventory.ok()) << format << ": " << text;
    }
  }
}

}  // namespace
}  // namespace netshard
