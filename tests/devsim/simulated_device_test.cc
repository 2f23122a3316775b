#include "tests/devsim/simulated_device.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard::devsim {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;

SimulatedDevice Device() { return SimulatedDevice({"sim7", "127.1.0.7", "s3cret"}); }

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

TEST(SimulatedDeviceTest, PagesLongOutputUntilTerminalLengthZero) {
  SimulatedDevice device = Device();
  std::string first = device.Type("show running-config\r");
  EXPECT_THAT(first, EndsWith("\r\n --More-- "));
  EXPECT_THAT(first, HasSubstr("hostname sim7"));
  std::string second = device.Type(" ");
  EXPECT_THAT(second, StartsWith("\b\b\b\b\b\b\b\b\b\b          \b\b"));
  EXPECT_THAT(device.Type("q"), EndsWith("sim7>"));  // q leaves the pager
  device.Type("terminal length 0\r");
  std::string whole = device.Type("show running-config\r");
  EXPECT_THAT(whole, ::testing::Not(HasSubstr("More")));
  EXPECT_THAT(whole, EndsWith("end\r\nsim7>"));
}

TEST(SimulatedDeviceTest, StubbornPagerIgnoresTerminalLengthZero) {
  SimulatedDevice device({"sim8", "127.1.0.8", "s3cret", /*pager_ignores_terminal_length=*/true});
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

}  // namespace
}  // namespace netshard::devsim
