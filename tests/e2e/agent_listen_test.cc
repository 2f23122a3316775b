// How `agent --listen` fails, as a user starting the real binary meets it:
// a port another agent holds is refused (gRPC would share it through
// SO_REUSEPORT and split the traffic), and a missing port is named as such.
#include <signal.h>

#include <filesystem>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/e2e_fixture.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::BinDir;
using testing::ReadFile;
using testing::Subprocess;

class AgentListenTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::MakeTempDir(); }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Subprocess> Agent(const std::string& listen, const std::string& log) {
    auto agent = Subprocess::Start({BinDir() + "/agent", "--listen", listen, "--workers", "2",
                                    "--known-hosts", dir_ + "/known_hosts"},
                                   "", dir_ + "/" + log);
    EXPECT_TRUE(agent.ok()) << agent.status();
    return agent.ok() ? *std::move(agent) : nullptr;
  }

  // The agent's exit status; it must exit on its own, at once.
  int ExitOf(Subprocess& agent) {
    absl::StatusOr<int> status = agent.Wait(absl::Seconds(10));
    EXPECT_TRUE(status.ok()) << status.status();
    return status.value_or(-1);
  }

  std::string dir_;
};

TEST_F(AgentListenTest, RefusesAPortAnotherAgentHolds) {
  std::string address = LoopbackAddress();
  std::unique_ptr<Subprocess> first = Agent(address, "first.log");
  ASSERT_TRUE(first != nullptr);
  EXPECT_TRUE(testing::WaitForText(dir_ + "/first.log", "event=listening", absl::Seconds(6)).ok());
  ASSERT_THAT(ReadFile(dir_ + "/first.log"), HasSubstr("event=listening"));

  std::unique_ptr<Subprocess> second = Agent(address, "second.log");
  ASSERT_TRUE(second != nullptr);
  EXPECT_EQ(ExitOf(*second), 2);
  std::string said = ReadFile(dir_ + "/second.log");
  EXPECT_THAT(said, HasSubstr("agent: cannot listen on " + address + ": the port is taken"));
  EXPECT_THAT(said, Not(HasSubstr("event=listening")));

  // The first keeps serving, and stops cleanly.
  first->Signal(SIGTERM);
  EXPECT_EQ(ExitOf(*first), 0) << ReadFile(dir_ + "/first.log");
}

TEST_F(AgentListenTest, AListenAddressWithoutAPortSaysSoNotTls) {
  std::unique_ptr<Subprocess> agent = Agent("127.0.0.1", "agent.log");
  ASSERT_TRUE(agent != nullptr);
  EXPECT_EQ(ExitOf(*agent), 2);
  std::string said = ReadFile(dir_ + "/agent.log");
  EXPECT_THAT(said, HasSubstr("'127.0.0.1' has no port: give HOST:PORT"));
  EXPECT_THAT(said, Not(HasSubstr("TLS")));
}

}  // namespace
}  // namespace netshard
