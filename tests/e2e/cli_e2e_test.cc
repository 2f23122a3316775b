// End to end, what a new user types wrong or reads first: a misspelt
// command, --version, flags that do nothing in the mode given, an address
// this machine does not have, and names from the agents file — the real
// coord (and agent, devsim) processes on loopback.
#include <fstream>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/e2e_fixture.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::ReadFile;

class CliE2eTest : public E2eFixture {};

TEST_F(CliE2eTest, AMisspeltCommandIsNamedWithTheClosestOne) {
  EXPECT_EQ(Coord({"rnu", "-i", dir_ + "/fleet.yaml"}), 2);
  EXPECT_THAT(ReadFile(dir_ + "/coord.err"),
              HasSubstr("coord: unknown command 'rnu'; did you mean 'run'? (commands: run,"));
  EXPECT_EQ(Coord({"--platforms", dir_, "agnets"}), 2);
  EXPECT_THAT(ReadFile(dir_ + "/coord.err"), HasSubstr("did you mean 'agents'?"));
}

TEST_F(CliE2eTest, VersionNeedsNoCommand) {
  EXPECT_EQ(Coord({"--version"}, "version.out"), 0);
  EXPECT_THAT(ReadFile(dir_ + "/version.out"),
              ::testing::MatchesRegex(R"(coord [0-9.]+ \(commit ([0-9a-f]{12}(-dirty)?|unknown)\)\s*)"));
}

TEST_F(CliE2eTest, ASourceAddressThisMachineLacksFailsBeforeAnyDevice) {
  // 192.0.2.0/24 is TEST-NET-1: never assigned, and binding sends nothing.
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--cmd", "sh clock", "--source-address",
                   "192.0.2.1"}),
            2);
  EXPECT_THAT(ReadFile(dir_ + "/coord.err"),
              HasSubstr("--source-address: 192.0.2.1 is not an address of this machine"));
  EXPECT_EQ(ReadFile(dir_ + "/coord.out"), "");
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--cmd", "sh clock", "--source-address",
                   "fe80:::1"}),
            2);
  EXPECT_THAT(ReadFile(dir_ + "/coord.err"), HasSubstr("expected an IP address, got 'fe80:::1'"));
}

TEST_F(CliE2eTest, EngineFlagsWithAgentsAreSaidToDoNothingAndFileNamesShowInResults) {
  std::string a = LoopbackAddress();
  auto agent = StartAgent(a, "agent-a");
  ASSERT_TRUE(agent != nullptr);
  std::ofstream(dir_ + "/agents.yaml") << "agents:\n- address: " << a << "\n  name: msk-1\n";
  // Coord() adds --known-hosts to every run.
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--agents-file", dir_ + "/agents.yaml",
                   "--cmd", "sh clock", "--format", "jsonl", "--source-address", "127.0.0.1"}),
            1);
  std::string err = ReadFile(dir_ + "/coord.err");
  EXPECT_THAT(err, HasSubstr("coord: --known-hosts is not used with agents: each agent has its "
                             "own (agent --known-hosts)"));
  EXPECT_THAT(err, HasSubstr("coord: --source-address is not used with agents"));
  std::vector<Record> records = ParseJsonl(ReadFile(dir_ + "/coord.out"));
  ExpectFleetResults(records, /*input_order=*/false);
  for (const Record& record : records) EXPECT_EQ(record.agent, "msk-1") << record.name;

  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--agents-file", dir_ + "/agents.yaml",
                   "--cmd", "sh clock", "--limit-to", "3"},
                  "text.out"),
            0);
  EXPECT_THAT(ReadFile(dir_ + "/text.out"), HasSubstr(" via msk-1"));
  EXPECT_THAT(ReadFile(dir_ + "/text.out"), Not(HasSubstr(" via agent-a")));
}

}  // namespace
}  // namespace netshard
