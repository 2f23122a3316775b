#include "coordinator/cli/platforms_command.h"

#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(PlatformsCommandTest, ListsEveryPlatformWithAliasesAndWhatItSupports) {
  std::unique_ptr<PlatformSet> set = PlatformSet::Builtin();
  ASSERT_TRUE(set->Add("name: lab_os\nvendor: Lab\naliases: [lab_ssh]\nprompt: {terminators: '#'}\n",
                       "/etc/netshard/lab.yaml").ok());
  std::ostringstream out, err;
  EXPECT_EQ(PlatformsCommand({}, *set, out, err), 0);
  EXPECT_THAT(out.str(), HasSubstr("enable,config,save,detect"));
  EXPECT_THAT(out.str(), HasSubstr("Cisco IOS; cisco_ios_ssh\n"));
  EXPECT_THAT(out.str(), HasSubstr("config,commit,detect"));  // IOS XR
  EXPECT_THAT(out.str(), ContainsRegex("\nlab_os +- +Lab; lab_ssh \\[/etc/netshard/lab.yaml\\]\n"));
  EXPECT_THAT(out.str(), HasSubstr(absl::StrCat(set->All().size(), " platforms, and `autodetect`")));
}

TEST(PlatformsCommandTest, ANameOrAliasPrintsItsDefinition) {
  std::unique_ptr<PlatformSet> set = PlatformSet::Builtin();
  std::ostringstream out, err;
  EXPECT_EQ(PlatformsCommand({"juniper"}, *set, out, err), 0);
  EXPECT_THAT(out.str(), StartsWith("# juniper_junos from common/platforms/juniper_junos.yaml\n"));
  EXPECT_THAT(out.str(), HasSubstr("paging: ['set cli screen-length 0']"));
}

TEST(PlatformsCommandTest, AnUnknownNameSuggestsTheClosest) {
  std::ostringstream out, err;
  EXPECT_EQ(PlatformsCommand({"cisco_nxo"}, *PlatformSet::Builtin(), out, err), 2);
  EXPECT_THAT(err.str(), HasSubstr("unknown 'cisco_nxo'; did you mean 'cisco_nxos'"));
}

TEST(PlatformsCommandTest, DirectoriesComeFromTheEnvironmentThenTheFlags) {
  EXPECT_EQ(PlatformDirs("/a::/b", {"/c"}), (std::vector<std::string>{"/a", "/b", "/c"}));
  EXPECT_TRUE(PlatformDirs("", {}).empty());
}

}  // namespace
}  // namespace netshard
