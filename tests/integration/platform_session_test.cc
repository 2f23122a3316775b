// RunJob (the engine the agent and the embedded coordinator share) against
// every simulated platform: show commands, a refused command, keep-going,
// configuration mode with commit and save, and a per-command expect.
#include <filesystem>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/device_error.h"
#include "common/session/job_runner.h"
#include "common/platform/platform_set.h"
#include "tests/devsim/sim_platform.h"
#include "tests/integration/devsim_job.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/devsim/devsim_server.h"
#include "tests/testing/subprocess.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;

// What the tests expect of one platform: its devsim file's `checks`.
struct PlatformCase {
  std::string platform;
  std::string long_command;  // more than a page
  std::string show;          // a read-only command
  std::string show_marker;   // in its output
  std::string refusal;       // the device's words for an unknown command
  std::vector<std::string> config;  // empty: no configuration mode
  std::string running;       // shows the configuration
  std::string applied;       // in it after `config`
  std::string saved;         // in the save command's output; "": no save step
};

// Every platform devsim simulates and netshard knows by the same name.
const std::vector<PlatformCase>& Cases() {
  static const auto* cases = [] {
    auto* all = new std::vector<PlatformCase>;
    for (const std::string& name : devsim::SimPlatformNames()) {
      const devsim::SimPlatform& sim = *devsim::FindSimPlatform(name);
      if (FindPlatform(name) == nullptr || sim.checks.show.empty()) continue;
      const devsim::SimPlatform::Checks& c = sim.checks;
      all->push_back({name, c.long_command, c.show, c.show_marker, c.refusal, c.config,
                      sim.config ? sim.config->show : "", c.applied, c.saved});
    }
    return all;
  }();
  return *cases;
}

class PlatformSessionTest : public ::testing::TestWithParam<int> {
 protected:
  // Devices 1..N are one of each platform; N+1..2N the same platforms with
  // a pager that ignores the paging command.
  static void SetUpTestSuite() {
    const int n = static_cast<int>(Cases().size());
    std::string config = absl::StrCat("devices:\n- index: 1-", 2 * n,
                                      "\n  tech_support_bytes: 7000\n- index: ", n + 1, "-",
                                      2 * n, "\n  faults: [pager_ignores_length]\n");
    for (int i = 0; i < n; ++i) {
      for (int copy : {i + 1, n + i + 1}) {
        absl::StrAppend(&config, "- index: ", copy, "\n  platform: ", Cases()[i].platform, "\n");
      }
    }
    devsim::FleetOptions fleet;
    fleet.count = 2 * n;
    auto parsed = devsim::ParseFleetConfig(config, "test");
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    fleet.config = *parsed;
    auto server = devsim::DevsimServer::Start(fleet);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
  }
  static void TearDownTestSuite() { delete server_; }

  const PlatformCase& Case() const { return Cases()[GetParam()]; }

  // The device of this platform; `paging`: the one whose pager stays on.
  v1::Job Job(bool paging = false) const {
    int index = GetParam() + (paging ? static_cast<int>(Cases().size()) : 0);
    return DevsimJob(*server_, index, Case().platform);
  }

  static v1::RunSpec Spec() { return DevsimSpec(); }

  static devsim::DevsimServer* server_;
};

devsim::DevsimServer* PlatformSessionTest::server_ = nullptr;

TEST_P(PlatformSessionTest, ShowCommandsReturnCleanOutput) {
  v1::RunSpec spec = Spec();
  spec.add_commands(Case().show);
  spec.add_commands(Case().show);  // several per session
  v1::DeviceResult result = RunJob(spec, Job());
  ASSERT_FALSE(result.has_error()) << result.error().message();
  ASSERT_EQ(result.outputs_size(), 2);
  std::string host = server_->devices()[GetParam()].hostname;
  for (const auto& out : result.outputs()) {
    EXPECT_THAT(out.output(), HasSubstr(Case().show_marker));
    EXPECT_FALSE(absl::StartsWith(out.output(), Case().show)) << out.output();  // no echo
    for (const std::string& prompt : {host + ">", host + "#", host + "%", "@" + host}) {
      EXPECT_THAT(out.output(), ::testing::Not(HasSubstr(prompt)));  // no prompt
    }
  }
}

TEST_P(PlatformSessionTest, StubbornPagerIsAnsweredAndStripped) {
  v1::RunSpec spec = Spec();
  spec.add_commands(Case().long_command);
  v1::DeviceResult plain = RunJob(spec, Job());
  ASSERT_FALSE(plain.has_error()) << plain.error().message();
  v1::DeviceResult paged = RunJob(spec, Job(/*paging=*/true));
  ASSERT_FALSE(paged.has_error()) << paged.error().message();
  const std::string& text = paged.outputs(0).output();
  EXPECT_EQ(text, plain.outputs(0).output());  // every page, nothing of the pager
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 87);  // 88 lines of 80 bytes
}

TEST_P(PlatformSessionTest, RefusedCommandIsRejectedUnlessKeepGoing) {
  if (Case().refusal.empty()) GTEST_SKIP() << "generic CLIs have no error words";
  v1::RunSpec spec = Spec();
  spec.add_commands("show flux");
  spec.add_commands(Case().show);
  v1::DeviceResult result = RunJob(spec, Job());
  EXPECT_EQ(result.error().code(), v1::COMMAND_REJECTED);
  EXPECT_EQ(result.error().stage(), v1::STAGE_COMMAND);
  EXPECT_THAT(result.error().message(), HasSubstr(Case().refusal));
  ASSERT_EQ(result.outputs_size(), 1);
  EXPECT_TRUE(result.outputs(0).rejected());

  spec.set_keep_going(true);
  result = RunJob(spec, Job());
  EXPECT_EQ(result.error().code(), v1::COMMAND_REJECTED);
  ASSERT_EQ(result.outputs_size(), 2);
  EXPECT_THAT(result.outputs(1).output(), HasSubstr(Case().show_marker));
}

TEST_P(PlatformSessionTest, ConfigLinesAreAppliedCommittedAndSaved) {
  v1::RunSpec spec = Spec();
  spec.set_save(true);
  if (!FindPlatform(Case().platform)->has_config) {
    spec.add_config_lines("hostname x");
    v1::DeviceResult result = RunJob(spec, Job());
    EXPECT_EQ(result.error().code(), v1::COMMAND_REJECTED);
    EXPECT_EQ(result.error().stage(), v1::STAGE_CONFIG);
    EXPECT_THAT(result.error().message(), HasSubstr("has no configuration mode"));
    return;
  }
  if (Case().config.empty()) GTEST_SKIP() << "the simulation checks no configuration";
  for (const std::string& line : Case().config) spec.add_config_lines(line);
  spec.add_commands(Case().running);
  v1::DeviceResult result = RunJob(spec, Job());
  ASSERT_FALSE(result.has_error()) << result.error().message();
  std::vector<std::string> steps;
  for (const auto& out : result.outputs()) steps.push_back(out.command());
  EXPECT_EQ(steps.front(), Case().config.front());
  EXPECT_EQ(steps.back(), Case().running);
  EXPECT_THAT(result.outputs(result.outputs_size() - 1).output(), HasSubstr(Case().applied));
  if (!Case().saved.empty()) {
    EXPECT_THAT(result.outputs(result.outputs_size() - 2).output(), HasSubstr(Case().saved));
  }
}

TEST_P(PlatformSessionTest, RefusedConfigLineStopsAndLeavesConfigMode) {
  if (Case().config.empty()) GTEST_SKIP() << "no configuration mode";
  v1::RunSpec spec = Spec();
  spec.add_config_lines(Case().config.front());
  spec.add_config_lines("frobnicate the network");
  spec.add_config_lines(Case().config.back());
  v1::DeviceResult result = RunJob(spec, Job());
  EXPECT_EQ(result.error().code(), v1::COMMAND_REJECTED);
  EXPECT_EQ(result.error().stage(), v1::STAGE_CONFIG);
  EXPECT_THAT(result.error().message(), HasSubstr("'frobnicate the network'"));
  ASSERT_EQ(result.outputs_size(), 2);
  EXPECT_TRUE(result.outputs(1).rejected());
}

std::string CaseName(const ::testing::TestParamInfo<int>& info) {
  return Cases()[info.param].platform;  // [a-z0-9_]: a valid test name
}

INSTANTIATE_TEST_SUITE_P(AllPlatforms, PlatformSessionTest,
                         ::testing::Range(0, static_cast<int>(Cases().size())), CaseName);

TEST(ExpectTest, ConfirmationPromptNeedsExpectElseTimesOut) {
  devsim::FleetOptions fleet;
  fleet.count = 1;
  auto server = devsim::DevsimServer::Start(fleet);
  ASSERT_TRUE(server.ok()) << server.status();
  v1::Job job;
  job.set_host((*server)->devices()[0].address);
  job.set_port((*server)->port());
  job.set_platform("cisco_ios");
  job.set_username("cisco");
  job.set_password("cisco");
  v1::RunSpec spec;
  spec.set_host_key_policy(v1::HOST_KEY_OFF);
  spec.set_step_timeout_ms(1000);
  spec.add_commands("clear counters");
  v1::DeviceResult result = RunJob(spec, job);
  EXPECT_EQ(result.error().code(), v1::COMMAND_TIMEOUT);

  spec.add_expects(R"(\[confirm\]$)");
  spec.add_commands("");  // Enter confirms
  spec.add_commands("show clock");
  result = RunJob(spec, job);
  ASSERT_FALSE(result.has_error()) << result.error().message();
  ASSERT_EQ(result.outputs_size(), 3);
  EXPECT_THAT(result.outputs(2).output(), HasSubstr(" UTC "));
}

}  // namespace
}  // namespace netshard
