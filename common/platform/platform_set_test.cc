#include "common/platform/platform_set.h"

#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "common/embedded_file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard {

const std::vector<EmbeddedFile>& BuiltinPlatformFiles();

namespace {

using ::testing::HasSubstr;

constexpr char kComware[] = R"(name: hp_comware
vendor: HPE
aliases: [hp_comware_ssh]
prompt:
  terminators: '>]'
  openers: '<['
paging: ['screen-length disable']
config:
  enter: system-view
  exit: return
  save: save force
rejections: ['^\s*% ?Unrecognized command']
)";

std::string Error(absl::string_view text) {
  absl::StatusOr<std::unique_ptr<Platform>> parsed = ParsePlatform(text, "box.yaml");
  return parsed.ok() ? "parsed" : std::string(parsed.status().message());
}

TEST(PlatformSetTest, EveryBuiltinFileLoadsWithItsAliases) {
  std::unique_ptr<PlatformSet> set = PlatformSet::Builtin();
  for (const EmbeddedFile& file : BuiltinPlatformFiles()) {
    auto parsed = ParsePlatform(file.text, file.name);
    EXPECT_TRUE(parsed.ok()) << parsed.status();
    if (parsed.ok()) {
      EXPECT_EQ(absl::StrCat((*parsed)->name, ".yaml"), file.name) << "one file per platform, named after it";
    }
  }
  EXPECT_EQ(set->All().size(), BuiltinPlatformFiles().size());
  for (const Platform* platform : set->All()) {
    EXPECT_FALSE(platform->prompt_terminators.empty()) << platform->name;
    EXPECT_FALSE(platform->vendor.empty()) << platform->name;
    EXPECT_TRUE(set->IsBuiltin(*platform)) << platform->source;
    for (const std::string& alias : platform->aliases) EXPECT_EQ(set->Find(alias), platform);
  }
  EXPECT_EQ(set->Find("cisco_ios_ssh"), set->Find("cisco_ios"));
  EXPECT_EQ(set->Find("juniper"), set->Find("juniper_junos"));
  EXPECT_EQ(set->Find("cisco_iosxe"), nullptr);
  ASSERT_NE(set->Find("autodetect"), nullptr);
  EXPECT_EQ(set->Find("autodetect")->name, "autodetect");
}

TEST(PlatformSetTest, TodaysEightKeepTheirBehaviour) {
  const Platform& ios = *FindPlatform("cisco_ios");
  EXPECT_EQ(ios.paging_commands, std::vector<std::string>{"terminal length 0"});
  EXPECT_EQ(ios.enable_command, "enable");
  EXPECT_EQ(ios.config_command, "configure terminal");
  EXPECT_EQ(ios.save_command, "write memory");
  const Platform& xr = *FindPlatform("cisco_xr");
  EXPECT_EQ(xr.commit_command, "commit");
  EXPECT_EQ(xr.config_abort_commands, std::vector<std::string>{"abort"});
  EXPECT_TRUE(xr.enable_command.empty());
  const Platform& junos = *FindPlatform("juniper_junos");
  EXPECT_EQ(junos.config_abort_commands,
            (std::vector<std::string>{"rollback", "exit configuration-mode"}));
  EXPECT_NE(junos.prompt_preamble, nullptr);
  EXPECT_FALSE(FindPlatform("linux")->has_config);
  EXPECT_TRUE(FindPlatform("cisco_ios")->has_config);
  EXPECT_TRUE(FindPlatform("generic")->rejection_patterns.empty());
}

TEST(PlatformSetTest, MistakesNameTheFileLineAndField) {
  EXPECT_EQ(Error(kComware), "parsed");
  EXPECT_THAT(Error(std::string(kComware) + "pagin: [x]\n"),
              HasSubstr("box.yaml:13: pagin: unknown field; known:"));
  EXPECT_THAT(Error(std::string(kComware) + "pagers: ['(?=More)']\n"),
              HasSubstr("box.yaml:13: pagers: bad regular expression '(?=More)'"));
  EXPECT_THAT(Error("name: x\nprompt:\n  openers: '<'\n"),
              HasSubstr("box.yaml:3: prompt.terminators: missing"));
  EXPECT_THAT(Error("name: x\nprompt: {terminators: '#'}\nenable:\n  command: en\n  privileged: ''\n"),
              HasSubstr("box.yaml:5: enable.privileged: must not be empty"));
  EXPECT_THAT(Error("name: Bad-Name\nprompt: {terminators: '#'}\n"), HasSubstr("box.yaml:1: name:"));
  EXPECT_THAT(Error("name: x\nprompt: {terminators: '#', pattern: '^\\S+#$'}\n"),
              HasSubstr("prompt.pattern: needs a group"));
  EXPECT_THAT(Error("name: x\nprompt: {terminators: '#'}\nconfig: {enter: conf}\n"),
              HasSubstr("box.yaml:3: config: give both enter and exit, or neither"));
  EXPECT_THAT(Error("name: x\nprompt: [\n"), HasSubstr("box.yaml:3: not valid YAML"));
  EXPECT_THAT(Error("name: autodetect\nprompt: {terminators: '#'}\n"), HasSubstr("reserved"));
}

TEST(PlatformSetTest, AnAliasClaimedTwiceIsRefusedAndTheSetStaysAsItWas) {
  std::unique_ptr<PlatformSet> set = PlatformSet::Builtin();
  absl::Status clash = set->Add("name: mine\naliases: [cisco_ios_ssh]\nprompt: {terminators: '#'}\n",
                                "mine.yaml");
  EXPECT_THAT(clash.message(), HasSubstr("mine.yaml: aliases: 'cisco_ios_ssh' already names "
                                         "platform cisco_ios"));
  EXPECT_EQ(set->Find("mine"), nullptr);
  EXPECT_EQ(set->Find("cisco_ios_ssh")->name, "cisco_ios");
}

class PlatformDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) / "platforms_dir_test";
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  std::filesystem::path dir_;
};

TEST_F(PlatformDirTest, ADirectoryAddsPlatformsAndOverridesBuiltinOnes) {
  Write("comware.yaml", kComware);
  Write("ios.yaml",
        "name: cisco_ios\nvendor: Cisco\naliases: [cisco_ios_ssh]\n"
        "prompt: {terminators: '>#'}\npaging: ['terminal length 0', 'terminal width 511']\n");
  Write("notes.txt", "not a platform");
  absl::StatusOr<std::unique_ptr<PlatformSet>> set = PlatformSet::Load({dir_.string()});
  ASSERT_TRUE(set.ok()) << set.status();
  const Platform* comware = (*set)->Find("hp_comware_ssh");
  ASSERT_NE(comware, nullptr);
  EXPECT_EQ(comware->save_command, "save force");
  EXPECT_FALSE((*set)->IsBuiltin(*comware));
  const Platform* ios = (*set)->Find("cisco_ios");
  EXPECT_EQ(ios->paging_commands.size(), 2u);
  EXPECT_EQ(ios->source, (dir_ / "ios.yaml").string());
  EXPECT_EQ(ios->definition.substr(0, 15), "name: cisco_ios");
}

TEST_F(PlatformDirTest, ABadFileStopsTheLoadNamingIt) {
  Write("broken.yaml", "name: broken\nprompt: {terminators: '#'}\nrejections: ['(']\n");
  absl::StatusOr<std::unique_ptr<PlatformSet>> set = PlatformSet::Load({dir_.string()});
  ASSERT_FALSE(set.ok());
  EXPECT_THAT(set.status().message(),
              HasSubstr((dir_ / "broken.yaml").string() + ":3: rejections: bad regular expression '('"));
  EXPECT_THAT(PlatformSet::Load({(dir_ / "missing").string()}).status().message(),
              HasSubstr("platforms directory"));
}

TEST(PlatformSetTest, ClosestNamesComeFirstForAMisspeltDeviceType) {
  std::unique_ptr<PlatformSet> set = PlatformSet::Builtin();
  ASSERT_TRUE(set->Add(kComware, "comware.yaml").ok());
  EXPECT_EQ(set->Closest("hp_comwar").front(), "hp_comware");
  EXPECT_EQ(set->Closest("Cisco_IOS").front(), "cisco_ios");
  EXPECT_EQ(set->Closest("juniper_junoss").front(), "juniper_junos");
  EXPECT_TRUE(set->Closest("zzzzzzzz").empty());
  EXPECT_THAT(UnknownPlatform("cisco_iso"), HasSubstr("unknown 'cisco_iso'; did you mean 'cisco_ios'"));
}

}  // namespace
}  // namespace netshard
