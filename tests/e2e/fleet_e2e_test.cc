// End to end for real fleets: segments reachable only from their own agent,
// agents found in a file, scale-out and an agent that restarts, a hung
// agent, the run-wide limit and login pacing, and Ctrl-C with its grace
// period — real devsim, agent and coord processes on loopback.
#include <signal.h>

#include <fstream>
#include <map>

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

using ::testing::HasSubstr;
using testing::BinDir;
using testing::ReadFile;
using testing::Subprocess;

class FleetE2eTest : public E2eFixture {
 protected:
  // `inventory` with `segment: NAME` added to each device, NAME from
  // `segment_of(i)` for the i-th device (0-based).
  std::string WithSegments(const std::string& inventory,
                           const std::function<std::string(int)>& segment_of) {
    std::vector<std::string> lines = absl::StrSplit(ReadFile(dir_ + "/" + inventory), '\n');
    std::vector<std::string> out;
    int seen = -1;
    for (const std::string& line : lines) {
      out.push_back(line);
      if (line.rfind("- device_type:", 0) == 0) {
        out.push_back("  segment: " + segment_of(++seen));
      }
    }
    std::string path = dir_ + "/segmented-" + inventory;
    std::ofstream(path) << absl::StrJoin(out, "\n");
    return path;
  }

  // Waits (bounded) until coord has printed `bytes` of results.
  void AwaitOutput(size_t bytes) {
    for (int i = 0; i < 3000 && ReadFile(dir_ + "/coord.out").size() < bytes; ++i) {
      absl::SleepFor(absl::Milliseconds(5));
    }
  }

  std::map<std::string, int> ByAgent(const std::vector<Record>& records) {
    std::map<std::string, int> by_agent;
    for (const Record& record : records) ++by_agent[record.agent];
    return by_agent;
  }
};

// devsim's count of sessions open at once, from the log it writes on exit.
int PeakSessions(const std::string& log) {
  size_t at = log.find("peak concurrent sessions ");
  return at == std::string::npos ? -1 : std::atoi(log.c_str() + at + 25);
}

TEST_F(FleetE2eTest, TwoSegmentsEachReachableOnlyFromItsOwnAgent) {
  // Devices 1-20 admit only 127.0.10.1 (segment east), 21-40 only
  // 127.0.20.1 (west), as VTY access-classes would.
  std::ofstream(dir_ + "/acl.yaml") << "devices:\n"
                                       "- index: 1-20\n  allow_from: [127.0.10.1]\n"
                                       "- index: 21-40\n  allow_from: [127.0.20.1]\n";
  auto fenced = StartDevsim(dir_, "fenced", {"--count", "40", "--config", dir_ + "/acl.yaml",
                                             "--first-address", "127.3.0.1"});
  ASSERT_TRUE(fenced != nullptr);
  std::string inventory =
      WithSegments("fenced.yaml", [](int i) { return i < 20 ? "east" : "west"; });
  std::string east = LoopbackAddress();
  std::string west = LoopbackAddress();
  auto agent_east = StartAgent(east, "agent-east", "10",
                               {"--segment", "east", "--source-address", "127.0.10.1"});
  auto agent_west = StartAgent(west, "agent-west", "10",
                               {"--segment", "west", "--source-address", "127.0.20.1"});
  ASSERT_TRUE(agent_east && agent_west);
  // The agents come from a file, as a site would keep them.
  std::ofstream(dir_ + "/agents.yaml") << "agents:\n- address: " << east
                                       << "\n  name: east-1\n- address: " << west << "\n";
  EXPECT_EQ(Coord({"run", "-i", inventory, "--agents-file", dir_ + "/agents.yaml", "--cmd",
                   "sh clock", "--format", "jsonl"}),
            0)
      << ReadFile(dir_ + "/coord.err");
  std::vector<Record> records = ParseJsonl(ReadFile(dir_ + "/coord.out"));
  ASSERT_EQ(records.size(), 40u);
  for (const Record& record : records) {
    int index = std::atoi(record.name.c_str() + 3);
    EXPECT_TRUE(record.ok) << record.name << " " << record.code << " " << record.message;
    // The file's name for an agent wins over the agent's own.
    EXPECT_EQ(record.agent, index <= 20 ? "east-1" : "agent-west") << record.name;
  }

  // The fence is real: from east's source address only east gets in.
  EXPECT_EQ(Coord({"run", "-i", inventory, "--cmd", "sh clock", "--format", "jsonl",
                   "--source-address", "127.0.10.1"}, "embedded.out"),
            1);
  int ok = 0;
  for (const Record& record : ParseJsonl(ReadFile(dir_ + "/embedded.out"))) {
    int index = std::atoi(record.name.c_str() + 3);
    EXPECT_EQ(record.ok, index <= 20) << record.name;
    if (!record.ok) {
      EXPECT_EQ(record.code, "CONNECT_REFUSED") << record.name;
    }
    ok += record.ok;
  }
  EXPECT_EQ(ok, 20);

  // An agents file that assigns west's agent to east sends it there, where
  // its source address is refused: the file's segments are what a run uses.
  std::ofstream(dir_ + "/wrong.yaml") << "agents:\n- address: " << west
                                      << "\n  segments: [east]\n";
  EXPECT_EQ(Coord({"run", "-i", inventory, "--agents-file", dir_ + "/wrong.yaml", "--cmd",
                   "sh clock", "--format", "jsonl", "--filter", "segment=east", "--limit-to",
                   "3"}, "wrong.out"),
            1);
  for (const Record& record : ParseJsonl(ReadFile(dir_ + "/wrong.out"))) {
    EXPECT_EQ(record.code, "CONNECT_REFUSED") << record.name;
  }
  EXPECT_EQ(Coord({"run", "--agents-file", dir_ + "/nope.yaml", "-i", inventory, "--cmd", "x"}),
            2);
  EXPECT_THAT(ReadFile(dir_ + "/coord.err"), HasSubstr("nope.yaml: cannot read the agents file"));
}

TEST_F(FleetE2eTest, AddedAgentIsUsedAtOnceAndARestartedOneRejoins) {
  std::string a = LoopbackAddress();
  std::string b = LoopbackAddress();
  auto agent_a = StartAgent(a, "agent-a", "10");
  ASSERT_TRUE(agent_a != nullptr);
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--agent", a, "--agent", b, "--cmd",
                   "sh clock", "--format", "jsonl"}),
            1);
  // b is not up yet: the run goes on without it.
  std::vector<Record> records = ParseJsonl(ReadFile(dir_ + "/coord.out"));
  ExpectFleetResults(records, /*input_order=*/false);
  EXPECT_EQ(ByAgent(records)["agent-a"], kDevices);

  // Scale out: start b; the same command now spreads over both.
  auto agent_b = StartAgent(b, "agent-b", "10");
  ASSERT_TRUE(agent_b != nullptr);
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--agent", a, "--agent", b, "--cmd",
                   "sh clock", "--format", "jsonl"}),
            1);
  records = ParseJsonl(ReadFile(dir_ + "/coord.out"));
  ExpectFleetResults(records, /*input_order=*/false);
  std::map<std::string, int> by_agent = ByAgent(records);
  EXPECT_GT(by_agent["agent-a"], 30);
  EXPECT_GT(by_agent["agent-b"], 30);

  // a dies and comes back on its address: the next run uses it again.
  agent_a->Signal(SIGKILL);
  ASSERT_TRUE(agent_a->Wait(absl::Seconds(10)).ok());
  agent_a = StartAgent(a, "agent-a", "10");
  ASSERT_TRUE(agent_a != nullptr);
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--agent", a, "--agent", b, "--cmd",
                   "sh clock", "--format", "jsonl"}),
            1);
  records = ParseJsonl(ReadFile(dir_ + "/coord.out"));
  ExpectFleetResults(records, /*input_order=*/false);
  EXPECT_GT(ByAgent(records)["agent-a"], 30);
}

TEST_F(FleetE2eTest, HungAgentIsDetectedAndItsJobsMove) {
  std::string a = LoopbackAddress();
  std::string b = LoopbackAddress();
  auto agent_a = StartAgent(a, "agent-a", "20");
  auto agent_b = StartAgent(b, "agent-b", "20");
  ASSERT_TRUE(agent_a && agent_b);
  auto coord = StartCoord({"run", "-i", dir_ + "/fleet.yaml", "--agent", a, "--agent", b,
                           "--cmd", "sh clock", "--format", "jsonl",
                           "--agent-silence-timeout", "8"});
  ASSERT_TRUE(coord != nullptr);
  AwaitOutput(2000);
  // Stopped, not dead: its stream stays open, it just never answers again.
  agent_a->Signal(SIGSTOP);
  absl::StatusOr<int> status = coord->Wait(absl::Seconds(120));
  agent_a->Signal(SIGCONT);
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(*status, 1) << ReadFile(dir_ + "/coord.err");
  EXPECT_THAT(ReadFile(dir_ + "/coord.err"), HasSubstr("silent too long"));
  std::vector<Record> records = ParseJsonl(ReadFile(dir_ + "/coord.out"));
  ExpectFleetResults(records, /*input_order=*/false);
}

TEST_F(FleetE2eTest, RunWideLimitHoldsAcrossAgents) {
  std::ofstream(dir_ + "/slow-config.yaml") << "devices:\n- index: 1-60\n  command_delay_ms: 300\n";
  auto slow = StartDevsim(dir_, "slow", {"--count", "60", "--config", dir_ + "/slow-config.yaml",
                                         "--first-address", "127.5.0.1"});
  ASSERT_TRUE(slow != nullptr);
  std::string a = LoopbackAddress();
  std::string b = LoopbackAddress();
  auto agent_a = StartAgent(a, "agent-a", "50");
  auto agent_b = StartAgent(b, "agent-b", "50");
  ASSERT_TRUE(agent_a && agent_b);
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/slow.yaml", "--agent", a, "--agent", b, "--cmd",
                   "sh clock", "--format", "jsonl", "--limit", "10"}),
            0)
      << ReadFile(dir_ + "/coord.err");
  EXPECT_EQ(ParseJsonl(ReadFile(dir_ + "/coord.out")).size(), 60u);
  slow->Signal(SIGTERM);
  ASSERT_EQ(*slow->Wait(absl::Seconds(30)), 0);
  // 100 workers between them, yet never more than 10 devices at once (one
  // or two more while devsim counts a closing session beside its successor).
  int peak = PeakSessions(ReadFile(dir_ + "/slow.log"));
  EXPECT_LE(peak, 12) << ReadFile(dir_ + "/slow.log");
  EXPECT_GE(peak, 8);
}

TEST_F(FleetE2eTest, LoginsArePacedPerSegmentAcrossAgents) {
  std::string a = LoopbackAddress();
  std::string b = LoopbackAddress();
  auto agent_a = StartAgent(a, "agent-a", "4");
  auto agent_b = StartAgent(b, "agent-b", "4");
  ASSERT_TRUE(agent_a && agent_b);
  // 12 devices in one segment at 5 logins/s: the last starts >= 2.2 s after
  // the first, whichever agent runs it.
  absl::Time start = absl::Now();
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--agent", a, "--agent", b, "--cmd",
                   "sh clock", "--format", "jsonl", "--limit-to", "12",
                   "--max-logins-per-second", "5"}),
            0)
      << ReadFile(dir_ + "/coord.err");
  absl::Duration wall = absl::Now() - start;
  std::vector<Record> records = ParseJsonl(ReadFile(dir_ + "/coord.out"));
  ASSERT_EQ(records.size(), 12u);
  EXPECT_GE(wall, absl::Milliseconds(2200));
  std::map<std::string, int> by_agent = ByAgent(records);
  EXPECT_GT(by_agent["agent-a"], 0);
  EXPECT_GT(by_agent["agent-b"], 0);
}

// A fleet whose every command takes a minute, and coord with 5 of its 10
// devices in progress.
class InterruptE2eTest : public FleetE2eTest {
 protected:
  void StartHungFleet() {
    std::ofstream(dir_ + "/hung-config.yaml") << "devices:\n- index: 1-10\n  command_delay_ms: 60000\n";
    hung_ = StartDevsim(dir_, "hung", {"--count", "10", "--config", dir_ + "/hung-config.yaml",
                                       "--first-address", "127.6.0.1"});
    ASSERT_TRUE(hung_ != nullptr);
  }

  // Every device ended CANCELLED; how many did so while their command ran.
  int ExpectAllCancelled() {
    std::vector<Record> records = ParseJsonl(ReadFile(dir_ + "/coord.out"));
    EXPECT_EQ(records.size(), 10u) << ReadFile(dir_ + "/coord.err");
    int mid_command = 0;
    for (const Record& record : records) {
      EXPECT_EQ(record.code, "CANCELLED") << record.name << " " << record.message;
      mid_command += absl::StrContains(record.message, "while the device worked");
    }
    EXPECT_THAT(ReadFile(dir_ + "/coord.err"),
                HasSubstr("10 devices: 0 ok, 10 failed (CANCELLED 10)"));
    return mid_command;
  }

  std::unique_ptr<Subprocess> hung_;
};

TEST_F(InterruptE2eTest, GracePeriodEndsThenDevicesInProgressAreCancelled) {
  StartHungFleet();
  auto coord = StartCoord({"run", "-i", dir_ + "/hung.yaml", "--cmd", "sh clock", "--limit",
                           "5", "--format", "jsonl", "--grace", "1"});
  ASSERT_TRUE(coord != nullptr);
  absl::SleepFor(absl::Seconds(2));  // five sessions are waiting on their command
  absl::Time interrupted = absl::Now();
  coord->Signal(SIGINT);
  absl::StatusOr<int> status = coord->Wait(absl::Seconds(45));
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(*status, 130) << ReadFile(dir_ + "/coord.err");
  // Well before the devices' minute: the grace period, then a read or two.
  EXPECT_LT(absl::Now() - interrupted, absl::Seconds(30));
  EXPECT_THAT(ReadFile(dir_ + "/coord.err"), HasSubstr("grace period over"));
  EXPECT_GT(ExpectAllCancelled(), 0);
}

TEST_F(InterruptE2eTest, SecondInterruptCancelsDevicesOnAnAgentAtOnce) {
  StartHungFleet();
  std::string a = LoopbackAddress();
  auto agent = StartAgent(a, "agent-a", "5");
  ASSERT_TRUE(agent != nullptr);
  auto coord = StartCoord({"run", "-i", dir_ + "/hung.yaml", "--agent", a, "--cmd", "sh clock",
                           "--format", "jsonl", "--grace", "600", "--journal",
                           dir_ + "/journal.jsonl"});
  ASSERT_TRUE(coord != nullptr);
  absl::SleepFor(absl::Seconds(2));
  coord->Signal(SIGINT);
  absl::SleepFor(absl::Milliseconds(500));
  coord->Signal(SIGINT);  // do not wait out the 600 s
  absl::StatusOr<int> status = coord->Wait(absl::Seconds(45));
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(*status, 130) << ReadFile(dir_ + "/coord.err");
  EXPECT_GT(ExpectAllCancelled(), 0);
  std::vector<std::string> journal =
      absl::StrSplit(ReadFile(dir_ + "/journal.jsonl"), '\n', absl::SkipEmpty());
  EXPECT_EQ(journal.size(), 10u);
  // The agent stopped its sessions too: nothing left running or queued.
  EXPECT_EQ(Coord({"agents", "--agent", a}, "agents.out"), 0);
  std::vector<std::string> rows = absl::StrSplit(ReadFile(dir_ + "/agents.out"), '\n');
  ASSERT_GE(rows.size(), 2u);
  std::vector<std::string> columns = absl::StrSplit(rows[1], ' ', absl::SkipEmpty());
  EXPECT_THAT(columns, ::testing::ElementsAre(a, "ok", "agent-a", "0.1.0", "-", "5", "0", "0"));
}

}  // namespace
}  // namespace netshard
