// The session learns each device's own prompt (as Netmiko's find_prompt
// does) instead of trusting the platform's pattern to describe every
// hostname: devices that break the pattern, refuse the paging command or
// print prompt-like lines inside their output still work. Each odd device
// is a devsim platform file written here from a real platform's file.
#include <filesystem>
#include <fstream>

#include "absl/base/config.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/file_text.h"
#include "common/session/job_runner.h"
#include "common/platform/platform_set.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/devsim/devsim_server.h"
#include "tests/devsim/sim_platform.h"
#include "tests/integration/devsim_job.h"
#include "tests/testing/subprocess.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;

// ~1.4 MB: read boundaries fall after many of its prompt-like lines. Under
// a sanitizer a fifth of it, so a slowed server's pauses stay rare.
#if defined(ABSL_HAVE_ADDRESS_SANITIZER) || defined(ABSL_HAVE_THREAD_SANITIZER)
constexpr int kPromptLinePairs = 20000;
#else
constexpr int kPromptLinePairs = 100000;
#endif

std::string SimFile(const std::string& name) {
  std::optional<std::string> text =
      ReadFileText(absl::StrCat(testing::SourceDir(), "/tests/devsim/platforms/", name, ".yaml"));
  EXPECT_TRUE(text.has_value()) << name;
  return text.value_or("");
}

// `base`'s devsim file under another name, with `edits` applied.
std::string Variant(const std::string& base, const std::string& name,
                    std::vector<std::pair<std::string, std::string>> edits) {
  edits.push_back({"name: " + base, "name: " + name});
  std::string text = SimFile(base);
  for (const auto& [from, to] : edits) {
    EXPECT_NE(text.find(from), std::string::npos) << base << ": " << from;
    text = absl::StrReplaceAll(text, {{from, to}});
  }
  return text;
}

// Devsim platform -> the netshard platform that drives it.
const std::vector<std::pair<std::string, std::string>>& Devices() {
  static const auto* devices = new std::vector<std::pair<std::string, std::string>>{
      {"ios_odd_hostname", "cisco_ios"},
      {"ios_hash_question", "cisco_ios"},
      {"junos_no_user", "juniper_junos"},
      {"ios_no_paging_command", "cisco_ios"},
      {"ios_prompt_lines", "cisco_ios"},
      {"cisco_ios", "cisco_ios"},
  };
  return *devices;
}

class PromptLearningTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / "odd_platforms";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    auto write = [&](const std::string& name, const std::string& text) {
      std::ofstream(dir / (name + ".yaml")) << text;
    };
    // A hostname the IOS pattern does not allow ('!').
    write("ios_odd_hostname",
          Variant("cisco_ios", "ios_odd_hostname",
                  {{"user: \"{host}>\"", "user: \"lab!{host}.core>\""},
                   {"privileged: \"{host}#\"", "privileged: \"lab!{host}.core#\""},
                   {"config: \"{host}(config)#\"", "config: \"lab!{host}.core(config)#\""},
                   {"config_sub: \"{host}({sub})#\"", "config_sub: \"lab!{host}.core({sub})#\""}}));
    // Before the prompt, a question whose line ends in '#' like a prompt.
    write("ios_hash_question",
          Variant("cisco_ios", "ios_hash_question",
                  {{"prompts:", "login_questions:\n  - text: \"### Authorized access only. Press any key #\"\nprompts:"}}));
    // A Junos box answering `host>` instead of `user@host>`.
    write("junos_no_user",
          Variant("juniper_junos", "junos_no_user", {{"{user}@{host}", "{host}"}}));
    // Knows no paging command: refuses it and pages.
    write("ios_no_paging_command",
          Variant("cisco_ios", "ios_no_paging_command",
                  {{"accepts: [\"terminal length <n>\", \"terminal width <n>\"]",
                    "accepts: [\"terminal width <n>\"]"},
                   {"paging: [\"terminal length <n>\"]\n", ""}}));
    // A command whose output is full of lines that look like the prompt.
    std::string lines;
    for (int i = 0; i < kPromptLinePairs; ++i) lines += "{host}#\\n{host}>\\n";
    write("ios_prompt_lines",
          Variant("cisco_ios", "ios_prompt_lines",
                  {{"commands:\n", absl::StrCat("commands:\n  \"show banner motd\": \"", lines,
                                                "end of banner\\n\"\n")}}));
    absl::Status added = devsim::AddSimPlatformDir(dir.string());
    ASSERT_TRUE(added.ok()) << added;

    std::string config = "devices:\n";
    for (size_t i = 0; i < Devices().size(); ++i) {
      absl::StrAppend(&config, "- index: ", i + 1, "\n  platform: ", Devices()[i].first, "\n");
    }
    auto parsed = devsim::ParseFleetConfig(config, "test");
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    devsim::FleetOptions fleet;
    fleet.count = static_cast<int>(Devices().size());
    fleet.config = *parsed;
    auto server = devsim::DevsimServer::Start(fleet);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
  }
  static void TearDownTestSuite() { delete server_; }

  static std::string Host(const std::string& device) {
    size_t index = 0;
    while (Devices()[index].first != device) ++index;
    return server_->devices()[index].hostname;
  }

  static v1::DeviceResult Run(const std::string& device, const std::vector<std::string>& commands,
                              const std::vector<std::string>& config = {}) {
    size_t index = 0;
    while (Devices()[index].first != device) ++index;
    v1::Job job = DevsimJob(*server_, index, Devices()[index].second);
    v1::RunSpec spec = DevsimSpec();
    for (const std::string& command : commands) spec.add_commands(command);
    for (const std::string& line : config) spec.add_config_lines(line);
    return RunJob(spec, job);
  }

  static devsim::DevsimServer* server_;
};

devsim::DevsimServer* PromptLearningTest::server_ = nullptr;

TEST_F(PromptLearningTest, AHostnameThePatternDoesNotAllowIsLearned) {
  v1::DeviceResult result = Run("ios_odd_hostname", {"show version"},
                                {"interface Loopback7", "description odd"});
  ASSERT_FALSE(result.has_error()) << result.error().message();
  EXPECT_THAT(result.outputs(result.outputs_size() - 1).output(), HasSubstr("Cisco IOS Software"));
  EXPECT_THAT(result.outputs(result.outputs_size() - 1).output(), ::testing::Not(HasSubstr("core#")));
}

TEST_F(PromptLearningTest, ALineEndingInHashBeforeThePromptIsNotThePrompt) {
  v1::DeviceResult result = Run("ios_hash_question", {"show version", "show clock"});
  ASSERT_FALSE(result.has_error()) << result.error().message();
  EXPECT_THAT(result.outputs(0).output(), HasSubstr("Cisco IOS Software"));
  EXPECT_THAT(result.outputs(1).output(), HasSubstr(" UTC "));
}

TEST_F(PromptLearningTest, AJunosPromptWithoutUserIsLearned) {
  v1::DeviceResult result = Run("junos_no_user", {"show version"},
                                {"set system host-name by-netshard"});
  ASSERT_FALSE(result.has_error()) << result.error().message();
  EXPECT_THAT(result.outputs(result.outputs_size() - 1).output(), HasSubstr("Junos: "));
}

TEST_F(PromptLearningTest, ARefusedPagingCommandIsNoFailure) {
  v1::DeviceResult paged = Run("ios_no_paging_command", {"show running-config"});
  ASSERT_FALSE(paged.has_error()) << paged.error().message();
  v1::DeviceResult plain = Run("cisco_ios", {"show running-config"});
  ASSERT_FALSE(plain.has_error()) << plain.error().message();
  // Every page and nothing of the pager: the same text, but for the hostname.
  EXPECT_EQ(absl::StrReplaceAll(paged.outputs(0).output(),
                                {{Host("ios_no_paging_command"), Host("cisco_ios")}}),
            plain.outputs(0).output());
}

TEST_F(PromptLearningTest, PromptLikeLinesInsideTheOutputNeverEndItEarly) {
  v1::DeviceResult result = Run("ios_prompt_lines", {"show banner motd", "show clock"});
  ASSERT_FALSE(result.has_error()) << result.error().message();
  ASSERT_EQ(result.outputs_size(), 2);
  const std::string& banner = result.outputs(0).output();
  EXPECT_EQ(std::count(banner.begin(), banner.end(), '\n'), 2 * kPromptLinePairs);
  EXPECT_TRUE(absl::EndsWith(banner, "\nend of banner")) << banner.substr(banner.size() - 100);
  EXPECT_THAT(result.outputs(1).output(), HasSubstr(" UTC "));
}

}  // namespace
}  // namespace netshard
