// DeviceSession over real SSH against devsim's libssh server, in-process on
// loopback: the happy path and each typed failure.
#include <unistd.h>

#include <libssh/libssh.h>

#include <filesystem>
#include <thread>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/device_error.h"
#include "common/session/device_session.h"
#include "common/platform/platform_set.h"
#include "common/session/job_runner.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/devsim/devsim_server.h"
#include "tests/testing/loopback.h"
#include "tests/testing/subprocess.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// A known_hosts line holding a freshly made key for `host`:`port`.
std::string ForeignKeyLine(const std::string& host, int port) {
  ssh_key key = nullptr;
  EXPECT_EQ(ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &key), SSH_OK);
  char* base64 = nullptr;
  ssh_pki_export_pubkey_base64(key, &base64);
  std::string line = absl::StrCat("[", host, "]:", port, " ssh-ed25519 ", base64, "\n");
  ssh_string_free_char(base64);
  ssh_key_free(key);
  return line;
}

SessionTimeouts AllTimeouts(absl::Duration timeout) {
  SessionTimeouts timeouts;
  timeouts.connect = timeouts.auth = timeouts.banner = timeouts.command = timeout;
  return timeouts;
}

class DeviceSessionDevsimTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir();
    devsim::FleetOptions fleet;
    fleet.count = 4;
    fleet.secret = "en4ble";
    fleet.password = "pa55";
    auto server = devsim::DevsimServer::Start(fleet);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  SessionOptions Options(int device = 0) {
    SessionOptions options;
    options.device.host = server_->devices()[device].address;
    options.device.port = server_->port();
    options.platform = FindPlatform("cisco_ios");
    options.device.username = "cisco";
    options.device.password = "pa55";
    options.secret = "en4ble";
    options.timeouts = AllTimeouts(absl::Seconds(10));
    options.host_key.known_hosts_file = dir_ + "/known_hosts";
    return options;
  }

  void TearDown() override { std::filesystem::remove_all(dir_); }

  static v1::DeviceError ErrorOf(const absl::Status& status) {
    EXPECT_FALSE(status.ok());
    return ToDeviceError(status);
  }

  std::string dir_;
  std::unique_ptr<devsim::DevsimServer> server_;
};

TEST_F(DeviceSessionDevsimTest, RunsCommandsInPrivilegedMode) {
  auto session = DeviceSession::Open(Options(2));
  ASSERT_TRUE(session.ok()) << session.status();
  absl::StatusOr<CommandReply> clock = (*session)->Run("sh clock");
  ASSERT_TRUE(clock.ok()) << clock.status();
  EXPECT_THAT(clock->output, StartsWith("*"));
  EXPECT_THAT(clock->output, HasSubstr(" UTC "));
  EXPECT_EQ(clock->output.find('\n'), std::string::npos);  // one line, no echo, no prompt
  EXPECT_FALSE(clock->rejection.has_value());
  absl::StatusOr<CommandReply> interfaces = (*session)->Run("show ip interface brief");
  ASSERT_TRUE(interfaces.ok());
  EXPECT_THAT(interfaces->output, StartsWith("Interface "));
  EXPECT_THAT(interfaces->output, HasSubstr(server_->devices()[2].address));
  EXPECT_THAT(interfaces->output, ::testing::Not(HasSubstr("sim3#")));
}

TEST_F(DeviceSessionDevsimTest, AcceptNewRemembersTheKeyAndTrustsItNextTime) {
  ASSERT_TRUE(DeviceSession::Open(Options(1)).ok());
  std::string known = testing::ReadFile(dir_ + "/known_hosts");
  EXPECT_THAT(known, HasSubstr(absl::StrCat("[", server_->devices()[1].address, "]:",
                                            server_->port(), " ssh-ed25519 ")));
  ASSERT_TRUE(DeviceSession::Open(Options(1)).ok());
  EXPECT_EQ(testing::ReadFile(dir_ + "/known_hosts"), known);  // nothing added twice
}

TEST_F(DeviceSessionDevsimTest, ChangedHostKeyIsMismatchAndGoesNoFurther) {
  SessionOptions options = Options(0);
  std::ofstream(options.host_key.known_hosts_file) << ForeignKeyLine(options.device.host, options.device.port);
  for (auto policy : {v1::HOST_KEY_ACCEPT_NEW, v1::HOST_KEY_STRICT}) {
    options.host_key.policy = policy;
    v1::DeviceError error = ErrorOf(DeviceSession::Open(options).status());
    EXPECT_EQ(error.code(), v1::HOST_KEY_MISMATCH);
    EXPECT_EQ(error.stage(), v1::STAGE_CONNECT);
    EXPECT_THAT(error.message(), HasSubstr("man-in-the-middle"));
  }
  options.host_key.policy = v1::HOST_KEY_OFF;  // labs only
  EXPECT_TRUE(DeviceSession::Open(options).ok());
}

TEST_F(DeviceSessionDevsimTest, StrictRefusesAnUnknownKeyAndRemembersNothing) {
  SessionOptions options = Options(3);
  options.host_key.policy = v1::HOST_KEY_STRICT;
  v1::DeviceError error = ErrorOf(DeviceSession::Open(options).status());
  EXPECT_EQ(error.code(), v1::HOST_KEY_UNKNOWN);
  EXPECT_EQ(testing::ReadFile(options.host_key.known_hosts_file), "");
}

TEST_F(DeviceSessionDevsimTest, WrongPasswordIsAuthFailed) {
  SessionOptions options = Options();
  options.device.password = "nope";
  v1::DeviceError error = ErrorOf(DeviceSession::Open(options).status());
  EXPECT_EQ(error.code(), v1::AUTH_FAILED);
  EXPECT_EQ(error.stage(), v1::STAGE_AUTH);
  EXPECT_THAT(error.message(), ::testing::Not(HasSubstr("nope")));
}

// Open file descriptors of this process.
int OpenFds() {
  return static_cast<int>(std::distance(std::filesystem::directory_iterator("/proc/self/fd"),
                                        std::filesystem::directory_iterator()));
}

TEST_F(DeviceSessionDevsimTest, ClosedSessionsLeaveNoSocketOpen) {
  // libssh 0.10 leaves a socket given to it open: an agent running jobs for
  // days would run out of descriptors. Sessions that log in and ones that
  // fail both give theirs back.
  ASSERT_TRUE(DeviceSession::Open(Options()).ok());  // warm-up: one-time state
  int before = OpenFds();
  for (int i = 0; i < 20; ++i) {
    auto session = DeviceSession::Open(Options());
    ASSERT_TRUE(session.ok()) << session.status();
    EXPECT_TRUE((*session)->Run("show clock").ok());
    SessionOptions wrong = Options();
    wrong.device.password = "nope";
    EXPECT_FALSE(DeviceSession::Open(wrong).ok());
  }
  // devsim runs in this process too: its side of a connection may take a
  // moment to close (also the warm-up's, counted in `before` or not).
  for (int i = 0; i < 100 && OpenFds() > before; ++i) absl::SleepFor(absl::Milliseconds(50));
  EXPECT_LE(OpenFds(), before);
}

TEST_F(DeviceSessionDevsimTest, WrongSecretIsEnableFailed) {
  SessionOptions options = Options();
  options.secret = "wrong";
  v1::DeviceError error = ErrorOf(DeviceSession::Open(options).status());
  EXPECT_EQ(error.code(), v1::ENABLE_FAILED);
  EXPECT_EQ(error.stage(), v1::STAGE_ENABLE);
}

TEST_F(DeviceSessionDevsimTest, UnknownCommandIsRejectedWithDeviceMessage) {
  auto session = DeviceSession::Open(Options());
  ASSERT_TRUE(session.ok()) << session.status();
  absl::StatusOr<CommandReply> reply = (*session)->Run("show flux capacitor");
  ASSERT_TRUE(reply.ok()) << reply.status();
  ASSERT_TRUE(reply->rejection.has_value());
  EXPECT_THAT(*reply->rejection, HasSubstr("% Invalid input detected"));
  // The session is still usable after a rejected command.
  EXPECT_TRUE((*session)->Run("show clock").ok());
}

TEST_F(DeviceSessionDevsimTest, HungDeviceIsCommandTimeout) {
  SessionOptions options = Options();
  options.timeouts = AllTimeouts(absl::Milliseconds(500));
  auto session = DeviceSession::Open(options);
  ASSERT_TRUE(session.ok()) << session.status();
  absl::Time start = absl::Now();
  v1::DeviceError error = ErrorOf((*session)->Run("simulate hang").status());
  EXPECT_EQ(error.code(), v1::COMMAND_TIMEOUT);
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
}

// A one-device devsim fleet whose every line takes `latency`, and options
// for a session to it whose every step may take `timeout`.
struct SlowDevice {
  SlowDevice(absl::Duration latency, absl::Duration timeout) {
    devsim::FleetOptions fleet;
    fleet.count = 1;
    fleet.latency = latency;
    auto started = devsim::DevsimServer::Start(fleet);
    EXPECT_TRUE(started.ok()) << started.status();
    if (!started.ok()) return;
    server = *std::move(started);
    options.device.host = server->devices()[0].address;
    options.device.port = server->port();
    options.platform = FindPlatform("cisco_ios");
    options.device.username = "cisco";
    options.device.password = "cisco";
    options.timeouts = AllTimeouts(timeout);
    options.host_key.policy = v1::HOST_KEY_OFF;
  }
  std::unique_ptr<devsim::DevsimServer> server;
  SessionOptions options;
};

TEST(DeviceSessionSlowDeviceTest, NoPromptAfterPagingCommandIsPromptNotFound) {
  SlowDevice slow(absl::Seconds(1), absl::Milliseconds(200));
  ASSERT_NE(slow.server, nullptr);
  absl::Status status = DeviceSession::Open(slow.options).status();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(ToDeviceError(status).code(), v1::PROMPT_NOT_FOUND);
  EXPECT_EQ(ToDeviceError(status).stage(), v1::STAGE_PROMPT);
}

TEST_F(DeviceSessionDevsimTest, PagerThatIgnoresTerminalLengthIsAnsweredAndStripped) {
  devsim::FleetOptions fleet;
  fleet.count = 1;
  fleet.config = *devsim::ParseFleetConfig("devices:\n- index: 1\n  faults: [pager_ignores_length]\n", "test");
  auto paging = devsim::DevsimServer::Start(fleet);
  ASSERT_TRUE(paging.ok()) << paging.status();
  SessionOptions options = Options(0);  // sim1 without a pager
  auto plain = DeviceSession::Open(options);
  ASSERT_TRUE(plain.ok()) << plain.status();
  absl::StatusOr<CommandReply> expected = (*plain)->Run("show running-config");
  ASSERT_TRUE(expected.ok()) << expected.status();

  options.device.port = (*paging)->port();
  options.secret = "cisco";
  options.device.password = "cisco";
  auto paged = DeviceSession::Open(options);
  ASSERT_TRUE(paged.ok()) << paged.status();
  absl::StatusOr<CommandReply> config = (*paged)->Run("show running-config");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->output, expected->output);  // every page, nothing of the pager
  EXPECT_GT(std::count(config->output.begin(), config->output.end(), '\n'), 60);
  EXPECT_TRUE((*paged)->Run("show clock").ok());  // and the session goes on
}

TEST_F(DeviceSessionDevsimTest, DeviceHangingUpIsChannelClosed) {
  auto session = DeviceSession::Open(Options());
  ASSERT_TRUE(session.ok()) << session.status();
  EXPECT_EQ(ErrorOf((*session)->Run("exit").status()).code(), v1::CHANNEL_CLOSED);
}

TEST_F(DeviceSessionDevsimTest, ClosedPortIsConnectRefused) {
  SessionOptions options = Options();
  options.device.host = "127.0.0.1";
  options.device.port = testing::FreeLoopbackPort();
  v1::DeviceError error = ErrorOf(DeviceSession::Open(options).status());
  EXPECT_EQ(error.code(), v1::CONNECT_REFUSED) << error.message();
  EXPECT_EQ(error.stage(), v1::STAGE_CONNECT);
}

TEST_F(DeviceSessionDevsimTest, SilentServerIsConnectTimeout) {
  // Accepts TCP (the kernel does, from the backlog) but never speaks SSH.
  int port = 0;
  int fd = testing::SilentLoopbackListener(&port);
  ASSERT_GE(fd, 0);
  SessionOptions options = Options();
  options.device.host = "127.0.0.1";
  options.device.port = port;
  options.timeouts = AllTimeouts(absl::Milliseconds(500));
  absl::Time start = absl::Now();
  v1::DeviceError error = ErrorOf(DeviceSession::Open(options).status());
  close(fd);
  EXPECT_EQ(error.code(), v1::CONNECT_TIMEOUT) << error.message();
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
}

TEST_F(DeviceSessionDevsimTest, RunJobKeepsOutputsGatheredBeforeAFailure) {
  v1::RunSpec spec;
  spec.add_commands("show clock");
  spec.add_commands("show bogus");
  spec.add_commands("show version");
  v1::Job job;
  job.set_job_id(9);
  job.set_host(server_->devices()[1].address);
  job.set_port(server_->port());
  job.set_platform("cisco_ios");
  job.set_username("cisco");
  job.set_password("pa55");
  job.set_secret("en4ble");
  spec.set_known_hosts_file(dir_ + "/known_hosts");
  v1::DeviceResult result = RunJob(spec, job);
  EXPECT_EQ(result.job_id(), 9u);
  ASSERT_EQ(result.outputs_size(), 2);  // stopped at the rejected command, kept its output
  EXPECT_EQ(result.outputs(0).command(), "show clock");
  EXPECT_FALSE(result.outputs(0).rejected());
  EXPECT_TRUE(result.outputs(1).rejected());
  EXPECT_THAT(result.outputs(1).output(), HasSubstr("% Invalid input"));
  EXPECT_EQ(result.error().code(), v1::COMMAND_REJECTED);
  EXPECT_THAT(result.error().message(), HasSubstr("'show bogus': % Invalid input detected"));

  spec.set_keep_going(true);
  result = RunJob(spec, job);
  ASSERT_EQ(result.outputs_size(), 3);  // went on past it
  EXPECT_THAT(result.outputs(2).output(), HasSubstr("Cisco IOS Software"));
  EXPECT_EQ(result.error().code(), v1::COMMAND_REJECTED);  // and still says so
}

TEST_F(DeviceSessionDevsimTest, ExecRunsEachCommandOnItsOwnConnection) {
  SessionOptions options = Options(3);
  options.exec = true;
  options.secret = "not the secret";  // exec never enables, so never fails enabling
  auto session = DeviceSession::Open(options);
  ASSERT_TRUE(session.ok()) << session.status();
  absl::StatusOr<CommandReply> clock = (*session)->Run("show clock");
  ASSERT_TRUE(clock.ok()) << clock.status();
  EXPECT_THAT(clock->output, StartsWith("*"));
  EXPECT_EQ(clock->output.find('\n'), std::string::npos);  // no echo, no prompt, no newline
  EXPECT_FALSE(clock->rejection.has_value());
  // devsim, like IOS, ends the connection after one exec: the next command
  // logs in again.
  absl::StatusOr<CommandReply> interfaces = (*session)->Run("show ip interface brief");
  ASSERT_TRUE(interfaces.ok()) << interfaces.status();
  EXPECT_THAT(interfaces->output, StartsWith("Interface "));
  EXPECT_THAT(interfaces->output, HasSubstr(server_->devices()[3].address));
  absl::StatusOr<CommandReply> bogus = (*session)->Run("show flux capacitor");
  ASSERT_TRUE(bogus.ok()) << bogus.status();
  ASSERT_TRUE(bogus->rejection.has_value());
  EXPECT_THAT(*bogus->rejection, HasSubstr("% Invalid input detected"));
}

TEST_F(DeviceSessionDevsimTest, ExecStreamsALargeOutputWhole) {
  SessionOptions options = Options();
  options.exec = true;
  auto session = DeviceSession::Open(options);
  ASSERT_TRUE(session.ok()) << session.status();
  std::string streamed;
  OutputSink sink = [&](absl::string_view text) { streamed.append(text.data(), text.size()); };
  absl::StatusOr<CommandReply> reply =
      (*session)->Run("show tech-support", nullptr, v1::STAGE_COMMAND, &sink);
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->output, "");
  EXPECT_GT(streamed.size(), 1000u);
  EXPECT_EQ(streamed.find('\r'), std::string::npos);
  EXPECT_NE(streamed.back(), '\n');
}

TEST(DeviceSessionSlowDeviceTest, ExecSlowerThanItsTimeoutIsCommandTimeout) {
  SlowDevice slow(absl::Seconds(3), absl::Milliseconds(500));
  ASSERT_NE(slow.server, nullptr);
  slow.options.exec = true;
  auto session = DeviceSession::Open(slow.options);
  ASSERT_TRUE(session.ok()) << session.status();
  absl::Time start = absl::Now();
  absl::Status status = (*session)->Run("show clock").status();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(ToDeviceError(status).code(), v1::COMMAND_TIMEOUT) << status;
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
}

// A cancel reaches a device wherever its session is — waiting for the SSH
// banner, or for a slow command — at once, not at its next timeout or poll.
TEST(DeviceSessionCancelTest, CancelEndsAConnectAndACommandAtOnce) {
  devsim::FleetOptions fleet;
  fleet.count = 2;
  fleet.latency = absl::Seconds(20);
  fleet.config = *devsim::ParseFleetConfig(
      "devices:\n- index: 1\n  banner_delay_ms: 20000\n", "test");
  auto server = devsim::DevsimServer::Start(fleet);
  ASSERT_TRUE(server.ok()) << server.status();
  v1::RunSpec spec;
  spec.add_commands("show clock");
  spec.set_host_key_policy(v1::HOST_KEY_OFF);
  spec.set_step_timeout_ms(60000);
  spec.set_transport(v1::TRANSPORT_EXEC);  // one device line: the slow command
  for (int device : {0, 1}) {
    v1::Job job;
    job.set_host((*server)->devices()[device].address);
    job.set_port((*server)->port());
    job.set_platform("cisco_ios");
    job.set_username("cisco");
    job.set_password("cisco");
    CancelToken cancel;
    std::thread canceller([&] {
      absl::SleepFor(absl::Milliseconds(300));
      cancel.Cancel();
    });
    absl::Time start = absl::Now();
    v1::DeviceResult result = RunJob(spec, job, nullptr, &cancel);
    absl::Duration took = absl::Now() - start;
    canceller.join();
    EXPECT_EQ(result.error().code(), v1::CANCELLED) << device << ": " << result.error().message();
    EXPECT_EQ(result.error().stage(), device == 0 ? v1::STAGE_CONNECT : v1::STAGE_COMMAND);
    EXPECT_LT(took, absl::Milliseconds(300) + absl::Seconds(2)) << device;
  }
}

TEST_F(DeviceSessionDevsimTest, ExecRefusesConfiguration) {
  v1::RunSpec spec;
  spec.set_transport(v1::TRANSPORT_EXEC);
  spec.add_config_lines("hostname x");
  v1::Job job;
  job.set_host(server_->devices()[0].address);
  job.set_port(server_->port());
  job.set_platform("cisco_ios");
  job.set_username("cisco");
  job.set_password("pa55");
  spec.set_known_hosts_file(dir_ + "/known_hosts");
  v1::DeviceResult result = RunJob(spec, job);
  EXPECT_EQ(result.error().code(), v1::COMMAND_REJECTED);
  EXPECT_THAT(result.error().message(), HasSubstr("needs the shell transport"));
}

}  // namespace
}  // namespace netshard
