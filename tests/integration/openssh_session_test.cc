// DeviceSession against the real OpenSSH sshd (started here on a loopback
// port), with a small fake-device login command: a server nobody here
// wrote, and a real kernel PTY.
#include <libssh/libssh.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "common/device_error.h"
#include "common/session/device_session.h"
#include "common/platform/platform_set.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/loopback.h"
#include "tests/testing/subprocess.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kSshd[] = "/usr/sbin/sshd";
constexpr char kPassphrase[] = "correct horse";

// Writes a new ed25519 key pair, encrypted when `passphrase` is given;
// returns the public key line.
std::string WriteKey(const std::string& path, const char* passphrase = nullptr) {
  ssh_key key = nullptr;
  EXPECT_EQ(ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &key), SSH_OK);
  EXPECT_EQ(ssh_pki_export_privkey_file(key, passphrase, nullptr, nullptr, path.c_str()), SSH_OK);
  chmod(path.c_str(), 0600);
  char* base64 = nullptr;
  ssh_pki_export_pubkey_base64(key, &base64);
  std::string line = absl::StrCat("ssh-ed25519 ", base64, " netshard-test\n");
  ssh_string_free_char(base64);
  ssh_key_free(key);
  return line;
}

class OpenSshSessionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_EQ(access(kSshd, X_OK), 0)
        << kSshd << " is missing: install Debian's openssh-server (deploy/install-deps.sh does)";
    dir_ = new std::string(testing::MakeTempDir());
    const std::string& dir = *dir_;
    WriteKey(dir + "/host_key");
    std::string shell = testing::SourceDir() + "/tests/integration/fake_device_shell.sh";
    std::string device = "command=\"/bin/bash " + shell + "\" ";
    // A device whose CLI takes 3 s to greet after the shell opens.
    std::string slow = "command=\"FAKE_DEVICE_SLOW_START=3 /bin/bash " + shell + "\" ";
    std::ofstream(dir + "/authorized_keys")
        << device << WriteKey(dir + "/client_key") << device
        << WriteKey(dir + "/locked_key", kPassphrase) << slow << WriteKey(dir + "/slow_key");
    WriteKey(dir + "/stranger_key");
    port_ = testing::FreeLoopbackPort();
    std::ofstream(dir + "/sshd_config")
        << "Port " << port_ << "\nListenAddress 127.0.0.1\n"
        << "HostKey " << dir << "/host_key\n"
        << "AuthorizedKeysFile " << dir << "/authorized_keys\n"
        << "PidFile " << dir << "/sshd.pid\n"
        << "PasswordAuthentication no\nKbdInteractiveAuthentication no\n"
        << "PubkeyAuthentication yes\nPermitRootLogin prohibit-password\n"
        << "StrictModes no\nUsePAM no\nLogLevel ERROR\n"
        // bash run by sshd sources ~/.bashrc unless SHLVL says it is nested.
        << "SetEnv SHLVL=1\n";
    if (geteuid() == 0) mkdir("/run/sshd", 0755);  // sshd's privilege separation dir
    auto sshd = testing::Subprocess::Start(
        {kSshd, "-D", "-e", "-f", dir + "/sshd_config"}, "", dir + "/sshd.log");
    ASSERT_TRUE(sshd.ok()) << sshd.status();
    sshd_ = sshd->release();
    ASSERT_TRUE(testing::WaitForFile(dir + "/sshd.pid", absl::Seconds(20)).ok())
        << testing::ReadFile(dir + "/sshd.log");
  }

  static void TearDownTestSuite() {
    if (sshd_ != nullptr) {
      sshd_->Signal(SIGTERM);
      (void)sshd_->Wait(absl::Seconds(10));
      delete sshd_;
    }
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }

  SessionOptions Options() {
    SessionOptions options;
    options.device.host = "127.0.0.1";
    options.device.port = port_;
    options.platform = FindPlatform("cisco_ios");
    options.device.username = getpwuid(geteuid())->pw_name;
    options.device.key_file = *dir_ + "/client_key";
    options.secret = "s3cret";
    options.host_key.known_hosts_file = *dir_ + "/known_hosts";
    return options;
  }

  static std::string* dir_;
  static int port_;
  static testing::Subprocess* sshd_;
};

std::string* OpenSshSessionTest::dir_ = nullptr;
int OpenSshSessionTest::port_ = 0;
testing::Subprocess* OpenSshSessionTest::sshd_ = nullptr;

// `show clock` and `show users` come back clean: one line of clock, the
// users table without a prompt, neither rejected.
void ExpectClockAndUsers(DeviceSession& session) {
  absl::StatusOr<CommandReply> clock = session.Run("show clock");
  ASSERT_TRUE(clock.ok()) << clock.status();
  EXPECT_THAT(clock->output, StartsWith("*"));
  EXPECT_THAT(clock->output, HasSubstr(" UTC "));
  EXPECT_EQ(clock->output.find('\n'), std::string::npos);
  EXPECT_FALSE(clock->rejection.has_value());
  absl::StatusOr<CommandReply> users = session.Run("show users");
  ASSERT_TRUE(users.ok()) << users.status();
  EXPECT_THAT(users->output, StartsWith("Line  User"));
  EXPECT_THAT(users->output, ::testing::Not(HasSubstr("fake-sw1")));
}

TEST_F(OpenSshSessionTest, LogsInEnablesAndRunsCommands) {
  auto session = DeviceSession::Open(Options());
  ASSERT_TRUE(session.ok()) << session.status() << testing::ReadFile(*dir_ + "/sshd.log");
  ExpectClockAndUsers(**session);
}

TEST_F(OpenSshSessionTest, RejectedCommandCarriesTheDeviceMessage) {
  auto session = DeviceSession::Open(Options());
  ASSERT_TRUE(session.ok()) << session.status();
  absl::StatusOr<CommandReply> reply = (*session)->Run("show nonsense");
  ASSERT_TRUE(reply.ok()) << reply.status();
  ASSERT_TRUE(reply->rejection.has_value());
  EXPECT_THAT(*reply->rejection, HasSubstr("% Invalid input"));
}

TEST_F(OpenSshSessionTest, MoreAndEndPagersAreAnsweredAndStripped) {
  auto session = DeviceSession::Open(Options());
  ASSERT_TRUE(session.ok()) << session.status();
  absl::StatusOr<CommandReply> log = (*session)->Run("show logging");
  ASSERT_TRUE(log.ok()) << log.status();
  std::string expected;
  for (int i = 1; i <= 30; ++i) absl::StrAppend(&expected, i == 1 ? "" : "\n", "log line ", i);
  EXPECT_EQ(log->output, expected);
  EXPECT_TRUE((*session)->Run("show clock").ok());  // and the session goes on
}

TEST_F(OpenSshSessionTest, ASlowGreetingAfterOurNewlineDoesNotShiftReplies) {
  // The session sends a newline after 2 s of silence; the CLI greets at
  // 3 s with a prompt, then answers the newline with another one 0.2 s
  // later. Taking that late prompt for the next command's would shift every
  // reply after it.
  SessionOptions options = Options();
  options.device.key_file = *dir_ + "/slow_key";
  auto session = DeviceSession::Open(options);
  ASSERT_TRUE(session.ok()) << session.status();
  ExpectClockAndUsers(**session);
}

TEST_F(OpenSshSessionTest, ExecRunsCommandsWithoutAShell) {
  SessionOptions options = Options();
  options.exec = true;
  auto session = DeviceSession::Open(options);
  ASSERT_TRUE(session.ok()) << session.status();
  ExpectClockAndUsers(**session);
  // A platform without rejection patterns still learns from the exit status.
  options.platform = FindPlatform("generic");
  session = DeviceSession::Open(options);
  ASSERT_TRUE(session.ok()) << session.status();
  absl::StatusOr<CommandReply> bogus = (*session)->Run("show nonsense");
  ASSERT_TRUE(bogus.ok()) << bogus.status();
  ASSERT_TRUE(bogus->rejection.has_value());
  EXPECT_EQ(*bogus->rejection, "exit status 1");
  EXPECT_THAT(bogus->output, HasSubstr("% Invalid input"));
}

TEST_F(OpenSshSessionTest, EncryptedKeyNeedsItsPassphrase) {
  SessionOptions options = Options();
  options.device.key_file = *dir_ + "/locked_key";
  absl::Status status = DeviceSession::Open(options).status();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(ToDeviceError(status).code(), v1::AUTH_FAILED);
  EXPECT_THAT(ToDeviceError(status).message(), HasSubstr("give its passphrase"));
  options.device.key_passphrase = "wrong horse";
  status = DeviceSession::Open(options).status();
  EXPECT_THAT(ToDeviceError(status).message(), HasSubstr("wrong passphrase?"));
  EXPECT_THAT(ToDeviceError(status).message(), ::testing::Not(HasSubstr("horse")));
  options.device.key_passphrase = kPassphrase;
  EXPECT_TRUE(DeviceSession::Open(options).ok());
}

TEST_F(OpenSshSessionTest, UnauthorizedKeyIsAuthFailed) {
  SessionOptions options = Options();
  options.device.key_file = *dir_ + "/stranger_key";
  absl::Status status = DeviceSession::Open(options).status();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(ToDeviceError(status).code(), v1::AUTH_FAILED);
}

TEST_F(OpenSshSessionTest, WrongSecretIsEnableFailed) {
  SessionOptions options = Options();
  options.secret = "not-it";
  absl::Status status = DeviceSession::Open(options).status();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(ToDeviceError(status).code(), v1::ENABLE_FAILED);
}

TEST_F(OpenSshSessionTest, UseKeysTakesTheKeyFromSshAgent) {
  std::string socket = *dir_ + "/agent.sock";
  auto agent = testing::Subprocess::Start({"/usr/bin/ssh-agent", "-D", "-a", socket}, "",
                                          *dir_ + "/ssh-agent.log");
  ASSERT_TRUE(agent.ok()) << agent.status();
  ASSERT_TRUE(testing::WaitForFile(socket, absl::Seconds(10)).ok());
  setenv("SSH_AUTH_SOCK", socket.c_str(), 1);
  auto add = testing::Subprocess::Start({"/usr/bin/ssh-add", *dir_ + "/client_key"}, "",
                                        *dir_ + "/ssh-add.log");
  ASSERT_TRUE(add.ok()) << add.status();
  ASSERT_EQ(*(*add)->Wait(absl::Seconds(10)), 0) << testing::ReadFile(*dir_ + "/ssh-add.log");

  SessionOptions options = Options();
  options.device.key_file.clear();
  EXPECT_EQ(ToDeviceError(DeviceSession::Open(options).status()).code(), v1::AUTH_FAILED);
  options.device.use_keys = true;
  auto session = DeviceSession::Open(options);
  EXPECT_TRUE(session.ok()) << session.status();
  unsetenv("SSH_AUTH_SOCK");
  (*agent)->Signal(SIGTERM);
  (void)(*agent)->Wait(absl::Seconds(10));
}

}  // namespace
}  // namespace netshard
