#include "tests/devsim/simulated_device.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

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

}  // namespace
}  // namespace netshard::devsim
