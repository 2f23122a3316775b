// End to end, platforms as data: a device_type the agent has no file for,
// autodetect through an agent, and the errors a user meets first (a bad
// platform file, a misspelt device_type), all through the real programs.
#include <filesystem>
#include <fstream>

#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/e2e_fixture.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;
using testing::ReadFile;

class PlatformsE2eTest : public E2eFixture {
 protected:
  // fleet.yaml with every device_type replaced.
  std::string Inventory(const std::string& device_type) {
    std::string path = dir_ + "/" + device_type + ".yaml";
    std::ofstream(path) << absl::StrReplaceAll(
        ReadFile(dir_ + "/fleet.yaml"), {{"device_type: cisco_ios", "device_type: " + device_type}});
    return path;
  }
};

TEST_F(PlatformsE2eTest, AutodetectThroughAnAgentNamesEachDevicesPlatform) {
  std::string a = LoopbackAddress();
  auto agent = StartAgent(a, "agent-a");
  ASSERT_TRUE(agent);
  EXPECT_EQ(Coord({"run", "-i", Inventory("autodetect"), "--agent", a, "--detect-only", "--format",
                   "jsonl"}),
            1);  // the fleet's one wrong password
  std::vector<Record> records = ParseJsonl(ReadFile(dir_ + "/coord.out"));
  ASSERT_EQ(records.size(), static_cast<size_t>(kDevices));
  int detected = 0;
  for (const Record& record : records) {
    if (record.code == "AUTH_FAILED") continue;
    EXPECT_TRUE(record.ok) << record.name << ": " << record.message;
    EXPECT_EQ(record.platform, "cisco_ios") << record.name;
    EXPECT_TRUE(record.outputs.empty());
    detected += record.platform == "cisco_ios";
  }
  EXPECT_EQ(detected, kDevices - 1);
  // --detect-out writes the inventory back with what was found, and no
  // credentials: run from it (with the password given again), no detection.
  std::string out = dir_ + "/detected.yaml";
  EXPECT_EQ(Coord({"run", "-i", Inventory("autodetect"), "--detect-only", "--detect-out", out,
                   "--limit-to", "3"}),
            0);
  std::string written = ReadFile(out);
  EXPECT_THAT(written, HasSubstr("device_type: cisco_ios"));
  EXPECT_THAT(written, ::testing::Not(HasSubstr("password: ")));
  std::ofstream(dir_ + "/with_password.yaml")
      << absl::StrReplaceAll(written, {{"username: cisco", "username: cisco\n    password: cisco"}});
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/with_password.yaml", "--cmd", "show version", "--format",
                   "jsonl"}),
            0) << ReadFile(dir_ + "/coord.err");
  EXPECT_EQ(ParseJsonl(ReadFile(dir_ + "/coord.out")).size(), 3u);
  // Then commands on the platform found, in text: "as cisco_ios".
  EXPECT_EQ(Coord({"run", "-i", Inventory("autodetect"), "--cmd", "show version", "--limit-to",
                   "2"},
                  "text.out"),
            0);
  EXPECT_THAT(ReadFile(dir_ + "/text.out"), HasSubstr(" ok as cisco_ios, "));
  EXPECT_THAT(ReadFile(dir_ + "/text.out"), HasSubstr("Cisco IOS Software"));
}

TEST_F(PlatformsE2eTest, APlatformFileOnlyTheCoordinatorHasDrivesDevicesThroughAnAgent) {
  std::string platforms = dir_ + "/platforms";
  std::filesystem::create_directories(platforms);
  std::ofstream(platforms + "/lab_ios.yaml")
      << "name: lab_ios\nvendor: Lab\naliases: [lab_ios_ssh]\n"
         "prompt: {terminators: '>#'}\npaging: ['terminal length 0']\n"
         "enable: {command: enable, privileged: '#'}\n"
         "rejections: ['^% Invalid input']\n";
  std::string a = LoopbackAddress();
  auto agent = StartAgent(a, "agent-a");
  ASSERT_TRUE(agent);
  EXPECT_EQ(Coord({"run", "-i", Inventory("lab_ios_ssh"), "--agent", a, "--platforms", platforms,
                   "--cmd", "show version", "--format", "jsonl", "--limit-to", "20"}),
            0)
      << ReadFile(dir_ + "/coord.err");
  std::vector<Record> records = ParseJsonl(ReadFile(dir_ + "/coord.out"));
  ASSERT_EQ(records.size(), 20u);
  for (const Record& record : records) {
    EXPECT_TRUE(record.ok) << record.name << ": " << record.message;
    EXPECT_EQ(record.platform, "lab_ios");
    EXPECT_THAT(record.output, HasSubstr("Cisco IOS Software"));
  }
  // The same through the environment, listed by `coord platforms`.
  EXPECT_EQ(Coord({"platforms", "--platforms", platforms}, "list.out"), 0);
  EXPECT_THAT(ReadFile(dir_ + "/list.out"), HasSubstr("lab_ios_ssh [" + platforms + "/lab_ios.yaml]"));
}

TEST_F(PlatformsE2eTest, MistakesAreRefusedBeforeAnyDeviceNamingFileLineAndField) {
  std::string platforms = dir_ + "/bad";
  std::filesystem::create_directories(platforms);
  std::ofstream(platforms + "/box.yaml")
      << "name: box\nprompt: {terminators: '#'}\nrejections: ['(unclosed']\n";
  EXPECT_EQ(Coord({"run", "--platforms", platforms, "-i", dir_ + "/fleet.yaml", "--cmd", "x"}), 2);
  EXPECT_THAT(ReadFile(dir_ + "/coord.err"),
              HasSubstr(platforms + "/box.yaml:3: rejections: bad regular expression '(unclosed'"));
  EXPECT_EQ(Coord({"run", "-i", Inventory("hp_comwar"), "--cmd", "display version"}), 2);
  std::string err = ReadFile(dir_ + "/coord.err");
  EXPECT_THAT(err, HasSubstr("hp_comwar.yaml:3: field 'device_type': unknown 'hp_comwar'; did you "
                             "mean 'hp_comware'"));
  EXPECT_TRUE(ReadFile(dir_ + "/coord.out").empty());  // no device was touched
}

}  // namespace
}  // namespace netshard
