// End to end, what must never stall or lie: a reader of coord's stdout
// slower than the fleet, a coordinator that stops reading an agent shared
// with another, and a journal that cannot be written — real devsim, agent
// and coord processes on loopback.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <set>

#include "absl/base/config.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/e2e_fixture.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::ReadFile;
using testing::Subprocess;

class SlowPeersE2eTest : public E2eFixture {
 protected:
  // A FIFO at `path`, open for reading. Opened before its writer starts:
  // posix_spawn holds the parent until the child runs, and the child's open
  // of a FIFO for writing waits for a reader.
  int OpenFifo(const std::string& path) {
    EXPECT_EQ(mkfifo(path.c_str(), 0600), 0) << path;
    int fd = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    EXPECT_GE(fd, 0) << path;
    if (fd >= 0) fcntl(fd, F_SETFL, 0);  // blocking reads from here on
    return fd;
  }

  // Everything written to `fd` until its writer closes it, read only after
  // `nap` (bounded: two minutes in all).
  std::string ReadAfter(int fd, absl::Duration nap) {
    absl::SleepFor(nap);
    std::string text;
    absl::Time deadline = absl::Now() + absl::Minutes(2);
    char buffer[1 << 16];
    while (absl::Now() < deadline) {
      pollfd ready{fd, POLLIN, 0};
      if (poll(&ready, 1, 1000) <= 0) continue;
      ssize_t got = read(fd, buffer, sizeof(buffer));
      if (got <= 0) break;
      text.append(buffer, static_cast<size_t>(got));
    }
    close(fd);
    return text;
  }

  // A coordinator asking agent `address` for big outputs, stopped (Ctrl-Z)
  // once they flow: its stream fills while the agent holds its jobs. Its
  // output goes to stalled.out and stalled.err. `extra` flags are added.
  std::unique_ptr<Subprocess> StartStoppedCoordinator(const std::string& address,
                                                      const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"run", "-i", dir_ + "/fleet.yaml", "--agent", address,
                                     "--cmd", "show tech-support", "--format", "jsonl"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto coord = StartCoord(args, "stalled.out", "stalled.err");
    if (coord == nullptr) return nullptr;
    for (int i = 0; i < 3000 && ReadFile(dir_ + "/stalled.out").size() < (256 << 10); ++i) {
      absl::SleepFor(absl::Milliseconds(5));
    }
    coord->Signal(SIGSTOP);
    return coord;
  }

  std::map<std::string, int> Codes(const std::vector<Record>& records) {
    std::map<std::string, int> codes;
    for (const Record& record : records) ++codes[record.ok ? "OK" : record.code];
    return codes;
  }
};

TEST_F(SlowPeersE2eTest, AReaderSlowerThanTheAgentsSilenceLimitLosesNoAgent) {
  std::string a = LoopbackAddress();
  auto agent = StartAgent(a, "agent-a");
  ASSERT_TRUE(agent != nullptr);
  int fifo = OpenFifo(dir_ + "/coord.fifo");
  ASSERT_GE(fifo, 0);
  // 60 devices of 64 KiB each: far more than a pipe holds, so coord's
  // stdout blocks for the whole nap, three times the silence limit.
  auto coord = StartCoord({"run", "-i", dir_ + "/fleet.yaml", "--agent", a, "--limit-to", "60",
                           "--cmd", "show tech-support", "--format", "jsonl",
                           "--agent-silence-timeout", "2"},
                          "coord.fifo");
  ASSERT_TRUE(coord != nullptr);
  std::string out = ReadAfter(fifo, absl::Seconds(6));
  absl::StatusOr<int> status = coord->Wait(absl::Seconds(60));
  ASSERT_TRUE(status.ok()) << status.status();
  std::string err = ReadFile(dir_ + "/coord.err");
  EXPECT_EQ(*status, 1) << err;  // sim58's wrong password, nothing else
  std::vector<Record> records = ParseJsonl(out);
  ASSERT_EQ(records.size(), 60u) << err;
  EXPECT_EQ(Codes(records), (std::map<std::string, int>{{"OK", 59}, {"AUTH_FAILED", 1}})) << err;
  EXPECT_THAT(err, Not(HasSubstr("lost")));
  for (const Record& record : records) {
    EXPECT_TRUE(!record.ok || record.output.size() >= 60000u) << record.name;
  }
}

TEST_F(SlowPeersE2eTest, ACoordinatorThatStopsReadingDoesNotSlowAnotherOnTheSameAgent) {
  std::string a = LoopbackAddress();
  auto agent = StartAgent(a, "agent-a");
  ASSERT_TRUE(agent != nullptr);
  // Ten commands a device (20 ms each): long enough a run to time.
  std::vector<std::string> run = {"run", "-i", dir_ + "/fleet.yaml", "--agent", a, "--format",
                                  "jsonl"};
  for (int i = 0; i < 10; ++i) run.insert(run.end(), {"--cmd", "sh clock"});
  absl::Time start = absl::Now();
  ASSERT_EQ(Coord(run, "solo.out"), 1);
  absl::Duration solo = absl::Now() - start;

  auto stopped = StartStoppedCoordinator(a, {"--journal", dir_ + "/stalled.jsonl"});
  ASSERT_TRUE(stopped != nullptr);
  // Its jobs already on the agent finish (their results wait in its
  // outbox) before the timed run starts: what is measured is whether the
  // stopped stream still holds workers. Blocked in a write, they would
  // count as running for good.
  bool idle = false;
  for (int i = 0; i < 100 && !idle; ++i) {
    Coord({"agents", "--agent", a}, "agents.out");
    std::vector<std::string> columns =
        absl::StrSplit(ReadFile(dir_ + "/agents.out"), ' ', absl::SkipWhitespace());
    idle = columns.size() >= 2 && columns[columns.size() - 2] == "0";  // RUNNING, QUEUED
    if (!idle) absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_TRUE(idle) << ReadFile(dir_ + "/agents.out");

  start = absl::Now();
  EXPECT_EQ(Coord(run, "shared.out"), 1);
  absl::Duration shared = absl::Now() - start;
  stopped->Signal(SIGCONT);
  ExpectFleetResults(ParseJsonl(ReadFile(dir_ + "/shared.out")), /*input_order=*/false);
#if defined(ABSL_HAVE_ADDRESS_SANITIZER) || defined(ABSL_HAVE_THREAD_SANITIZER)
  const double bound = 1.6;  // a sanitized agent's timing wanders more
#else
  const double bound = 1.3;
#endif
  EXPECT_LE(shared, solo * bound) << "solo " << solo << ", beside a stopped coordinator "
                                  << shared;

  // Resumed well within the agent's stall limit, it finishes too.
  absl::StatusOr<int> status = stopped->Wait(absl::Seconds(120));
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(*status, 1) << ReadFile(dir_ + "/stalled.err");
  std::vector<Record> records = ParseJsonl(ReadFile(dir_ + "/stalled.out"));
  EXPECT_EQ(Codes(records), (std::map<std::string, int>{{"OK", 199}, {"AUTH_FAILED", 1}}));
}

TEST_F(SlowPeersE2eTest, ACoordinatorStoppedPastTheStallLimitLosesItsRunNotTheAgent) {
  std::string a = LoopbackAddress();
  auto agent = StartAgent(a, "agent-a", "100", {"--stall-timeout", "2"});
  ASSERT_TRUE(agent != nullptr);
  // Woken, it finds the agent gone silent on its stream: a short silence
  // limit keeps the test short.
  auto stopped = StartStoppedCoordinator(a, {"--agent-silence-timeout", "3"});
  ASSERT_TRUE(stopped != nullptr);
  EXPECT_TRUE(testing::WaitForText(dir_ + "/agent-a.log", "has not read", absl::Seconds(15)).ok());
  EXPECT_THAT(ReadFile(dir_ + "/agent-a.log"), HasSubstr("the coordinator has not read for 2s"));
  // The agent serves the next coordinator at once.
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--agent", a, "--cmd", "sh clock",
                   "--format", "jsonl"},
                  "next.out"),
            1);
  ExpectFleetResults(ParseJsonl(ReadFile(dir_ + "/next.out")), /*input_order=*/false);
  // Woken, the stopped one finds its stream gone: every device still ends
  // with exactly one result.
  stopped->Signal(SIGCONT);
  absl::StatusOr<int> status = stopped->Wait(absl::Seconds(120));
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(*status, 1);
  std::vector<Record> records = ParseJsonl(ReadFile(dir_ + "/stalled.out"));
  std::set<std::string> names;
  for (const Record& record : records) names.insert(record.name);
  EXPECT_EQ(records.size(), 200u) << ReadFile(dir_ + "/stalled.err");
  EXPECT_EQ(names.size(), 200u);
}

TEST_F(SlowPeersE2eTest, SigtermDrainIsBoundedWhateverAStoppedCoordinatorDoes) {
  std::string a = LoopbackAddress();
  auto agent = StartAgent(a, "agent-a", "100", {"--drain-timeout", "2"});
  ASSERT_TRUE(agent != nullptr);
  // Woken, it finds the agent gone silent on its stream: a short silence
  // limit keeps the test short.
  auto stopped = StartStoppedCoordinator(a, {"--agent-silence-timeout", "3"});
  ASSERT_TRUE(stopped != nullptr);
  absl::SleepFor(absl::Seconds(1));  // its stream fills
  absl::Time start = absl::Now();
  agent->Signal(SIGTERM);
  absl::StatusOr<int> status = agent->Wait(absl::Seconds(30));
  absl::Duration took = absl::Now() - start;
  stopped->Signal(SIGCONT);
  ASSERT_TRUE(status.ok()) << status.status();
  // The drain notice never waits on the stopped stream, and the drain
  // timeout (2 s), not the stall limit (60 s), bounds the exit.
  EXPECT_LT(took, absl::Seconds(20)) << ReadFile(dir_ + "/agent-a.log");
  EXPECT_THAT(ReadFile(dir_ + "/agent-a.log"), HasSubstr("event=draining"));
  EXPECT_TRUE(stopped->Wait(absl::Seconds(120)).ok());
}

TEST_F(SlowPeersE2eTest, AJournalThatCannotBeWrittenIsReportedAndStopsAConfigRun) {
  // /dev/full fails every write with ENOSPC, as a full filesystem does.
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--cmd", "sh clock", "--format", "jsonl",
                   "--journal", "/dev/full"}),
            3);
  std::string err = ReadFile(dir_ + "/coord.err");
  EXPECT_THAT(err, HasSubstr("coord: journal /dev/full: write failed: No space left on device; "
                             "the run goes on"));
  EXPECT_THAT(err, HasSubstr("the journal is missing 200 of 200 results"));
  // A show run goes on printing every result.
  std::vector<Record> records = ParseJsonl(ReadFile(dir_ + "/coord.out"));
  EXPECT_EQ(Codes(records), (std::map<std::string, int>{{"OK", 199}, {"AUTH_FAILED", 1}}));

  // A config run can no longer promise "never applied twice": nothing new
  // starts once the journal fails.
  std::ofstream(dir_ + "/change.txt") << "interface Loopback7\n description by-netshard\n";
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--config-file", dir_ + "/change.txt",
                   "--format", "jsonl", "--limit", "4", "--journal", "/dev/full"},
                  "config.out"),
            3);
  err = ReadFile(dir_ + "/coord.err");
  EXPECT_THAT(err, HasSubstr("no further devices start (config run)"));
  records = ParseJsonl(ReadFile(dir_ + "/config.out"));
  ASSERT_EQ(records.size(), 200u);
  std::map<std::string, int> codes = Codes(records);
  EXPECT_LE(codes["OK"], 8) << err;  // those already started when it failed
  EXPECT_GE(codes["CANCELLED"], 190) << err;
  for (const Record& record : records) {
    if (record.code == "CANCELLED") {
      EXPECT_THAT(record.message, HasSubstr("not started: journal /dev/full: write failed"));
      break;
    }
  }
}

TEST_F(SlowPeersE2eTest, ResumeRefusesATornJournalUntilRepaired) {
  std::string journal = dir_ + "/run.jsonl";
  ASSERT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--cmd", "sh clock", "--format", "jsonl",
                   "--journal", journal, "--limit-to", "10"}),
            0);
  std::ofstream(journal, std::ios::app) << R"({"name":"sim11","ip":"127.)";  // a crash mid-write
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--cmd", "sh clock", "--format", "jsonl",
                   "--resume", journal}),
            2);
  EXPECT_THAT(ReadFile(dir_ + "/coord.err"),
              HasSubstr(absl::StrCat(journal, ":11: the last line is torn")));
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--cmd", "sh clock", "--format", "jsonl",
                   "--resume", journal, "--repair-journal"}),
            1);
  EXPECT_THAT(ReadFile(dir_ + "/coord.err"), HasSubstr(":11: cut off the torn last line"));
  EXPECT_EQ(ParseJsonl(ReadFile(dir_ + "/coord.out")).size(), 190u);
  EXPECT_EQ(ParseJsonl(ReadFile(journal)).size(), 200u);  // every line whole again
}

}  // namespace
}  // namespace netshard
