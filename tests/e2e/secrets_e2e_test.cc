// Secrets end to end: passwords from the environment and from private
// files, credentials that live only on the agent, and a full run —
// successes and failures, every output format, the journal, an output
// directory and every log — searched for the secrets, which must not be
// anywhere.
#include <poll.h>
#include <pty.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/e2e_fixture.h"

namespace netshard {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using testing::BinDir;
using testing::ReadFile;
using testing::Subprocess;

// Distinctive, so a grep cannot match anything else.
constexpr char kPassword[] = "Pw-7f3a9c-lab";
constexpr char kSecret[] = "En-91b2e4-lab";
constexpr char kWrongPassword[] = "Wrong-c0ffee-pw";
constexpr int kFleet = 20;

// Runs `argv` on a fresh pseudo-terminal, as a person at a terminal would,
// answering each prompt of `answers` (in order) as it appears. Returns the
// exit status; `*transcript` gets everything the terminal showed.
int RunOnTerminal(const std::vector<std::string>& argv,
                  const std::vector<std::pair<std::string, std::string>>& answers,
                  std::string* transcript) {
  int terminal = -1;
  pid_t pid = forkpty(&terminal, nullptr, nullptr, nullptr);
  if (pid == 0) {
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  if (pid < 0) return -1;
  size_t answered = 0;
  absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (absl::Now() < deadline) {
    pollfd ready = {terminal, POLLIN, 0};
    if (poll(&ready, 1, 100) <= 0) continue;
    char chunk[4096];
    ssize_t n = read(terminal, chunk, sizeof(chunk));
    if (n <= 0) break;  // EIO: the program is gone and the terminal with it
    transcript->append(chunk, n);
    if (answered < answers.size() && absl::StrContains(*transcript, answers[answered].first)) {
      std::string line = answers[answered++].second + "\n";
      EXPECT_EQ(write(terminal, line.data(), line.size()), static_cast<ssize_t>(line.size()));
    }
  }
  close(terminal);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

class SecretsE2eTest : public E2eFixture {
 protected:
  void SetUp() override {
    E2eFixture::SetUp();
    // Device 3 wants another enable secret than the inventory's: ENABLE_FAILED.
    std::ofstream(dir_ + "/lab-config.yaml") << "devices:\n- index: 3\n  secret: other-enable\n";
    lab_ = StartDevsim(dir_, "lab", {"--count", absl::StrCat(kFleet), "--password", kPassword,
                                     "--secret", kSecret, "--config", dir_ + "/lab-config.yaml",
                                     "--first-address", "127.7.0.1"});
    ASSERT_TRUE(lab_ != nullptr);
  }

  // devsim's inventory without its password and secret lines; each device
  // gets `fields(i)` (0-based) instead.
  std::string Inventory(const std::string& name, const std::function<std::string(int)>& fields) {
    std::vector<std::string> out;
    int seen = -1;
    for (absl::string_view line : absl::StrSplit(ReadFile(dir_ + "/lab.yaml"), '\n')) {
      if (absl::StartsWith(line, "  password:") || absl::StartsWith(line, "  secret:")) continue;
      out.emplace_back(line);
      if (absl::StartsWith(line, "- device_type:")) out.push_back(fields(++seen));
    }
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << absl::StrJoin(out, "\n");
    return path;
  }

  std::string PrivateFile(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    chmod(path.c_str(), 0600);
    return path;
  }

  std::unique_ptr<Subprocess> lab_;
};

TEST_F(SecretsE2eTest, CredentialsLiveOnlyOnTheAgent) {
  std::string inventory = Inventory("agent-creds.yaml", [](int) { return "  credentials: agent"; });
  EXPECT_THAT(ReadFile(inventory), ::testing::Not(HasSubstr("password")));
  std::string credentials = PrivateFile(
      "credentials.yaml", absl::StrCat("default: {username: cisco, password: ", kPassword,
                                       ", secret: ", kSecret, "}\n"));
  std::string address = LoopbackAddress();
  auto agent = StartAgent(address, "agent-a", "10", {"--credentials", credentials});
  ASSERT_TRUE(agent != nullptr);
  EXPECT_EQ(Coord({"run", "-i", inventory, "--agent", address, "--cmd", "sh clock", "--format",
                   "jsonl"}),
            1);
  std::vector<Record> records = ParseJsonl(ReadFile(dir_ + "/coord.out"));
  ASSERT_EQ(records.size(), static_cast<size_t>(kFleet));
  for (const Record& record : records) {
    if (record.name == "sim3") {
      EXPECT_EQ(record.code, "ENABLE_FAILED");  // the agent's secret was sent, and refused
    } else {
      EXPECT_TRUE(record.ok) << record.name << " " << record.code << " " << record.message;
    }
  }

  // The in-process engine has no such file: refused before any device.
  EXPECT_EQ(Coord({"run", "-i", inventory, "--cmd", "sh clock"}), 2);
  EXPECT_THAT(ReadFile(dir_ + "/coord.err"), HasSubstr("credentials: agent needs agents"));
  // And plan, which would otherwise pass what run refuses, says so.
  EXPECT_EQ(Coord({"plan", "-i", inventory}, "plan.out"), 1);
  EXPECT_THAT(ReadFile(dir_ + "/plan.out"),
              AllOf(HasSubstr("credentials: agent needs agents"),
                    HasSubstr("`coord run` would refuse this inventory")));

  // An agent without the file fails those devices, saying why.
  std::string bare = LoopbackAddress();
  auto bare_agent = StartAgent(bare, "agent-bare", "10");
  ASSERT_TRUE(bare_agent != nullptr);
  EXPECT_EQ(Coord({"run", "-i", inventory, "--agent", bare, "--cmd", "sh clock", "--format",
                   "jsonl", "--limit-to", "2"}),
            1);
  for (const Record& record : ParseJsonl(ReadFile(dir_ + "/coord.out"))) {
    EXPECT_EQ(record.code, "AUTH_FAILED");
    EXPECT_THAT(record.message, HasSubstr("started without --credentials"));
  }

  // A credentials file others can read is refused at start.
  chmod(credentials.c_str(), 0644);
  auto careless = Subprocess::Start({BinDir() + "/agent", "--listen", LoopbackAddress(),
                                     "--credentials", credentials},
                                    "", dir_ + "/careless.log");
  ASSERT_TRUE(careless.ok());
  EXPECT_EQ(*(*careless)->Wait(absl::Seconds(30)), 2);
  EXPECT_THAT(ReadFile(dir_ + "/careless.log"), HasSubstr("mode 0644"));
}

TEST_F(SecretsE2eTest, AskPassPromptsOnTheTerminalWithoutEcho) {
  // The inventory's own password and secret are wrong: only the answers work.
  std::string inventory = Inventory("ask.yaml", [](int) {
    return "  password: not-this-one\n  secret: nor-this-one";
  });
  std::string transcript;
  int status = RunOnTerminal({BinDir() + "/coord", "run", "-i", inventory, "--cmd", "sh clock",
                              "--limit-to", "2", "--ask-pass", "--ask-secret", "--known-hosts",
                              dir_ + "/known_hosts", "--journal", dir_ + "/ask.jsonl"},
                             {{"Device password: ", kPassword}, {"Enable secret: ", kSecret}},
                             &transcript);
  EXPECT_EQ(status, 0) << transcript;
  EXPECT_THAT(transcript, HasSubstr("2 devices: 2 ok, 0 failed"));
  EXPECT_THAT(transcript, ::testing::Not(HasSubstr(kPassword)));  // no echo
  EXPECT_THAT(transcript, ::testing::Not(HasSubstr(kSecret)));
  // Without a terminal (setsid: even when the test runs in one) there is
  // nobody to ask: a usage error, not a hang.
  auto alone = Subprocess::Start({"/usr/bin/setsid", "--wait", BinDir() + "/coord", "run", "-i",
                                  inventory, "--cmd", "sh clock", "--ask-pass"},
                                 "", dir_ + "/alone.err");
  ASSERT_TRUE(alone.ok());
  EXPECT_EQ(*(*alone)->Wait(absl::Seconds(30)), 2);
  EXPECT_THAT(ReadFile(dir_ + "/alone.err"), HasSubstr("--ask-pass: no terminal to ask on"));
}

TEST_F(SecretsE2eTest, NoSecretAppearsInAnyOutputOrLog) {
  std::string secret_file = PrivateFile("enable.txt", absl::StrCat(kSecret, "\n"));
  // Device 5's password is wrong (AUTH_FAILED), device 3's secret is wrong
  // on the device's side (ENABLE_FAILED); the rest succeed.
  std::string inventory = Inventory("env-secrets.yaml", [&](int i) {
    return absl::StrCat(i == 4 ? absl::StrCat("  password: ", kWrongPassword)
                               : "  password: \"${env:NETSHARD_TEST_PW}\"",
                        "\n  secret_file: ", secret_file);
  });
  setenv("NETSHARD_TEST_PW", kPassword, 1);
  std::string address = LoopbackAddress();
  auto agent = StartAgent(address, "agent-a", "10", {"--log-level", "debug"});
  ASSERT_TRUE(agent != nullptr);
  std::vector<std::vector<std::string>> runs = {
      {"--format", "jsonl", "--journal", dir_ + "/journal.jsonl"},
      {"--format", "json", "--agent", address},
      {"--gather", "--output-dir", dir_ + "/backup"},
      {"--agent", address, "--retries", "1", "--retry-backoff", "0.1", "--cmd", "show run"},
  };
  std::vector<std::string> outputs;
  for (size_t i = 0; i < runs.size(); ++i) {
    std::vector<std::string> args = {"run", "-i", inventory, "--cmd", "sh clock", "--config",
                                     "hostname x"};
    args.insert(args.end(), runs[i].begin(), runs[i].end());
    std::string out = absl::StrCat("run", i, ".out");
    EXPECT_EQ(Coord(args, out), 1) << ReadFile(dir_ + "/coord.err");
    outputs.push_back(ReadFile(dir_ + "/" + out) + ReadFile(dir_ + "/coord.err"));
  }
  std::vector<Record> records = ParseJsonl(ReadFile(dir_ + "/run0.out"));
  ASSERT_EQ(records.size(), static_cast<size_t>(kFleet));
  int ok = 0;
  for (const Record& record : records) {
    ok += record.ok;
    if (record.name == "sim5" || record.name == "sim3") {
      EXPECT_EQ(record.code, record.name == "sim5" ? "AUTH_FAILED" : "ENABLE_FAILED");
    }
  }
  EXPECT_EQ(ok, kFleet - 2);
  unsetenv("NETSHARD_TEST_PW");

  // Everything the runs wrote: outputs, journals (the run's own and the
  // default ones under XDG_STATE_HOME), the backup directory, agent logs.
  std::vector<std::string> searched;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_)) {
    std::string path = entry.path().string();
    if (!entry.is_regular_file()) continue;
    if (absl::EndsWith(path, ".yaml") || path == secret_file || absl::StartsWith(path, dir_ + "/lab")) {
      continue;  // inputs and the simulated devices' own side
    }
    outputs.push_back(ReadFile(path));
    searched.push_back(path);
  }
  EXPECT_GE(searched.size(), 8u) << absl::StrJoin(searched, " ");
  for (const std::string& text : outputs) {
    EXPECT_THAT(text, ::testing::Not(HasSubstr(kPassword)));
    EXPECT_THAT(text, ::testing::Not(HasSubstr(kSecret)));
    EXPECT_THAT(text, ::testing::Not(HasSubstr(kWrongPassword)));
  }
  EXPECT_THAT(absl::StrJoin(outputs, "\n"), HasSubstr("AUTH_FAILED"));
}

}  // namespace
}  // namespace netshard
