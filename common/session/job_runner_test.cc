// RunJob's rules — config mode, commit, abandon, keep-going, save, retries,
// cancellation, output kept across a failure — against a scripted session,
// so each rule is checked without a device (the devsim tests check the same
// runner against real SSH).
#include "common/session/job_runner.h"

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/device_error.h"
#include "common/platform/platform_set.h"
#include "common/session/session.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// What the scripted device does with one line: answers `output`, refuses it
// with `rejection`, or fails the session with `failure` after `output`.
struct Answer {
  std::string output;
  std::optional<std::string> rejection;
  absl::Status failure;
};

Answer Says(std::string output) { return {std::move(output), std::nullopt, absl::OkStatus()}; }
Answer Refuses(std::string complaint) { return {"", std::move(complaint), absl::OkStatus()}; }
Answer FailsAfter(std::string output, absl::Status failure) {
  return {std::move(output), std::nullopt, std::move(failure)};
}

// The device's side of every session opened: what it answers, what was
// typed, and how many opens fail before one succeeds.
struct Script {
  std::map<std::string, Answer> answers;  // unlisted lines: output "ok <line>"
  std::deque<absl::Status> open_failures;
  std::vector<std::string> typed;
  std::vector<v1::Stage> stages;
  int opens = 0;
};

class ScriptedSession : public Session {
 public:
  ScriptedSession(Script* script, const Platform* platform)
      : script_(script), platform_(platform) {}
  const Platform& platform() const override { return *platform_; }

 protected:
  absl::StatusOr<CommandReply> RunCommand(const std::string& command, const RE2*,
                                          v1::Stage stage, const OutputSink* sink,
                                          const std::vector<PlatformAnswer>*) override {
    script_->typed.push_back(command);
    script_->stages.push_back(stage);
    auto it = script_->answers.find(command);
    Answer answer = it != script_->answers.end() ? it->second : Says("ok " + command);
    CommandReply reply;
    if (sink != nullptr) {
      (*sink)(answer.output);
    } else {
      reply.output = answer.output;
    }
    if (!answer.failure.ok()) return answer.failure;
    reply.rejection = answer.rejection;
    return reply;
  }

 private:
  Script* const script_;
  const Platform* const platform_;
};

SessionOpener Opener(Script* script) {
  return [script](const SessionOptions& options) -> absl::StatusOr<std::unique_ptr<Session>> {
    ++script->opens;
    if (!script->open_failures.empty()) {
      absl::Status failure = script->open_failures.front();
      script->open_failures.pop_front();
      return failure;
    }
    return std::make_unique<ScriptedSession>(script, options.platform);
  };
}

v1::Job Job(const std::string& platform) {
  v1::Job job;
  job.set_job_id(7);
  job.set_name("r1");
  job.set_host("127.0.0.1");
  job.set_platform(platform);
  return job;
}

v1::RunSpec Show(std::vector<std::string> commands) {
  v1::RunSpec spec;
  for (const std::string& command : commands) spec.add_commands(command);
  return spec;
}

v1::RunSpec Config(std::vector<std::string> lines) {
  v1::RunSpec spec;
  for (const std::string& line : lines) spec.add_config_lines(line);
  return spec;
}

std::vector<std::string> Commands(const v1::DeviceResult& result) {
  std::vector<std::string> commands;
  for (const v1::CommandOutput& output : result.outputs()) commands.push_back(output.command());
  return commands;
}

absl::Status Refused() {
  return DeviceFailure(v1::CONNECT_REFUSED, v1::STAGE_CONNECT, "connection refused");
}

TEST(JobRunnerTest, ShowCommandsRunInOrderAndKeepTheirOutputs) {
  Script script;
  v1::DeviceResult result =
      RunJobWith(Opener(&script), Show({"sh clock", "sh ver"}), Job("cisco_ios"));
  EXPECT_FALSE(result.has_error());
  EXPECT_EQ(result.job_id(), 7u);
  EXPECT_EQ(result.platform(), "cisco_ios");
  EXPECT_GE(result.login_ms(), 1);
  ASSERT_EQ(result.outputs_size(), 2);
  EXPECT_EQ(result.outputs(0).output(), "ok sh clock");
  EXPECT_EQ(result.outputs(1).output(), "ok sh ver");
  EXPECT_THAT(script.typed, ElementsAre("sh clock", "sh ver"));
}

TEST(JobRunnerTest, ARefusedCommandStopsTheDevice) {
  Script script;
  script.answers["sh bogus"] = Refuses("% Invalid input detected");
  v1::DeviceResult result =
      RunJobWith(Opener(&script), Show({"sh clock", "sh bogus", "sh ver"}), Job("cisco_ios"));
  ASSERT_TRUE(result.has_error());
  EXPECT_EQ(result.error().code(), v1::COMMAND_REJECTED);
  EXPECT_EQ(result.error().stage(), v1::STAGE_COMMAND);
  EXPECT_THAT(result.error().message(), HasSubstr("'sh bogus': % Invalid input detected"));
  EXPECT_THAT(Commands(result), ElementsAre("sh clock", "sh bogus"));
  EXPECT_TRUE(result.outputs(1).rejected());
  EXPECT_THAT(script.typed, ElementsAre("sh clock", "sh bogus"));
}

TEST(JobRunnerTest, KeepGoingRunsEveryCommandAndReportsTheFirstRefusal) {
  Script script;
  script.answers["sh a"] = Refuses("bad a");
  script.answers["sh b"] = Refuses("bad b");
  v1::RunSpec spec = Show({"sh a", "sh b", "sh c"});
  spec.set_keep_going(true);
  v1::DeviceResult result = RunJobWith(Opener(&script), spec, Job("cisco_ios"));
  ASSERT_TRUE(result.has_error());
  EXPECT_EQ(result.error().code(), v1::COMMAND_REJECTED);
  EXPECT_THAT(result.error().message(), HasSubstr("'sh a': bad a"));
  EXPECT_THAT(Commands(result), ElementsAre("sh a", "sh b", "sh c"));
  EXPECT_EQ(result.outputs(2).output(), "ok sh c");
}

TEST(JobRunnerTest, ConfigEntersSendsLeavesSavesThenChecks) {
  Script script;
  v1::RunSpec spec = Config({"interface lo1", "description x"});
  spec.set_save(true);
  spec.add_commands("sh run int lo1");
  v1::DeviceResult result = RunJobWith(Opener(&script), spec, Job("cisco_ios"));
  EXPECT_FALSE(result.has_error()) << result.error().message();
  EXPECT_THAT(script.typed, ElementsAre("configure terminal", "interface lo1", "description x",
                                        "end", "write memory", "sh run int lo1"));
  // Entering and leaving config mode are no outputs of the user's.
  EXPECT_THAT(Commands(result),
              ElementsAre("interface lo1", "description x", "write memory", "sh run int lo1"));
  EXPECT_EQ(script.stages.front(), v1::STAGE_CONFIG);
  EXPECT_EQ(script.stages.back(), v1::STAGE_COMMAND);
}

TEST(JobRunnerTest, StagedPlatformsCommitBeforeLeaving) {
  Script script;
  v1::DeviceResult result =
      RunJobWith(Opener(&script), Config({"hostname xr2"}), Job("cisco_xr"));
  EXPECT_FALSE(result.has_error()) << result.error().message();
  EXPECT_THAT(script.typed, ElementsAre("configure terminal", "hostname xr2", "commit", "end"));
}

TEST(JobRunnerTest, ARefusedConfigLineAbandonsTheChangeAndSavesNothing) {
  Script script;
  script.answers["bogus line"] = Refuses("% Invalid input");
  v1::RunSpec spec = Config({"hostname xr2", "bogus line", "never sent"});
  spec.set_save(true);
  spec.add_commands("sh run");
  v1::DeviceResult result = RunJobWith(Opener(&script), spec, Job("cisco_xr"));
  ASSERT_TRUE(result.has_error());
  EXPECT_EQ(result.error().code(), v1::COMMAND_REJECTED);
  EXPECT_EQ(result.error().stage(), v1::STAGE_CONFIG);
  EXPECT_THAT(script.typed,
              ElementsAre("configure terminal", "hostname xr2", "bogus line", "abort"));
}

TEST(JobRunnerTest, ARefusedCommitAbandonsTheChange) {
  Script script;
  script.answers["commit"] = Refuses("% Failed to commit one or more configuration items");
  v1::DeviceResult result =
      RunJobWith(Opener(&script), Config({"hostname xr2"}), Job("cisco_xr"));
  ASSERT_TRUE(result.has_error());
  EXPECT_THAT(result.error().message(), HasSubstr("Failed to commit"));
  EXPECT_THAT(script.typed, ElementsAre("configure terminal", "hostname xr2", "commit", "abort"));
}

TEST(JobRunnerTest, KeepGoingInConfigSendsTheRestAndCommits) {
  Script script;
  script.answers["bogus line"] = Refuses("% Invalid input");
  v1::RunSpec spec = Config({"bogus line", "hostname xr2"});
  spec.set_keep_going(true);
  v1::DeviceResult result = RunJobWith(Opener(&script), spec, Job("cisco_xr"));
  ASSERT_TRUE(result.has_error());
  EXPECT_EQ(result.error().code(), v1::COMMAND_REJECTED);
  EXPECT_THAT(script.typed,
              ElementsAre("configure terminal", "bogus line", "hostname xr2", "commit", "end"));
}

TEST(JobRunnerTest, APlatformWithoutConfigModeIsRefusedBeforeAnythingIsTyped) {
  Script script;
  v1::DeviceResult result = RunJobWith(Opener(&script), Config({"x"}), Job("linux"));
  ASSERT_TRUE(result.has_error());
  EXPECT_EQ(result.error().code(), v1::COMMAND_REJECTED);
  EXPECT_THAT(result.error().message(), HasSubstr("has no configuration mode"));
  EXPECT_THAT(script.typed, IsEmpty());
}

TEST(JobRunnerTest, AFailureKeepsTheOutputsBeforeItAndTheFailingOnesSoFar) {
  Script script;
  script.answers["sh tech"] =
      FailsAfter("partial", DeviceFailure(v1::COMMAND_TIMEOUT, v1::STAGE_COMMAND, "slow"));
  v1::DeviceResult result =
      RunJobWith(Opener(&script), Show({"sh clock", "sh tech", "sh ver"}), Job("cisco_ios"));
  ASSERT_TRUE(result.has_error());
  EXPECT_EQ(result.error().code(), v1::COMMAND_TIMEOUT);
  EXPECT_THAT(Commands(result), ElementsAre("sh clock", "sh tech"));
  EXPECT_EQ(result.outputs(1).output(), "partial");
}

TEST(JobRunnerTest, AnUnreachableDeviceIsRetriedWithItsOutputsStartedAfresh) {
  Script script;
  script.open_failures = {Refused(), Refused()};
  v1::RunSpec spec = Show({"sh clock"});
  spec.set_connect_retries(2);
  spec.set_retry_backoff_ms(1);
  v1::DeviceResult result = RunJobWith(Opener(&script), spec, Job("cisco_ios"));
  EXPECT_FALSE(result.has_error()) << result.error().message();
  EXPECT_EQ(script.opens, 3);
  EXPECT_THAT(Commands(result), ElementsAre("sh clock"));
}

TEST(JobRunnerTest, RetriesRunOutAndSayHowManyAttemptsWereMade) {
  Script script;
  script.open_failures = {Refused(), Refused(), Refused()};
  v1::RunSpec spec = Show({"sh clock"});
  spec.set_connect_retries(1);
  spec.set_retry_backoff_ms(1);
  v1::DeviceResult result = RunJobWith(Opener(&script), spec, Job("cisco_ios"));
  ASSERT_TRUE(result.has_error());
  EXPECT_EQ(result.error().code(), v1::CONNECT_REFUSED);
  EXPECT_THAT(result.error().message(), HasSubstr("(2 attempts)"));
  EXPECT_EQ(script.opens, 2);
}

TEST(JobRunnerTest, AuthenticationFailuresAreNeverRetried) {
  Script script;
  script.open_failures = {DeviceFailure(v1::AUTH_FAILED, v1::STAGE_AUTH, "denied")};
  v1::RunSpec spec = Show({"sh clock"});
  spec.set_connect_retries(3);
  spec.set_retry_backoff_ms(1);
  v1::DeviceResult result = RunJobWith(Opener(&script), spec, Job("cisco_ios"));
  EXPECT_EQ(result.error().code(), v1::AUTH_FAILED);
  EXPECT_EQ(script.opens, 1);
}

TEST(JobRunnerTest, ACancelDuringTheBackoffEndsTheDeviceCancelled) {
  Script script;
  script.open_failures = {Refused()};
  v1::RunSpec spec = Show({"sh clock"});
  spec.set_connect_retries(1);
  spec.set_retry_backoff_ms(600000);  // far longer than the test may take
  CancelToken cancel;
  SessionOpener refused_then_cancelled = [&](const SessionOptions& options) {
    absl::StatusOr<std::unique_ptr<Session>> session = Opener(&script)(options);
    cancel.Cancel();  // the user's Ctrl-C, while the runner waits to retry
    return session;
  };
  v1::DeviceResult result =
      RunJobWith(refused_then_cancelled, spec, Job("cisco_ios"), nullptr, &cancel);
  EXPECT_EQ(result.error().code(), v1::CANCELLED);
  EXPECT_EQ(script.opens, 1);
}

TEST(JobRunnerTest, AnUnknownPlatformIsAnInternalErrorWithoutASession) {
  Script script;
  v1::DeviceResult result = RunJobWith(Opener(&script), Show({"x"}), Job("no_such_platform"));
  EXPECT_EQ(result.error().code(), v1::INTERNAL);
  EXPECT_THAT(result.error().message(), HasSubstr("no_such_platform"));
  EXPECT_EQ(script.opens, 0);
}

TEST(JobRunnerTest, LargeOutputSpillsInPiecesWhileTheDeviceSendsIt) {
  Script script;
  std::string big(kSpillBytes + 10, 'x');
  script.answers["sh tech"] = Says(big);
  std::string spilled;
  int spills = 0;
  OutputSpill spill = [&](int index, std::string data) {
    EXPECT_EQ(index, 0);
    ++spills;
    spilled += data;
  };
  v1::DeviceResult result = RunJobWith(Opener(&script), Show({"sh tech"}), Job("cisco_ios"), spill);
  EXPECT_FALSE(result.has_error());
  EXPECT_EQ(spills, 1);
  EXPECT_EQ(spilled + result.outputs(0).output(), big);
}

}  // namespace
}  // namespace netshard
