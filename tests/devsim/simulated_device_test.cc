#include "tests/devsim/simulated_device.h"

#include <deque>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/devsim/sim_platform_file.h"

namespace netshard::devsim {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;

DeviceProfile Profile(const char* platform = "cisco_ios") {
  DeviceProfile profile;
  profile.hostname = "sim7";
  profile.address = "127.1.0.7";
  profile.secret = "s3cret";
  profile.platform = FindSimPlatform(platform);
  return profile;
}

SimulatedDevice Device() { return SimulatedDevice(Profile()); }

TEST(SimulatedDeviceTest, GreetsWithUserPrompt) {
  EXPECT_THAT(Device().Greeting(), EndsWith("\r\nsim7>"));
}

TEST(SimulatedDeviceTest, EchoesTypingAndAnswersAbbreviatedShowClock) {
  SimulatedDevice device = Device();
  std::string out = device.Type("sh clock\r");
  EXPECT_THAT(out, StartsWith("sh clock\r\n*"));
  EXPECT_THAT(out, HasSubstr(" UTC "));
  EXPECT_THAT(out, EndsWith("\r\nsim7>"));
}

TEST(SimulatedDeviceTest, EnableNeedsTheSecretWhichIsNotEchoed) {
  SimulatedDevice device = Device();
  EXPECT_EQ(device.Type("enable\n"), "enable\r\nPassword: ");
  EXPECT_EQ(device.Type("wrong\n"), "\r\n% Bad secrets\r\n\r\nsim7>");
  EXPECT_EQ(device.Type("en\n"), "en\r\nPassword: ");
  EXPECT_EQ(device.Type("s3cret\n"), "\r\nsim7#");
}

TEST(SimulatedDeviceTest, RejectsUnknownAmbiguousAndIncompleteCommands) {
  SimulatedDevice device = Device();
  EXPECT_THAT(device.Type("show flux\r"), HasSubstr("% Invalid input detected at '^' marker."));
  EXPECT_THAT(device.Type("e\r"), HasSubstr("% Ambiguous command"));
  EXPECT_THAT(device.Type("show ip\r"), HasSubstr("% Incomplete command."));
}

TEST(SimulatedDeviceTest, CrLfIsOneEnterAndBackspaceEdits) {
  SimulatedDevice device = Device();
  EXPECT_EQ(device.Type("\r\n"), "\r\nsim7>");
  EXPECT_THAT(device.Type("sh verx\x7f\r"), HasSubstr("sim7 uptime is"));
  EXPECT_EQ(device.commands_run(), 1);
}

TEST(SimulatedDeviceTest, InterfaceTableShowsItsAddress) {
  SimulatedDevice device = Device();
  EXPECT_THAT(device.Type("show ip interface brief\n"), HasSubstr("GigabitEthernet0/0     127.1.0.7"));
  EXPECT_THAT(device.Type("terminal length 0\n"), EndsWith("terminal length 0\r\nsim7>"));
}

// Privileged mode, where IOS shows its configuration.
SimulatedDevice EnabledDevice(DeviceProfile profile = Profile()) {
  SimulatedDevice device(std::move(profile));
  device.Type("enable\rs3cret\r");
  return device;
}

TEST(SimulatedDeviceTest, RunningConfigNeedsPrivilegedMode) {
  EXPECT_THAT(Device().Type("show running-config\r"), HasSubstr("% Invalid input"));
  EXPECT_THAT(EnabledDevice().Type("show running-config\r"), HasSubstr("hostname sim7"));
}

TEST(SimulatedDeviceTest, PagesLongOutputUntilTerminalLengthZero) {
  SimulatedDevice device = EnabledDevice();
  std::string first = device.Type("show running-config\r");
  EXPECT_THAT(first, EndsWith("\r\n --More-- "));
  EXPECT_THAT(first, HasSubstr("hostname sim7"));
  std::string second = device.Type(" ");
  EXPECT_THAT(second, StartsWith("\b\b\b\b\b\b\b\b\b\b          \b\b"));
  EXPECT_THAT(device.Type("q"), EndsWith("sim7#"));  // q leaves the pager
  device.Type("terminal length 0\r");
  std::string whole = device.Type("show running-config\r");
  EXPECT_THAT(whole, ::testing::Not(HasSubstr("More")));
  EXPECT_THAT(whole, EndsWith("end\r\nsim7#"));
}

TEST(SimulatedDeviceTest, StubbornPagerIgnoresTerminalLengthZero) {
  DeviceProfile profile = Profile();
  profile.pager_ignores_terminal_length = true;
  SimulatedDevice device = EnabledDevice(profile);
  device.Type("terminal length 0\r");
  EXPECT_THAT(device.Type("show running-config\r"), EndsWith(" --More-- "));
}

TEST(SimulatedDeviceTest, ExitCloses) {
  SimulatedDevice device = Device();
  device.Type("exit\r");
  EXPECT_TRUE(device.closed());
}

TEST(SimulatedDeviceTest, HungDeviceNeverAnswersAgain) {
  SimulatedDevice device = Device();
  EXPECT_EQ(device.Type("simulate hang\r"), "simulate hang\r\n");
  EXPECT_EQ(device.Type("show clock\r"), "");
  EXPECT_FALSE(device.closed());
}

TEST(SimulatedDeviceTest, UnbrokenPrintsItsBytesOnOneLine) {
  SimulatedDevice device = EnabledDevice();
  std::string out = device.Type("simulate unbroken 100000\r");
  ASSERT_THAT(out, StartsWith("simulate unbroken 100000\r\n"));
  ASSERT_THAT(out, EndsWith("\r\nsim7#"));
  absl::string_view body(out);
  body.remove_prefix(std::string("simulate unbroken 100000\r\n").size());
  body.remove_suffix(std::string("\r\nsim7#").size());
  EXPECT_EQ(body.size(), 100000u);
  EXPECT_EQ(body.find_first_of("\r\n#>"), absl::string_view::npos);
  EXPECT_THAT(device.Type("simulate unbroken lots\r"), HasSubstr("% Invalid input"));
}

TEST(SimulatedDeviceTest, ExecuteRunsWithoutPrompt) {
  EXPECT_THAT(Device().Execute("show version"), HasSubstr("Cisco IOS Software"));
  EXPECT_THAT(Device().Execute("bogus"), HasSubstr("% Invalid input"));
}

TEST(SimulatedDeviceTest, CiscoConfigModeAppliesLinesAndRejectsUnknownOnes) {
  SimulatedDevice device = EnabledDevice();
  EXPECT_THAT(device.Type("conf t\r"), EndsWith("\r\nsim7(config)#"));
  EXPECT_THAT(device.Type("interface Loopback9\r"), EndsWith("\r\nsim7(config-if)#"));
  EXPECT_THAT(device.Type("description netshard\r"), EndsWith("\r\nsim7(config-if)#"));
  EXPECT_THAT(device.Type("flux capacitor\r"), HasSubstr("% Invalid input detected"));
  EXPECT_THAT(device.Type("end\r"), EndsWith("\r\nsim7#"));
  EXPECT_THAT(device.Type("write memory\r"), HasSubstr("[OK]"));
  device.Type("terminal length 0\r");
  EXPECT_THAT(device.Type("show running-config\r"),
              HasSubstr("interface Loopback9\r\n description netshard\r\n"));
}

TEST(SimulatedDeviceTest, XrStagesConfigUntilCommitAndAsksBeforeDiscarding) {
  SimulatedDevice device(Profile("cisco_xr"));
  EXPECT_THAT(device.Greeting(), EndsWith("\r\nRP/0/RP0/CPU0:sim7#"));
  EXPECT_THAT(device.Type("configure terminal\r"), EndsWith("RP/0/RP0/CPU0:sim7(config)#"));
  device.Type("hostname xr-new\r");
  EXPECT_THAT(device.Type("end\r"), HasSubstr("Uncommitted changes found"));
  EXPECT_THAT(device.Type("cancel\r"), EndsWith("(config)#"));
  EXPECT_THAT(device.Type("commit\r"), EndsWith("(config)#"));
  EXPECT_THAT(device.Type("end\r"), EndsWith("RP/0/RP0/CPU0:sim7#"));
  EXPECT_THAT(device.Type("show ipv4 interface brief\r"), HasSubstr("127.1.0.7"));
  EXPECT_THAT(device.Type("show flux\r"), HasSubstr("% Invalid input detected"));
}

TEST(SimulatedDeviceTest, NxosStartsPrivilegedAndSavesWithCopy) {
  SimulatedDevice device(Profile("cisco_nxos"));
  EXPECT_THAT(device.Greeting(), EndsWith("\r\nsim7#"));
  EXPECT_THAT(device.Type("show flux\r"), HasSubstr("% Invalid command at '^' marker."));
  EXPECT_THAT(device.Type("copy running-config startup-config\r"), HasSubstr("Copy complete."));
}

TEST(SimulatedDeviceTest, JunosHasEditBannerCommitAndSyntaxErrors) {
  SimulatedDevice device(Profile("juniper_junos"));
  EXPECT_THAT(device.Greeting(), EndsWith("\r\ncisco@sim7> "));
  EXPECT_THAT(device.Type("set cli screen-length 0\r"), EndsWith("cisco@sim7> "));
  EXPECT_THAT(device.Type("show flux\r"), HasSubstr("syntax error, expecting <command>."));
  EXPECT_THAT(device.Type("configure\r"), EndsWith("\r\n[edit]\r\ncisco@sim7# "));
  EXPECT_THAT(device.Type("set system host-name mx9\r"), EndsWith("[edit]\r\ncisco@sim7# "));
  EXPECT_THAT(device.Type("frobnicate\r"), HasSubstr("unknown command."));
  EXPECT_THAT(device.Type("commit\r"), HasSubstr("commit complete"));
  EXPECT_THAT(device.Type("exit configuration-mode\r"),
              EndsWith("Exiting configuration mode\r\n\r\ncisco@sim7> "));
  EXPECT_THAT(device.Type("show configuration\r"), HasSubstr("set system host-name mx9"));
}

TEST(SimulatedDeviceTest, JunosPagerIsMore) {
  DeviceProfile profile = Profile("juniper_junos");
  profile.tech_support_bytes = 10000;
  SimulatedDevice device(profile);
  EXPECT_THAT(device.Type("show tech-support\r"), EndsWith("---(more)---"));
}

TEST(SimulatedDeviceTest, LinuxIsAShellWithSudo) {
  SimulatedDevice device(Profile("linux"));
  EXPECT_THAT(device.Greeting(), EndsWith("\r\ncisco@sim7:~$ "));
  EXPECT_THAT(device.Type("uname -a\r"), HasSubstr("Linux sim7 "));
  EXPECT_THAT(device.Type("frob\r"), HasSubstr("-bash: frob: command not found"));
  EXPECT_EQ(device.Type("sudo su\r"), "sudo su\r\n[sudo] password for cisco: ");
  EXPECT_THAT(device.Type("s3cret\r"), EndsWith("root@sim7:~# "));
  EXPECT_THAT(device.Type("whoami\r"), HasSubstr("root"));
  EXPECT_THAT(device.Type("exit\r"), EndsWith("cisco@sim7:~$ "));
}

TEST(SimulatedDeviceTest, EosAndGenericPrompts) {
  EXPECT_THAT(SimulatedDevice(Profile("arista_eos")).Greeting(), EndsWith("\r\nsim7>"));
  EXPECT_THAT(SimulatedDevice(Profile("generic")).Greeting(), EndsWith("\r\nsim7% "));
  EXPECT_THAT(SimulatedDevice(Profile("arista_eos")).Type("show flux\r"),
              HasSubstr("\r\n% Invalid input\r\n"));
}

TEST(SimulatedDeviceTest, HangAfterLoginShowsBannerButNoPrompt) {
  DeviceProfile profile = Profile();
  profile.hang_after_login = true;
  SimulatedDevice device(profile);
  EXPECT_THAT(device.Greeting(), EndsWith("simulated by netshard devsim\r\n\r\n"));
  EXPECT_EQ(device.Type("\r"), "");
}

TEST(SimulatedDeviceTest, DropMidCommandSendsHalfAndCloses) {
  DeviceProfile profile = Profile();
  profile.drop_mid_command = true;
  SimulatedDevice device(profile);
  std::string out = device.Type("show version\r");
  EXPECT_TRUE(device.dropped());
  EXPECT_TRUE(device.closed());
  EXPECT_THAT(out, ::testing::Not(EndsWith("sim7>")));
}

TEST(SimulatedDeviceTest, TechSupportHasTheConfiguredSize) {
  DeviceProfile profile = Profile();
  profile.tech_support_bytes = 5 << 20;
  SimulatedDevice device = EnabledDevice(profile);
  device.Type("terminal length 0\r");
  std::string out = device.Type("show tech-support\r");
  EXPECT_GT(out.size(), size_t{5 << 20});
  EXPECT_LT(out.size(), size_t{(5 << 20) + 100});
}

// A platform nothing built in looks like, from the file alone: Huawei VRP's
// user view `<sim7>`, system view `[sim7]` and `[sim7-GigabitEthernet0/0/1]`.
constexpr char kHuaweiLike[] = R"yaml(
name: huawei_like
banner: "Info: The max number of VTY users is 5."
prompts:
  user: "<{host}>"
  config: "[{host}]"
  config_sub: "[{host}-{sub}]"
starts_privileged: true
accepts: ["screen-length 0 temporary", "screen-width <n>"]
paging: ["screen-length 0 temporary"]
pager: "  ---- More ----"
config:
  style: immediate
  enter: system-view
  enter_output: "Enter system view, return user view with Ctrl+Z."
  exit: [return]
  up: [quit]
  submodes: {interface: "{arg}"}
  words: [sysname, interface, description, undo, ip, vlan]
  show: display current-configuration
  running_header: "#\nsysname {host}\n#\n"
  running_footer: "return\n"
  save:
    command: save
    confirm: "Are you sure to continue?[Y/N]"
    output: "Info: Save the configuration successfully."
errors:
  caret: true
  invalid: "Error: Unrecognized command found at '^' position."
  incomplete: "Error: Incomplete command found at '^' position."
  ambiguous: "Error: Ambiguous command found at '^' position."
commands:
  "display version": "VRP (R) software, Version 5.170 (S5700 V200R011C10SPC500)"
  "display diagnostic-information": "{tech_support}"
checks: {show: display version, show_marker: VRP, long_command: display diagnostic-information}
)yaml";

// A platform written inline, kept for the rest of the process (a device
// points at it).
const SimPlatform* Inline(const char* text) {
  static auto* kept = new std::deque<SimPlatform>();
  return &kept->emplace_back(*ParseSimPlatform(text, "inline.yaml"));
}

// A device of a platform written inline.
SimulatedDevice DeviceOf(const char* text) {
  DeviceProfile profile = Profile();
  profile.platform = Inline(text);
  profile.tech_support_bytes = 7000;
  return SimulatedDevice(profile);
}

TEST(SimulatedDeviceTest, HuaweiLikeViewsComeFromTheFile) {
  ASSERT_TRUE(ParseSimPlatform(kHuaweiLike, "inline.yaml").ok());
  SimulatedDevice device = DeviceOf(kHuaweiLike);
  EXPECT_THAT(device.Greeting(), EndsWith("\r\nInfo: The max number of VTY users is 5.\r\n<sim7>"));
  EXPECT_EQ(device.Type("display flux\r"),
            "display flux\r\n              ^\r\n"
            "Error: Unrecognized command found at '^' position.\r\n<sim7>");
  EXPECT_EQ(device.Type("system-view\r"),
            "system-view\r\nEnter system view, return user view with Ctrl+Z.\r\n[sim7]");
  EXPECT_THAT(device.Type("interface GigabitEthernet0/0/1\r"),
              EndsWith("\r\n[sim7-GigabitEthernet0/0/1]"));
  EXPECT_THAT(device.Type("description uplink\r"), EndsWith("\r\n[sim7-GigabitEthernet0/0/1]"));
  EXPECT_THAT(device.Type("quit\r"), EndsWith("quit\r\n[sim7]"));
  EXPECT_THAT(device.Type("sysname\r"), HasSubstr("Error: Incomplete command found"));
  EXPECT_THAT(device.Type("frobnicate\r"), HasSubstr("Error: Unrecognized command found"));
  EXPECT_THAT(device.Type("return\r"), EndsWith("return\r\n<sim7>"));
  EXPECT_THAT(device.Type("display current-configuration\r"),
              EndsWith("#\r\nsysname sim7\r\n#\r\ninterface GigabitEthernet0/0/1\r\n"
                       " description uplink\r\nreturn\r\n<sim7>"));
  EXPECT_THAT(device.Type("save\r"), EndsWith("save\r\nAre you sure to continue?[Y/N]"));
  EXPECT_EQ(device.Type("y\r"), "y\r\nInfo: Save the configuration successfully.\r\n<sim7>");
  device.Type("save\r");
  EXPECT_EQ(device.Type("n\r"), "n\r\n<sim7>");
  EXPECT_THAT(device.Type("s\r"), HasSubstr("Error: Ambiguous command found"));
  EXPECT_FALSE(device.closed());
  device.Type("quit\r");
  EXPECT_TRUE(device.closed());
}

TEST(SimulatedDeviceTest, HuaweiLikePagesUntilScreenLengthZeroTemporary) {
  SimulatedDevice device = DeviceOf(kHuaweiLike);
  device.Greeting();
  EXPECT_THAT(device.Type("dis diag\r"), EndsWith("\r\n  ---- More ----"));
  EXPECT_THAT(device.Type("q"), EndsWith("<sim7>"));
  EXPECT_THAT(device.Type("screen-width 80\r"), EndsWith("\r\n<sim7>"));
  EXPECT_THAT(device.Type("screen-length 0 temporary\r"), EndsWith("temporary\r\n<sim7>"));
  std::string whole = device.Type("display diagnostic-information\r");
  EXPECT_THAT(whole, ::testing::Not(HasSubstr("More")));
  EXPECT_THAT(whole, EndsWith("xx\r\n<sim7>"));
}

// Flat configuration: lines at the exec prompt, once privileged.
constexpr char kFlatLike[] = R"yaml(
name: flat_like
prompts: {user: "{host}> ", privileged: "{host}# "}
enable: {command: enable}
accepts: ["set length <n>"]
config:
  style: flat
  words: [set, create]
  standalone: []
  show: show config
  running_header: "! header\n"
  save: {command: save config, output: "Saved."}
errors: {invalid: "Invalid input: {word}", incomplete: "Incomplete: {line}"}
checks: {show: show config, show_marker: header, long_command: show config}
)yaml";

TEST(SimulatedDeviceTest, FlatConfigLinesApplyAtThePrivilegedPromptAndSave) {
  SimulatedDevice device = DeviceOf(kFlatLike);
  device.Greeting();
  EXPECT_EQ(device.Type("set vlan 10\r"), "set vlan 10\r\nInvalid input: vlan\r\nsim7> ");
  device.Type("enable\r");
  EXPECT_EQ(device.Type("set length 0\r"), "set length 0\r\nsim7# ");  // exec comes first
  EXPECT_EQ(device.Type("set vlan 10\r"), "set vlan 10\r\nsim7# ");
  EXPECT_EQ(device.Type("cr  vlan users \r"), "cr  vlan users \r\nsim7# ");
  EXPECT_THAT(device.Type("create\r"), HasSubstr("Incomplete: create"));
  EXPECT_THAT(device.Type("frobnicate x\r"), HasSubstr("Invalid input: frobnicate"));
  EXPECT_THAT(device.Type("show config\r"),
              EndsWith("\r\n! header\r\nset vlan 10\r\ncr  vlan users\r\nsim7# "));
  EXPECT_EQ(device.Type("save config\r"), "save config\r\nSaved.\r\nsim7# ");
}

TEST(SimulatedDeviceTest, SaveInConfigIsAConfigurationModeCommand) {
  SimulatedDevice device = DeviceOf(R"yaml(
name: vyos_like
prompts: {user: "{host}$ ", config: "{host}# "}
starts_privileged: true
config:
  style: junos
  enter: configure
  exit: [exit]
  commit: commit
  words: [set]
  save: {command: save, output: "Done", in_config: true}
errors: {invalid: "Invalid command: [{word}]"}
checks: {show: show x, show_marker: x, long_command: show x, saved: Done}
)yaml");
  device.Greeting();
  EXPECT_THAT(device.Type("save\r"), HasSubstr("Invalid command: [save]"));
  device.Type("configure\r");
  EXPECT_EQ(device.Type("save\r"), "save\r\nDone\r\nsim7# ");
}

TEST(SimulatedDeviceTest, LoginQuestionsComeBeforeThePromptAndAnyKeyAnswers) {
  SimulatedDevice device = DeviceOf(R"(
name: procurve_like
login_questions: [{text: "Press any key to continue"}]
prompts: {user: "{host}> ", privileged: "{host}# "}
enable: {command: enable}
errors: {invalid: "Invalid input: {word}"}
checks: {show: show version, show_marker: x, long_command: show tech}
)");
  EXPECT_THAT(device.Greeting(), EndsWith("\r\n\r\nPress any key to continue"));
  EXPECT_EQ(device.Type("\r\n"), "\r\nsim7> ");  // one key, however it is sent
  EXPECT_EQ(device.Type("flux\r"), "flux\r\nInvalid input: flux\r\nsim7> ");
  EXPECT_EQ(device.Type("enable\r"), "enable\r\nsim7# ");  // no password asked
}

constexpr char kPowerConnectLike[] = R"(
name: powerconnect_like
ssh_auth_none: true
login_questions:
  - {text: "User Name:", expects: username}
  - {text: "Password:", expects: password, secret: true}
login_failure: "Login failed"
prompts: {user: "{host}> ", privileged: "{host}# "}
errors: {invalid: "% Unrecognized command"}
checks: {show: show version, show_marker: x, long_command: show tech}
)";

SimulatedDevice PowerConnectLike() {
  DeviceProfile profile = Profile();
  profile.username = "admin";
  profile.password = "pa55";
  profile.platform = Inline(kPowerConnectLike);
  return SimulatedDevice(profile);
}

TEST(SimulatedDeviceTest, LoginQuestionsReadWholeLinesAndCheckThem) {
  SimulatedDevice device = PowerConnectLike();
  EXPECT_THAT(device.Greeting(), EndsWith("\r\nUser Name:"));
  EXPECT_EQ(device.Type("\n"), "\r\nUser Name:");  // an empty name asks again
  EXPECT_EQ(device.Type("admin\n"), "admin\r\nPassword:");
  EXPECT_EQ(device.Type("pa55\r\n"), "\r\nsim7> ");  // the password is not echoed
  EXPECT_EQ(device.Type("flux\r"), "flux\r\n% Unrecognized command\r\nsim7> ");
}

TEST(SimulatedDeviceTest, WrongLoginAnswerAsksAgainThenHangsUp) {
  SimulatedDevice device = PowerConnectLike();
  device.Greeting();
  device.Type("admin\r");
  EXPECT_EQ(device.Type("wrong\r"), "\r\nLogin failed\r\nUser Name:");
  device.Type("root\r");  // a wrong name is found out after the password
  EXPECT_EQ(device.Type("pa55\r"), "\r\nLogin failed\r\nUser Name:");
  EXPECT_FALSE(device.closed());
  device.Type("admin\r");
  EXPECT_EQ(device.Type("nope\r"), "\r\nLogin failed\r\n");
  EXPECT_TRUE(device.closed());
}

TEST(SimulatedDeviceTest, RightLoginAfterAWrongOneGetsThePrompt) {
  SimulatedDevice device = PowerConnectLike();
  device.Greeting();
  device.Type("admin\rwrong\r");
  EXPECT_EQ(device.Type("admin\rpa55\r"), "admin\r\nPassword:\r\nsim7> ");
}

}  // namespace
}  // namespace netshard::devsim
