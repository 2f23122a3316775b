// End to end, --transport exec: every command as an SSH exec, in process
// and through an agent, and what exec refuses up front.
#include <filesystem>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/e2e_fixture.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;
using testing::ReadFile;

class ExecE2eTest : public E2eFixture {};

TEST_F(ExecE2eTest, ExecTransportInProcessAndThroughAnAgent) {
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--cmd", "sh clock", "--order", "input",
                   "--format", "jsonl", "--transport", "exec"}),
            1);
  ExpectFleetResults(ParseJsonl(ReadFile(dir_ + "/coord.out")), /*input_order=*/true);
  std::string a = LoopbackAddress();
  auto agent = StartAgent(a, "agent-a");
  ASSERT_TRUE(agent);
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--agent", a, "--cmd", "sh clock",
                   "--cmd", "show version", "--format", "jsonl", "--transport", "exec"}),
            1);
  std::vector<Record> records = ParseJsonl(ReadFile(dir_ + "/coord.out"));
  ExpectFleetResults(records, /*input_order=*/false);
  for (const Record& record : records) {
    if (!record.ok) continue;
    ASSERT_EQ(record.outputs.size(), 2u) << record.name;
    EXPECT_THAT(record.outputs[1].output(), HasSubstr("Cisco IOS Software")) << record.name;
  }
  // Exec has no configuration mode and no prompts to answer: refused up front.
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--config", "hostname x", "--transport",
                   "exec"}),
            2);
  EXPECT_THAT(ReadFile(dir_ + "/coord.err"), HasSubstr("--config needs --transport shell"));
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--cmd", "reload", "--expect", "confirm",
                   "--transport", "exec"}),
            2);
  EXPECT_THAT(ReadFile(dir_ + "/coord.err"), HasSubstr("--expect answers a shell's prompts"));
}

}  // namespace
}  // namespace netshard
