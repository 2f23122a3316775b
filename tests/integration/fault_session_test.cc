// RunJob against devsim devices that misbehave the ways real ones do, each
// fault chosen per device from a fleet config: every failure ends as the
// typed error DESIGN.md contract 5 names, in bounded time, and the faults
// that a careful client survives (keyboard-interactive only, old crypto,
// huge output, a bastion in front) are survived.
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/device_error.h"
#include "common/session/job_runner.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/devsim/devsim_server.h"
#include "tests/testing/subprocess.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;

// Fleet positions (1-based) and what is wrong with each.
constexpr char kFleet[] = R"(
devices:
- index: 1
  password: not-what-the-inventory-says
- index: 2
  auth: [keyboard-interactive]
- index: 3
  secret: another-secret
- index: 4
  faults: [hang_after_login]
- index: 5
  faults: [drop_mid_command]
- index: 6
  banner_delay_ms: 5000
- index: 7
  command_delay_ms: 3000
- index: 8
  tech_support_bytes: 20000000
- index: 9
  faults: [changing_host_key]
- index: 10
  faults: [refuse]
- index: 11
  kex: diffie-hellman-group14-sha1
  hostkeys: ssh-rsa
  ciphers: aes128-cbc
- index: 12
  faults: [jump_host]
  password: bastion-pass
)";

enum Device {
  kWrongPassword, kInteractiveOnly, kOtherSecret, kHangAfterLogin, kDropMidCommand,
  kSlowBanner, kSlowCommand, kHugeOutput, kChangingKey, kRefusing, kLegacyCrypto, kBastion,
  kPlain, kCount
};

class FaultSessionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    devsim::FleetOptions fleet;
    fleet.count = kCount;
    auto config = devsim::ParseFleetConfig(kFleet, "fleet");
    ASSERT_TRUE(config.ok()) << config.status();
    fleet.config = *config;
    auto server = devsim::DevsimServer::Start(fleet);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
  }
  static void TearDownTestSuite() { delete server_; }

  void SetUp() override {
    dir_ = testing::MakeTempDir();
    spec_.set_known_hosts_file(dir_ + "/known_hosts");
    spec_.set_step_timeout_ms(1000);
    spec_.add_commands("show version");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static v1::Job Job(Device device) {
    v1::Job job;
    job.set_host(server_->devices()[device].address);
    job.set_port(server_->port());
    job.set_platform("cisco_ios");
    job.set_username("cisco");
    job.set_password("cisco");
    job.set_secret("cisco");
    return job;
  }

  // Runs and checks the error code and stage; returns the result.
  v1::DeviceResult Expect(const v1::Job& job, v1::ErrorCode code, v1::Stage stage) {
    absl::Time start = absl::Now();
    v1::DeviceResult result = RunJob(spec_, job);
    EXPECT_EQ(result.error().code(), code) << result.error().message();
    EXPECT_EQ(result.error().stage(), stage) << result.error().message();
    EXPECT_LT(absl::Now() - start, absl::Seconds(10));
    return result;
  }

  static devsim::DevsimServer* server_;
  std::string dir_;
  v1::RunSpec spec_;
};

devsim::DevsimServer* FaultSessionTest::server_ = nullptr;

TEST_F(FaultSessionTest, WrongCredentialsAreAuthFailedWithoutThePassword) {
  v1::Job job = Job(kWrongPassword);
  job.set_password("pa55word-in-inventory");
  v1::DeviceResult result = Expect(job, v1::AUTH_FAILED, v1::STAGE_AUTH);
  EXPECT_THAT(result.error().message(), ::testing::Not(HasSubstr("pa55word")));
}

TEST_F(FaultSessionTest, KeyboardInteractiveOnlyDeviceLogsIn) {
  v1::DeviceResult result = RunJob(spec_, Job(kInteractiveOnly));
  EXPECT_FALSE(result.has_error()) << result.error().message();
}

TEST_F(FaultSessionTest, WrongSecretIsEnableFailed) {
  Expect(Job(kOtherSecret), v1::ENABLE_FAILED, v1::STAGE_ENABLE);
}

TEST_F(FaultSessionTest, HangAfterLoginIsPromptNotFound) {
  Expect(Job(kHangAfterLogin), v1::PROMPT_NOT_FOUND, v1::STAGE_PROMPT);
}

// It said "within -1.52705ms" with --timeout 2: the time left, not the
// timeout.
TEST_F(FaultSessionTest, PromptNotFoundNamesTheConfiguredTimeout) {
  spec_.set_step_timeout_ms(2000);
  absl::Time start = absl::Now();
  v1::DeviceResult result = Expect(Job(kHangAfterLogin), v1::PROMPT_NOT_FOUND, v1::STAGE_PROMPT);
  EXPECT_GE(absl::Now() - start, absl::Seconds(2));  // the whole banner timeout
  EXPECT_THAT(result.error().message(), HasSubstr("no expected prompt within 2s"));
  EXPECT_THAT(result.error().message(), ::testing::Not(HasSubstr("-")));
}

TEST_F(FaultSessionTest, DropMidCommandIsChannelClosed) {
  Expect(Job(kDropMidCommand), v1::CHANNEL_CLOSED, v1::STAGE_COMMAND);
}

TEST_F(FaultSessionTest, SlowBannerIsConnectTimeoutUnlessTheRunWaitsLonger) {
  spec_.mutable_timeouts()->set_connect_ms(500);
  Expect(Job(kSlowBanner), v1::CONNECT_TIMEOUT, v1::STAGE_CONNECT);
  v1::Job patient = Job(kSlowBanner);
  patient.mutable_timeouts()->set_connect_ms(8000);  // the device's own setting wins
  v1::DeviceResult result = RunJob(spec_, patient);
  EXPECT_FALSE(result.has_error()) << result.error().message();
}

TEST_F(FaultSessionTest, SlowCommandIsCommandTimeoutAndDeviceTimeoutBoundsAll) {
  Expect(Job(kSlowCommand), v1::COMMAND_TIMEOUT, v1::STAGE_COMMAND);
  spec_.mutable_timeouts()->set_command_ms(10000);
  spec_.mutable_timeouts()->set_device_ms(1500);
  v1::DeviceResult result = Expect(Job(kSlowCommand), v1::COMMAND_TIMEOUT, v1::STAGE_COMMAND);
  EXPECT_THAT(result.error().message(), HasSubstr("device timeout"));
  spec_.mutable_timeouts()->set_device_ms(0);
  result = RunJob(spec_, Job(kSlowCommand));
  EXPECT_FALSE(result.has_error()) << result.error().message();
}

TEST_F(FaultSessionTest, TwentyMegabyteOutputComesBackWhole) {
  spec_.clear_commands();
  spec_.add_commands("show tech-support");
  spec_.set_step_timeout_ms(30000);
  v1::DeviceResult result = RunJob(spec_, Job(kHugeOutput));
  ASSERT_FALSE(result.has_error()) << result.error().message();
  const std::string& out = result.outputs(0).output();
  // 20,000,000 bytes of 80-byte "\r\n" lines, cleaned to "\n" endings.
  EXPECT_EQ(out.size(), 20000000u - 250000u - 1u);
  std::vector<absl::string_view> lines = absl::StrSplit(out, '\n');
  EXPECT_EQ(lines.size(), 250000u);
  EXPECT_THAT(std::string(lines.back()), ::testing::StartsWith("00250000 tech-support line"));
}

TEST_F(FaultSessionTest, ChangingHostKeyIsMismatchOnTheSecondVisit) {
  EXPECT_FALSE(RunJob(spec_, Job(kChangingKey)).has_error());  // remembered
  v1::DeviceResult result = Expect(Job(kChangingKey), v1::HOST_KEY_MISMATCH, v1::STAGE_CONNECT);
  EXPECT_TRUE(result.outputs().empty());  // went no further
}

TEST_F(FaultSessionTest, RefusingDeviceIsConnectRefused) {
  Expect(Job(kRefusing), v1::CONNECT_REFUSED, v1::STAGE_CONNECT);
}

TEST_F(FaultSessionTest, UnreachableDevicesAreRetriedWithBackoffButLoginsNeverAre) {
  spec_.set_connect_retries(2);
  spec_.set_retry_backoff_ms(300);
  absl::Time start = absl::Now();
  v1::DeviceResult result = Expect(Job(kRefusing), v1::CONNECT_REFUSED, v1::STAGE_CONNECT);
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(900));  // waited 300 ms, then 600 ms
  EXPECT_THAT(result.error().message(), HasSubstr("(3 attempts)"));

  start = absl::Now();
  v1::Job job = Job(kWrongPassword);
  result = Expect(job, v1::AUTH_FAILED, v1::STAGE_AUTH);
  EXPECT_LT(absl::Now() - start, absl::Milliseconds(300));  // no second try
  EXPECT_THAT(result.error().message(), ::testing::Not(HasSubstr("attempts")));
}

TEST_F(FaultSessionTest, LegacyCryptoNeedsItsAlgorithmsNamed) {
  v1::DeviceResult result = Expect(Job(kLegacyCrypto), v1::CONNECT_FAILED, v1::STAGE_CONNECT);
  v1::Job old_box = Job(kLegacyCrypto);
  old_box.mutable_algorithms()->set_key_exchange("diffie-hellman-group14-sha1");
  old_box.mutable_algorithms()->set_host_keys("ssh-rsa");
  old_box.mutable_algorithms()->set_ciphers("aes128-cbc,aes256-ctr");
  result = RunJob(spec_, old_box);
  EXPECT_FALSE(result.has_error()) << result.error().message();
  old_box.mutable_algorithms()->set_ciphers("rot13-cbc");
  result = Expect(old_box, v1::CONNECT_FAILED, v1::STAGE_CONNECT);
  EXPECT_THAT(result.error().message(), HasSubstr("ciphers 'rot13-cbc'"));
}

TEST_F(FaultSessionTest, JumpHostCarriesTheSessionWithItsOwnCredentials) {
  v1::Job job = Job(kPlain);
  v1::JumpHost* jump = job.mutable_jump_host();
  jump->set_host(server_->devices()[kBastion].address);
  jump->set_port(server_->port());
  jump->set_username("cisco");
  jump->set_password("bastion-pass");
  v1::DeviceResult result = RunJob(spec_, job);
  ASSERT_FALSE(result.has_error()) << result.error().message();
  EXPECT_THAT(result.outputs(0).output(), HasSubstr("sim13 uptime"));

  jump->set_password("wrong");
  result = Expect(job, v1::AUTH_FAILED, v1::STAGE_AUTH);
  EXPECT_THAT(result.error().message(), HasSubstr("jump host "));

  // A device that is no bastion refuses to forward.
  jump->set_host(server_->devices()[kPlain].address);
  jump->set_password("cisco");
  result = Expect(job, v1::CONNECT_FAILED, v1::STAGE_CONNECT);
  EXPECT_THAT(result.error().message(), HasSubstr("cannot reach"));
}

// The bastion reaches the device, which resets the connection at once (no
// free VTY line): the tunnel ends, and so must the job, long before the
// device's SSH banner would have been given up on.
TEST_F(FaultSessionTest, JumpHostTunnelResetByTheDeviceFailsAtOnce) {
  constexpr absl::Duration kTimeout = absl::Seconds(6);
  spec_.set_step_timeout_ms(absl::ToInt64Milliseconds(kTimeout));
  v1::Job job = Job(kRefusing);
  v1::JumpHost* jump = job.mutable_jump_host();
  jump->set_host(server_->devices()[kBastion].address);
  jump->set_port(server_->port());
  jump->set_username("cisco");
  jump->set_password("bastion-pass");
  absl::Time start = absl::Now();
  v1::DeviceResult result = RunJob(spec_, job);
  absl::Duration took = absl::Now() - start;
  EXPECT_EQ(result.error().stage(), v1::STAGE_CONNECT) << result.error().message();
  EXPECT_THAT(result.error().code(), ::testing::AnyOf(v1::CONNECT_FAILED, v1::CONNECT_REFUSED))
      << result.error().message();
  EXPECT_LT(took, kTimeout / 2) << result.error().message();
}

TEST_F(FaultSessionTest, UnknownPlatformIsInternal) {
  v1::Job job = Job(kPlain);
  job.set_platform("vax_vms");
  Expect(job, v1::INTERNAL, v1::STAGE_DISPATCH);
}

}  // namespace
}  // namespace netshard
