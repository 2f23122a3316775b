#include "tests/devsim/sim_platform_file.h"

#include <filesystem>
#include <fstream>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/embedded_file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard {
const std::vector<EmbeddedFile>& DevsimPlatformFiles();
}  // namespace netshard

namespace netshard::devsim {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// The least a platform file says; `extra` adds top-level fields.
std::string Minimal(const std::string& extra = "") {
  return absl::StrCat(
      "name: tiny\n"
      "prompts:\n"
      "  user: \"{host}>\"\n"
      "errors:\n"
      "  invalid: \"% bad\"\n"
      "checks: {show: show version, show_marker: x, long_command: show tech}\n",
      extra);
}

std::string ErrorOf(const std::string& text) {
  auto platform = ParseSimPlatform(text, "t.yaml");
  return platform.ok() ? "(no error)" : std::string(platform.status().message());
}

TEST(SimPlatformFileTest, MinimalFileTakesTheDefaults) {
  auto platform = ParseSimPlatform(Minimal(), "t.yaml");
  ASSERT_TRUE(platform.ok()) << platform.status();
  EXPECT_EQ(platform->name, "tiny");
  EXPECT_EQ(platform->prompts.privileged, "{host}>");
  EXPECT_EQ(platform->errors.incomplete, "% bad");
  EXPECT_THAT(platform->logout, ElementsAre("exit", "logout", "quit"));
  EXPECT_FALSE(platform->enable.has_value());
  EXPECT_FALSE(platform->config.has_value());
  EXPECT_EQ(platform->username_options, "");  // a login name is just the name
}

TEST(SimPlatformFileTest, UnknownFieldNamesFileLineAndField) {
  EXPECT_THAT(ErrorOf("name: tiny\nprompts:\n  user: x\n  colour: red\n"),
              HasSubstr("t.yaml:4: prompts.colour: unknown field; known: user, privileged"));
  EXPECT_THAT(ErrorOf(Minimal("pagr: \" --More-- \"\n")),
              HasSubstr("t.yaml:7: pagr: unknown field"));
}

TEST(SimPlatformFileTest, WrongTypeNamesFileLineAndField) {
  EXPECT_THAT(ErrorOf(Minimal("starts_privileged: maybe\n")),
              HasSubstr("t.yaml:7: starts_privileged: must be true or false"));
  EXPECT_THAT(ErrorOf(Minimal("accepts: terminal length 0\n")),
              HasSubstr("t.yaml:7: accepts: must be a list of texts"));
  EXPECT_THAT(ErrorOf(Minimal("commands:\n  show clock: [a, b]\n")),
              HasSubstr("t.yaml:8: commands[\"show clock\"]: must be text"));
  EXPECT_THAT(ErrorOf(Minimal("enable: enable\n")),
              HasSubstr("t.yaml:7: enable: must be a mapping"));
}

TEST(SimPlatformFileTest, MissingRequiredFieldNamesItsMapping) {
  EXPECT_THAT(ErrorOf("name: tiny\nprompts:\n  privileged: x\n"),
              HasSubstr("t.yaml:3: prompts.user: missing; it is required"));
  EXPECT_THAT(ErrorOf(Minimal("config: {style: immediate}\n")),
              HasSubstr("t.yaml:7: config.enter: missing"));
}

TEST(SimPlatformFileTest, ValuesThatDisagreeAreErrors) {
  EXPECT_THAT(ErrorOf(Minimal("accepts: [\"terminal length <n>\"]\npaging: [\"term len 0\"]\n")),
              HasSubstr("t.yaml:8: paging: 'term len 0' is not in accepts"));
  EXPECT_THAT(
      ErrorOf(Minimal("accepts: [\"terminal length <num>\"]\n")),
      HasSubstr("t.yaml:7: accepts: 'terminal length <num>': placeholders are <n> and <arg>"));
  EXPECT_THAT(ErrorOf(Minimal("privileged_commands: [show run]\n")),
              HasSubstr("privileged_commands: 'show run' is not one of the platform's commands"));
  EXPECT_THAT(ErrorOf(Minimal("config: {style: instant, enter: conf}\n")),
              HasSubstr("t.yaml:7: config.style: must be immediate, commit, junos or flat"));
  EXPECT_THAT(ErrorOf(Minimal("config: {style: immediate, enter: conf}\n")),
              HasSubstr("prompts.config: missing; the platform has config"));
  std::string misnamed = Minimal();
  misnamed.replace(0, 10, "name: Tiny!");
  EXPECT_THAT(ErrorOf(misnamed), HasSubstr("t.yaml:1: name: must be lower-case"));
  EXPECT_THAT(ErrorOf(Minimal("banner: a\nbanner: b\n")),
              HasSubstr("t.yaml:8: banner: given twice"));
}

TEST(SimPlatformFileTest, LoginQuestionsReadWhatTheyExpect) {
  auto platform =
      ParseSimPlatform(Minimal("ssh_auth_none: true\n"
                               "login_questions:\n"
                               "  - {text: \"User Name:\", expects: username}\n"
                               "  - {text: \"Password:\", expects: password, secret: true}\n"
                               "  - {text: \"Press any key\"}\n"),
                       "t.yaml");
  ASSERT_TRUE(platform.ok()) << platform.status();
  using Expects = SimPlatform::LoginQuestion::Expects;
  const std::vector<SimPlatform::LoginQuestion>& questions = platform->login_questions;
  ASSERT_EQ(questions.size(), 3u);
  EXPECT_EQ(questions[0].expects, Expects::kUsername);
  EXPECT_FALSE(questions[0].secret);
  EXPECT_EQ(questions[1].expects, Expects::kPassword);
  EXPECT_TRUE(questions[1].secret);
  EXPECT_EQ(questions[2].expects, Expects::kAnyKey);
  EXPECT_TRUE(platform->ssh_auth_none);
  EXPECT_EQ(platform->login_failure, "% Authentication failed");
}

TEST(SimPlatformFileTest, SshAuthNoneNeedsAQuestionThatChecksThePassword) {
  EXPECT_THAT(
      ErrorOf(Minimal("ssh_auth_none: true\n"
                      "login_questions: [{text: \"User Name:\", expects: username}]\n")),
      HasSubstr("t.yaml:7: ssh_auth_none: needs a login question that expects the password"));
  EXPECT_THAT(ErrorOf(Minimal("login_questions: [{text: \"Login:\", expects: user}]\n")),
              HasSubstr("t.yaml:7: login_questions.expects: must be username or password"));
}

TEST(SimPlatformFileTest, FlatConfigNeedsNoModeAndRefusesModeFields) {
  auto flat = ParseSimPlatform(Minimal("config: {style: flat, save: {command: save}}\n"), "t.yaml");
  ASSERT_TRUE(flat.ok()) << flat.status();
  EXPECT_EQ(flat->config->style, ConfigStyle::kFlat);
  EXPECT_EQ(flat->prompts.config, "{host}>");  // no configuration prompt of its own
  EXPECT_THAT(ErrorOf(Minimal("config: {style: flat, enter: conf}\n")),
              HasSubstr("t.yaml:7: config.enter: style flat has no configuration mode"));
  EXPECT_THAT(ErrorOf(Minimal("config:\n  style: flat\n  exit: [end]\n")),
              HasSubstr("t.yaml:9: config.exit: style flat has no configuration mode"));
  EXPECT_THAT(ErrorOf(Minimal("config: {style: flat, save: {command: save, in_config: true}}\n")),
              HasSubstr("config.save.in_config: style flat has no configuration mode"));
}

TEST(SimPlatformFileTest, InvalidYamlNamesTheLine) {
  EXPECT_THAT(ErrorOf("name: tiny\nprompts: [\n"), HasSubstr("t.yaml:3: invalid YAML"));
}

TEST(SimPlatformFileTest, LineEndsBecomeCrLf) {
  auto platform = ParseSimPlatform(Minimal("banner: \"one\\ntwo\\r\\nthree\\n\"\n"), "t.yaml");
  ASSERT_TRUE(platform.ok()) << platform.status();
  EXPECT_EQ(platform->banner, "one\r\ntwo\r\nthree\r\n");
}

TEST(SimPlatformFileTest, EveryBuiltInFileLoadsUnderItsOwnName) {
  std::set<std::string> names;
  for (const EmbeddedFile& file : DevsimPlatformFiles()) {
    auto platform = ParseSimPlatform(file.text, file.name);
    if (!platform.ok()) {
      ADD_FAILURE() << platform.status().message();
      continue;
    }
    EXPECT_EQ(absl::StrCat(platform->name, ".yaml"), file.name);
    EXPECT_TRUE(names.insert(platform->name).second) << file.name << ": name given twice";
  }
  EXPECT_GE(names.size(), 8u);
}

class SimPlatformDirTest : public ::testing::Test {
 protected:
  std::string Dir(const std::string& name) {
    std::string dir = absl::StrCat(::testing::TempDir(), "/", name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
  }
  static void Write(const std::string& path, const std::string& text) {
    std::ofstream(path) << text;
  }
};

TEST_F(SimPlatformDirTest, AddsAndReplacesPlatformsByName) {
  std::string first = Dir("first");
  Write(first + "/tiny.yaml", Minimal());
  ASSERT_TRUE(AddSimPlatformDir(first).ok());
  const SimPlatform* old = FindSimPlatform("tiny");
  ASSERT_NE(old, nullptr);
  EXPECT_NE(FindSimPlatform("cisco_ios"), nullptr);  // the built-ins stay

  std::string second = Dir("second");
  std::string replaced = Minimal();
  replaced.replace(replaced.find("{host}>"), 7, "{host}$");
  Write(second + "/mine.yml", replaced);
  ASSERT_TRUE(AddSimPlatformDir(second).ok());
  EXPECT_EQ(FindSimPlatform("tiny")->prompts.user, "{host}$");
  EXPECT_EQ(old->prompts.user, "{host}>");  // a device using it keeps it
}

TEST_F(SimPlatformDirTest, ABrokenFileAddsNothing) {
  std::string dir = Dir("broken");
  std::string good = Minimal();
  good.replace(0, 10, "name: good");
  Write(dir + "/a.yaml", good);
  Write(dir + "/b.yaml", Minimal("shell: sometimes\n"));
  absl::Status added = AddSimPlatformDir(dir);
  EXPECT_THAT(added.message(), HasSubstr("/b.yaml:7: shell: must be true or false"));
  EXPECT_EQ(FindSimPlatform("good"), nullptr);
  EXPECT_THAT(AddSimPlatformDir(dir + "/none").message(), HasSubstr("platforms directory"));
}

}  // namespace
}  // namespace netshard::devsim
