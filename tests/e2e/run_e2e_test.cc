// End to end, as a user runs it: real devsim, agent and coord processes on
// loopback, checked through coord's exit status and its jsonl/text output.
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "absl/base/config.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/e2e/e2e_fixture.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;
using testing::BinDir;
using testing::ReadFile;
using testing::Subprocess;

class RunE2eTest : public E2eFixture {};

TEST_F(RunE2eTest, TwoAgentsInputOrder) {
  std::string a = LoopbackAddress();
  std::string b = LoopbackAddress();
  auto agent_a = StartAgent(a, "agent-a");
  auto agent_b = StartAgent(b, "agent-b");
  ASSERT_TRUE(agent_a && agent_b);
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--agent", a, "--agent", b, "--cmd",
                   "sh clock", "--order", "input", "--format", "jsonl"}),
            1);
  std::vector<Record> records = ParseJsonl(ReadFile(dir_ + "/coord.out"));
  ExpectFleetResults(records, /*input_order=*/true);
  std::map<std::string, int> by_agent;
  for (const Record& record : records) ++by_agent[record.agent];
  EXPECT_GT(by_agent["agent-a"], 0);
  EXPECT_GT(by_agent["agent-b"], 0);
  // Each agent remembers host keys in its own file, never the coordinator's.
  EXPECT_THAT(ReadFile(dir_ + "/agent-a.known"), HasSubstr(" ssh-ed25519 "));
  EXPECT_EQ(ReadFile(dir_ + "/known_hosts"), "");
  EXPECT_THAT(ReadFile(dir_ + "/coord.err"), HasSubstr("200 devices: 199 ok, 1 failed (AUTH_FAILED 1)"));

  // `coord agents` reports both, and a dead address as DOWN with status 1.
  std::string dead = LoopbackAddress();
  EXPECT_EQ(Coord({"agents", "--agent", a, "--agent", b, "--agent", dead, "--timeout", "2"},
                  "agents.out"),
            1);
  std::map<std::string, std::vector<std::string>> rows;  // address -> columns
  for (absl::string_view line : absl::StrSplit(ReadFile(dir_ + "/agents.out"), '\n')) {
    std::vector<std::string> columns = absl::StrSplit(line, ' ', absl::SkipEmpty());
    if (!columns.empty()) rows[columns[0]] = columns;
  }
  using ::testing::ElementsAre;
  EXPECT_THAT(rows[a], ElementsAre(a, "ok", "agent-a", "0.1.0", "-", "100", "0", "0"));
  EXPECT_THAT(rows[b], ElementsAre(b, "ok", "agent-b", "0.1.0", "-", "100", "0", "0"));
  ASSERT_GE(rows[dead].size(), 2u);
  EXPECT_EQ(rows[dead][1], "DOWN");

  // SIGTERM drains and exits cleanly.
  agent_a->Signal(SIGTERM);
  EXPECT_EQ(*agent_a->Wait(absl::Seconds(30)), 0);
}

TEST_F(RunE2eTest, EmbeddedEngineInputOrderAndText) {
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--cmd", "sh clock", "--order", "input",
                   "--format", "jsonl", "--limit", "50"}),
            1);
  std::vector<Record> records = ParseJsonl(ReadFile(dir_ + "/coord.out"));
  ExpectFleetResults(records, /*input_order=*/true);
  for (const Record& record : records) EXPECT_EQ(record.agent, "embedded");

  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--cmd", "sh clock"}, "text.out"), 1);
  std::string text = ReadFile(dir_ + "/text.out");
  EXPECT_THAT(text, HasSubstr("=== sim1 (127.1.0.1:"));
  EXPECT_THAT(text, HasSubstr("!!! AUTH_FAILED at AUTH"));
  EXPECT_THAT(text, HasSubstr("200 devices: 199 ok, 1 failed (AUTH_FAILED 1) in "));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("password")));
}

TEST_F(RunE2eTest, AgentKilledMidRunLosesNothing) {
  std::string a = LoopbackAddress();
  std::string b = LoopbackAddress();
  auto agent_a = StartAgent(a, "agent-a");
  auto agent_b = StartAgent(b, "agent-b");
  ASSERT_TRUE(agent_a && agent_b);
  auto coord = Subprocess::Start({BinDir() + "/coord", "run", "-i", dir_ + "/devices.yaml",
                                  "--agent", a, "--agent", b, "--cmd", "sh clock", "--cmd",
                                  "show version", "--format", "jsonl", "--known-hosts",
                                  dir_ + "/known_hosts"},
                                 dir_ + "/coord.out", dir_ + "/coord.err");
  ASSERT_TRUE(coord.ok());
  // Kill A once results are flowing, while it still holds jobs.
  for (int i = 0; i < 3000 && ReadFile(dir_ + "/coord.out").size() < 2000; ++i) {
    absl::SleepFor(absl::Milliseconds(2));
  }
  agent_a->Signal(SIGKILL);
  absl::StatusOr<int> status = (*coord)->Wait(absl::Seconds(120));
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(*status, 0) << ReadFile(dir_ + "/coord.err");
  EXPECT_THAT(ReadFile(dir_ + "/coord.err"), HasSubstr("agent " + a + " lost"));
  std::vector<Record> records = ParseJsonl(ReadFile(dir_ + "/coord.out"));
  ASSERT_EQ(records.size(), static_cast<size_t>(kDevices));
  std::set<std::string> names;
  for (const Record& record : records) {
    names.insert(record.name);
    EXPECT_TRUE(record.ok) << record.name << " " << record.code;
  }
  EXPECT_EQ(names.size(), static_cast<size_t>(kDevices));
}

TEST(DevsimScaleTest, HoldsAThousandConcurrentSessions) {
  std::string dir = testing::MakeTempDir();
  setenv("XDG_STATE_HOME", dir.c_str(), 1);
  // Each session holds its show command long enough that with --limit 1000
  // every session is open at once, even where a sanitizer build needs tens
  // of seconds to open them all.
#if defined(ABSL_HAVE_THREAD_SANITIZER) || defined(ABSL_HAVE_ADDRESS_SANITIZER)
  const char* hold_ms = "45000";
#else
  const char* hold_ms = "8000";
#endif
  std::ofstream(dir + "/hold.yaml") << "devices:\n- index: 1-1000\n  command_delay_ms: " << hold_ms
                                    << "\n";
  std::unique_ptr<Subprocess> devsim =
      StartDevsim(dir, "devices", {"--count", "1000", "--config", dir + "/hold.yaml"});
  ASSERT_TRUE(devsim != nullptr);
  auto coord = Subprocess::Start({BinDir() + "/coord", "run", "-i", dir + "/devices.yaml",
                                  "--cmd", "sh clock", "--limit", "1000", "--timeout", "120",
                                  "--known-hosts", dir + "/known_hosts"},
                                 dir + "/coord.out", dir + "/coord.err");
  ASSERT_TRUE(coord.ok());
  absl::StatusOr<int> status = (*coord)->Wait(absl::Seconds(240));
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(*status, 0) << ReadFile(dir + "/coord.err");
  EXPECT_THAT(ReadFile(dir + "/coord.out"), HasSubstr("1000 devices: 1000 ok, 0 failed"));
  devsim->Signal(SIGTERM);
  EXPECT_EQ(*devsim->Wait(absl::Seconds(60)), 0);
  std::string log = ReadFile(dir + "/devices.log");
  size_t at = log.find("peak concurrent sessions ");
  ASSERT_NE(at, std::string::npos) << log;
  EXPECT_GE(std::atoi(log.c_str() + at + 25), 1000) << log;
  std::filesystem::remove_all(dir);
}

TEST_F(RunE2eTest, InterruptFinishesRunningDevicesAndCancelsTheRest) {
  // 20 at a time, each session ~3 s long (devsim latency 1 s per command).
  std::unique_ptr<Subprocess> slow = StartDevsim(
      dir_, "slow", {"--count", "50", "--latency-ms", "1000", "--first-address", "127.2.0.1"});
  ASSERT_TRUE(slow != nullptr);
  auto coord = Subprocess::Start({BinDir() + "/coord", "run", "-i", dir_ + "/slow.yaml",
                                  "--cmd", "sh clock", "--limit", "20", "--format", "jsonl",
                                  "--known-hosts", dir_ + "/known_hosts"},
                                 dir_ + "/coord.out", dir_ + "/coord.err");
  ASSERT_TRUE(coord.ok());
  absl::SleepFor(absl::Seconds(1));  // the first 20 sessions are under way
  (*coord)->Signal(SIGINT);
  absl::StatusOr<int> status = (*coord)->Wait(absl::Seconds(60));
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(*status, 130) << ReadFile(dir_ + "/coord.err");
  std::vector<Record> records = ParseJsonl(ReadFile(dir_ + "/coord.out"));
  ASSERT_EQ(records.size(), 50u);  // every device has its one result
  int ok = 0;
  int cancelled = 0;
  for (const Record& record : records) {
    ok += record.ok;
    cancelled += record.code == "CANCELLED";
  }
  EXPECT_EQ(ok + cancelled, 50);
  EXPECT_GT(ok, 0);  // sessions in progress were allowed to finish
  EXPECT_GT(cancelled, 0);
  EXPECT_THAT(ReadFile(dir_ + "/coord.err"), HasSubstr("CANCELLED"));
}

TEST_F(RunE2eTest, BadInventoryIsUsageErrorNamingFileAndLine) {
  std::ofstream(dir_ + "/bad.yaml") << "routers:\n- ip: 127.0.0.1\n  username: u\n  device_type: cisco_ios\n  port: x\n";
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/bad.yaml", "--cmd", "sh clock"}), 2);
  EXPECT_THAT(ReadFile(dir_ + "/coord.err"), HasSubstr(dir_ + "/bad.yaml:5: field 'port'"));
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--cmd", "x", "--order", "random"}), 2);
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--cmd", "x", "--agent", "nohostport"}), 2);
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml"}), 2);  // no --cmd
}

// A fleet of four platforms with configuration modes, on its own addresses.
std::unique_ptr<Subprocess> StartMixedFleet(const std::string& dir, const std::string& latency_ms) {
  std::ofstream(dir + "/mixed-fleet.yaml")
      << "devices:\n- index: 1-5\n  platform: cisco_xe\n- index: 6-10\n  platform: cisco_nxos\n"
         "- index: 11-15\n  platform: arista_eos\n";
  return StartDevsim(dir, "mixed", {"--count", "20", "--config", dir + "/mixed-fleet.yaml",
                                    "--first-address", "127.3.0.1", "--latency-ms", latency_ms});
}

TEST_F(RunE2eTest, ConfigFileAppliedAndSavedThroughAnAgent) {
  std::unique_ptr<Subprocess> mixed = StartMixedFleet(dir_, "0");
  ASSERT_TRUE(mixed != nullptr);
  std::ofstream(dir_ + "/changes.txt")
      << "! netshard e2e\n\ninterface Loopback5\n description e2e-change\n";
  std::string a = LoopbackAddress();
  auto agent = StartAgent(a, "agent-a");
  ASSERT_TRUE(agent != nullptr);
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/mixed.yaml", "--agent", a, "--config-file",
                   dir_ + "/changes.txt", "--save", "--cmd", "show running-config", "--format",
                   "jsonl"}),
            0)
      << ReadFile(dir_ + "/coord.err");
  std::vector<Record> records = ParseJsonl(ReadFile(dir_ + "/coord.out"));
  ASSERT_EQ(records.size(), 20u);
  for (const Record& record : records) {
    ASSERT_EQ(record.outputs.size(), 4u) << record.name;  // 2 lines, save, show
    EXPECT_EQ(record.outputs[0].command(), "interface Loopback5");
    EXPECT_EQ(record.outputs[1].command(), " description e2e-change");
    EXPECT_THAT(record.outputs[2].command(),
                ::testing::AnyOf("write memory", "copy running-config startup-config"));
    EXPECT_THAT(record.outputs[3].output(), HasSubstr(" description e2e-change"));
  }

  // A refused line: with --keep-going the rest still runs, and the run says so.
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/mixed.yaml", "--config", "frobnicate now", "--config",
                   "logging host 127.0.0.7", "--keep-going", "--format", "jsonl"}),
            1);
  records = ParseJsonl(ReadFile(dir_ + "/coord.out"));
  ASSERT_EQ(records.size(), 20u);
  for (const Record& record : records) {
    EXPECT_EQ(record.code, "COMMAND_REJECTED");
    ASSERT_EQ(record.outputs.size(), 2u);
    EXPECT_TRUE(record.outputs[0].rejected());
    EXPECT_FALSE(record.outputs[1].rejected());
  }
  mixed->Signal(SIGTERM);
  EXPECT_EQ(*mixed->Wait(absl::Seconds(30)), 0);
}

TEST_F(RunE2eTest, ConfigRunOnALostAgentIsReportedNeverResent) {
  std::unique_ptr<Subprocess> mixed = StartMixedFleet(dir_, "1000");
  ASSERT_TRUE(mixed != nullptr);
  std::string a = LoopbackAddress();
  std::string b = LoopbackAddress();
  // Ten sessions each: both agents hold jobs when A dies.
  auto agent_a = StartAgent(a, "agent-a", "10");
  auto agent_b = StartAgent(b, "agent-b", "10");
  ASSERT_TRUE(agent_a && agent_b);
  auto coord = Subprocess::Start({BinDir() + "/coord", "run", "-i", dir_ + "/mixed.yaml",
                                  "--agent", a, "--agent", b, "--config", "logging host 127.0.0.8",
                                  "--format", "jsonl", "--known-hosts", dir_ + "/known_hosts"},
                                 dir_ + "/coord.out", dir_ + "/coord.err");
  ASSERT_TRUE(coord.ok());
  // A has its run (however slow coord's start, as under a sanitizer), then
  // both agents hold sessions in config mode.
  absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (ReadFile(dir_ + "/agent-a.log").find("run_start") == std::string::npos &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  absl::SleepFor(absl::Seconds(1));
  agent_a->Signal(SIGKILL);
  absl::StatusOr<int> status = (*coord)->Wait(absl::Seconds(120));
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(*status, 1) << ReadFile(dir_ + "/coord.err");
  std::vector<Record> records = ParseJsonl(ReadFile(dir_ + "/coord.out"));
  ASSERT_EQ(records.size(), 20u);
  int lost = 0;
  for (const Record& record : records) {
    if (record.ok) continue;
    EXPECT_EQ(record.code, "AGENT_LOST");
    EXPECT_THAT(record.message, HasSubstr("may or may not have applied it, not re-sent"));
    ++lost;
  }
  EXPECT_GT(lost, 0);
  EXPECT_LT(lost, 20);
  mixed->Signal(SIGTERM);
  EXPECT_EQ(*mixed->Wait(absl::Seconds(30)), 0);
}

TEST_F(RunE2eTest, GroupFilterAndCanaryLimitChooseTheDevices) {
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--cmd", "sh clock", "--filter",
                   "name=sim1?", "--order", "input", "--format", "jsonl"}),
            0);
  std::vector<Record> records = ParseJsonl(ReadFile(dir_ + "/coord.out"));
  ASSERT_EQ(records.size(), 10u);
  EXPECT_EQ(records.front().name, "sim10");
  EXPECT_EQ(records.back().name, "sim19");
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--cmd", "sh clock", "--group", "routers",
                   "--limit-to", "3", "--format", "jsonl"}),
            0);
  EXPECT_EQ(ParseJsonl(ReadFile(dir_ + "/coord.out")).size(), 3u);
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--cmd", "x", "--group", "switches"}), 2);
  EXPECT_THAT(ReadFile(dir_ + "/coord.err"), HasSubstr("--group switches: no such group"));
}

TEST_F(RunE2eTest, BackupToOutputDirJsonAndGather) {
  std::string backups = dir_ + "/backups";
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--cmd", "show running-config",
                   "--output-dir", backups}),
            1);
  EXPECT_THAT(ReadFile(backups + "/sim1.txt"), ::testing::StartsWith("Building configuration"));
  EXPECT_THAT(ReadFile(backups + "/sim200.txt"), HasSubstr("hostname sim200\n"));
  EXPECT_THAT(ReadFile(backups + "/sim58.error"), ::testing::StartsWith("AUTH_FAILED at AUTH"));
  EXPECT_FALSE(std::filesystem::exists(backups + "/sim58.txt"));
  std::string text = ReadFile(dir_ + "/coord.out");
  EXPECT_THAT(text, HasSubstr("=== sim1 (127.1.0.1:"));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("Building configuration")));  // in the files

  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--cmd", "show version", "--format",
                   "json"}),
            1);
  std::string json = ReadFile(dir_ + "/coord.out");
  EXPECT_THAT(json, ::testing::StartsWith("{\n  \"sim"));
  EXPECT_THAT(json, ::testing::EndsWith("}\n}\n"));
  EXPECT_EQ(std::count(json.begin(), json.end(), '\n'), kDevices + 2);  // a line each, and the braces

  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--cmd", "show version", "--gather"}), 1);
  std::string gathered = ReadFile(dir_ + "/coord.out");
  // Versions differ only in the hostname line, so each device is its own
  // group; but every failure with the same message is one.
  EXPECT_THAT(gathered, HasSubstr("=== sim58 (1)\n!!! AUTH_FAILED"));
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--cmd", "terminal length 0", "--gather"}),
            1);
  EXPECT_THAT(ReadFile(dir_ + "/coord.out"),
              HasSubstr("=== sim[1-57,59-200] (199)\n--- terminal length 0\n"));
}

TEST_F(RunE2eTest, JournalSurvivesACrashAndResumeRunsOnlyTheRest) {
  // 50 devices, 10 at a time, ~3 s each: killed after the first wave.
  std::unique_ptr<Subprocess> slow = StartDevsim(
      dir_, "slow", {"--count", "50", "--latency-ms", "1000", "--first-address", "127.2.0.1"});
  ASSERT_TRUE(slow != nullptr);
  std::string journal = dir_ + "/run.jsonl";
  auto coord = Subprocess::Start({BinDir() + "/coord", "run", "-i", dir_ + "/slow.yaml", "--cmd",
                                  "sh clock", "--limit", "10", "--journal", journal,
                                  "--known-hosts", dir_ + "/known_hosts"},
                                 dir_ + "/coord.out", dir_ + "/coord.err");
  ASSERT_TRUE(coord.ok());
  for (int i = 0; i < 1000 && ParseJsonl(ReadFile(journal)).size() < 10; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  (*coord)->Signal(SIGKILL);  // a crash: no summary, no goodbye
  ASSERT_TRUE((*coord)->Wait(absl::Seconds(30)).ok());
  std::vector<Record> done = ParseJsonl(ReadFile(journal));
  ASSERT_GE(done.size(), 10u);
  ASSERT_LT(done.size(), 50u);
  for (const Record& record : done) EXPECT_TRUE(record.ok) << record.name;

  EXPECT_EQ(Coord({"run", "-i", dir_ + "/slow.yaml", "--cmd", "sh clock", "--limit", "50",
                   "--resume", journal, "--format", "jsonl"}),
            0)
      << ReadFile(dir_ + "/coord.err");
  std::vector<Record> rest = ParseJsonl(ReadFile(dir_ + "/coord.out"));
  EXPECT_EQ(rest.size(), 50u - done.size());  // only what the crash left undone
  std::set<std::string> names;
  for (const Record& record : ParseJsonl(ReadFile(journal))) names.insert(record.name);
  EXPECT_EQ(names.size(), 50u);  // the journal now covers the whole fleet
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/slow.yaml", "--cmd", "sh clock", "--resume", journal}),
            0);
  EXPECT_THAT(ReadFile(dir_ + "/coord.err"), HasSubstr("nothing left to run"));
}

TEST_F(RunE2eTest, RetryFailedRunsOnlyTheFailuresAndTheDefaultJournalIsAnnounced) {
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--cmd", "sh clock", "--format", "jsonl"}),
            1);
  std::string err = ReadFile(dir_ + "/coord.err");
  size_t at = err.find("coord: journal: " + dir_ + "/netshard/runs/");
  ASSERT_NE(at, std::string::npos) << err;
  std::string journal = err.substr(at + 16, err.find('\n', at) - at - 16);
  EXPECT_EQ(ParseJsonl(ReadFile(journal)).size(), static_cast<size_t>(kDevices));
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--cmd", "sh clock", "--retry-failed",
                   journal, "--format", "jsonl"}),
            1);
  std::vector<Record> retried = ParseJsonl(ReadFile(dir_ + "/coord.out"));
  ASSERT_EQ(retried.size(), 1u);
  EXPECT_EQ(retried[0].name, absl::StrCat("sim", kWrongPasswordDevice + 1));
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--cmd", "x", "--resume", journal,
                   "--retry-failed", journal}),
            2);
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--cmd", "x", "--resume",
                   dir_ + "/missing.jsonl"}),
            2);
  EXPECT_THAT(ReadFile(dir_ + "/coord.err"), HasSubstr("missing.jsonl: cannot read"));
}

TEST_F(RunE2eTest, PlanShowsWhoTakesEachSegmentWithoutTouchingDevices) {
  // Addresses nothing listens on: plan must not connect to devices.
  std::ofstream(dir_ + "/plan.yaml")
      << "defaults: {username: u, device_type: cisco_ios}\n"
         "r:\n- {ip: 127.9.0.1}\n- {ip: 127.9.0.2, segment: lab}\n- {ip: 127.9.0.3, segment: dc2}\n";
  std::string a = LoopbackAddress();
  auto agent = StartAgent(a, "agent-a", "40", {"--segment", "lab"});
  ASSERT_TRUE(agent != nullptr);
  EXPECT_EQ(Coord({"plan", "-i", dir_ + "/plan.yaml", "--agent", a}, "plan.out"), 1);
  std::string plan = ReadFile(dir_ + "/plan.out");
  EXPECT_THAT(plan, ::testing::ContainsRegex(a + " +ok +agent-a"));
  EXPECT_THAT(plan, HasSubstr("lab                         1        40  agent-a\n"));
  EXPECT_THAT(plan, HasSubstr("dc2                         1         0  NONE"));
  EXPECT_EQ(Coord({"plan", "-i", dir_ + "/plan.yaml", "--filter", "segment=lab", "--agent", a},
                  "plan.out"),
            0);
  EXPECT_EQ(Coord({"plan", "-i", dir_ + "/plan.yaml"}, "plan.out"), 0);
  EXPECT_THAT(ReadFile(dir_ + "/plan.out"), HasSubstr("in-process engine runs all 3 devices"));
}

TEST_F(RunE2eTest, ConfigAndExpectFlagsAreCheckedBeforeAnyDevice) {
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--cmd", "x", "--save"}), 2);
  EXPECT_THAT(ReadFile(dir_ + "/coord.err"), HasSubstr("--save needs --config"));
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--cmd", "x", "--expect", "a",
                   "--expect", "b"}),
            2);
  EXPECT_THAT(ReadFile(dir_ + "/coord.err"), HasSubstr("--expect: 2 given for 1 --cmd"));
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--cmd", "x", "--expect", "(["}), 2);
  EXPECT_THAT(ReadFile(dir_ + "/coord.err"), HasSubstr("--expect #1 '(['"));
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--config-file", dir_ + "/none.txt"}), 2);
  EXPECT_THAT(ReadFile(dir_ + "/coord.err"), HasSubstr("none.txt: cannot read"));
  std::ofstream(dir_ + "/servers.yaml")
      << "servers:\n- device_type: linux\n  ip: 127.0.0.1\n  username: u\n";
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/servers.yaml", "--config", "hostname x"}), 2);
  EXPECT_THAT(ReadFile(dir_ + "/coord.err"),
              HasSubstr("no configuration mode: " + dir_ + "/servers.yaml:2: 127.0.0.1 (linux)"));
}

TEST_F(RunE2eTest, TwentyMegabyteOutputsStreamThroughAnAgentInBoundedMemory) {
#if defined(ABSL_HAVE_THREAD_SANITIZER) || defined(ABSL_HAVE_ADDRESS_SANITIZER)
  // Sanitizers re-check every byte that uninstrumented libssh and gRPC hand
  // over, at seconds per MiB: the same path with 2 MB outputs (8 chunks
  // each), and patience for an agent whose writes crawl.
  constexpr size_t kLines = 25000;
  const char* silence = "300";
#else
  constexpr size_t kLines = 250000;  // 20 MB per device
  const char* silence = "15";
#endif
  std::ofstream(dir_ + "/big-fleet.yaml")
      << "devices:\n- index: 1-4\n  tech_support_bytes: " << kLines * 80 << "\n";
  std::unique_ptr<Subprocess> big = StartDevsim(
      dir_, "big", {"--count", "4", "--config", dir_ + "/big-fleet.yaml", "--first-address",
                    "127.4.0.1"});
  ASSERT_TRUE(big != nullptr);
  std::string a = LoopbackAddress();
  auto agent = StartAgent(a, "agent-a");
  ASSERT_TRUE(agent != nullptr);
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/big.yaml", "--agent", a, "--cmd", "show tech-support",
                   "--format", "jsonl", "--timeout", "300", "--agent-silence-timeout", silence}),
            0)
      << ReadFile(dir_ + "/coord.err");
  std::vector<Record> records = ParseJsonl(ReadFile(dir_ + "/coord.out"));
  ASSERT_EQ(records.size(), 4u);
  for (const Record& record : records) {
    // Lines of 78 characters, '\n'-separated after cleaning.
    EXPECT_EQ(record.output.size(), kLines * 79 - 1) << record.name;
    EXPECT_EQ(record.output.substr(0, 28), "00000001 tech-support line: ");
  }
#if !defined(ABSL_HAVE_ADDRESS_SANITIZER) && !defined(ABSL_HAVE_THREAD_SANITIZER)
  // Four 20 MB outputs at once went through; holding them would take 160 MB+.
  long peak = PeakRssKib(agent->pid());
  EXPECT_GT(peak, 0);
  EXPECT_LT(peak, 64 * 1024) << "agent peak RSS " << peak << " KiB";
  std::cout << "agent peak RSS with four 20 MB outputs in flight: " << peak << " KiB\n";
#endif
  big->Signal(SIGTERM);
  EXPECT_EQ(*big->Wait(absl::Seconds(30)), 0);
}

}  // namespace
}  // namespace netshard
