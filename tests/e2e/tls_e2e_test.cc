// The control channel over mutual TLS, end to end: certificates from
// deploy/tls/make-certs.sh, a real agent serving TLS, and coord runs that
// succeed with the lab's certificates and are refused without them, with a
// certificate from another CA, or when the agent's name does not match.
#include <signal.h>


#include "absl/strings/str_cat.h"
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

class TlsE2eTest : public E2eFixture {
 protected:
  void SetUp() override {
    E2eFixture::SetUp();
    std::string script = testing::SourceDir() + "/deploy/tls/make-certs.sh";
    for (std::string ca : {"lab", "other"}) {
      auto make = Subprocess::Start({"/bin/bash", script, dir_ + "/" + ca, "agent"}, "",
                                    dir_ + "/" + ca + ".log");
      ASSERT_TRUE(make.ok()) << make.status();
      ASSERT_EQ(*(*make)->Wait(absl::Seconds(60)), 0) << ReadFile(dir_ + "/" + ca + ".log");
    }
    address_ = LoopbackAddress();
    std::string lab = dir_ + "/lab/";
    auto agent = Subprocess::Start(
        {BinDir() + "/agent", "--listen", address_, "--workers", "50", "--name", "tls-agent",
         "--known-hosts", dir_ + "/agent.known", "--tls-cert", lab + "agent.pem", "--tls-key",
         lab + "agent.key", "--tls-client-ca", lab + "ca.pem"},
        "", dir_ + "/agent.log");
    ASSERT_TRUE(agent.ok()) << agent.status();
    agent_ = *std::move(agent);
    EXPECT_TRUE(testing::WaitForText(dir_ + "/agent.log", "event=listening", absl::Seconds(30)).ok());
    ASSERT_THAT(ReadFile(dir_ + "/agent.log"), HasSubstr(" tls=mutual "));
  }

  // coord's TLS flags with material from `ca`'s directory.
  std::vector<std::string> Tls(const std::string& ca) {
    std::string at = dir_ + "/" + ca + "/";
    return {"--tls-ca", dir_ + "/lab/ca.pem", "--tls-cert", at + "coord.pem", "--tls-key",
            at + "coord.key"};
  }

  int Run(const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"run", "-i", dir_ + "/fleet.yaml", "--agent", address_,
                                     "--cmd", "sh clock", "--format", "jsonl"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Coord(args);
  }

  // Every device ended AGENT_LOST: the only agent never took a job.
  void ExpectRefused() {
    std::vector<Record> records = ParseJsonl(ReadFile(dir_ + "/coord.out"));
    ASSERT_EQ(records.size(), static_cast<size_t>(kDevices));
    for (const Record& record : records) ASSERT_EQ(record.code, "AGENT_LOST") << record.name;
  }

  std::string address_;
  std::unique_ptr<Subprocess> agent_;
};

TEST_F(TlsE2eTest, LabCertificatesRunTheFleet) {
  EXPECT_EQ(Run(Tls("lab")), 1) << ReadFile(dir_ + "/coord.err");
  std::vector<Record> records = ParseJsonl(ReadFile(dir_ + "/coord.out"));
  ExpectFleetResults(records, /*input_order=*/false);
  for (const Record& record : records) EXPECT_EQ(record.agent, "tls-agent");

  std::vector<std::string> agents = {"agents", "--agent", address_};
  std::vector<std::string> tls = Tls("lab");
  agents.insert(agents.end(), tls.begin(), tls.end());
  EXPECT_EQ(Coord(agents, "agents.out"), 0);
  EXPECT_THAT(ReadFile(dir_ + "/agents.out"), HasSubstr(" ok     tls-agent "));
}

TEST_F(TlsE2eTest, CoordinatorWithoutACertificateIsRefused) {
  // Not gRPC's "Socket closed": what it means, in run, agents and plan.
  constexpr char kWantsTls[] = "the agent closed the connection at once: it wants TLS";
  EXPECT_EQ(Run({}), 1);
  ExpectRefused();
  EXPECT_THAT(ReadFile(dir_ + "/coord.err"), HasSubstr(kWantsTls));
  EXPECT_EQ(Coord({"agents", "--agent", address_}, "agents.out"), 1);
  EXPECT_THAT(ReadFile(dir_ + "/agents.out"), AllOf(HasSubstr(" DOWN "), HasSubstr(kWantsTls)));
  Coord({"plan", "-i", dir_ + "/fleet.yaml", "--agent", address_}, "plan.out");
  EXPECT_THAT(ReadFile(dir_ + "/plan.out"), HasSubstr(kWantsTls));
}

TEST_F(TlsE2eTest, CoordinatorCertificateFromAnotherCaIsRefused) {
  EXPECT_EQ(Run(Tls("other")), 1);
  ExpectRefused();
  EXPECT_THAT(ReadFile(dir_ + "/coord.err"),
              HasSubstr("TLS handshake failed: the agent refused our certificate"));
}

TEST_F(TlsE2eTest, AnAgentCertificateFromAnotherCaIsNamed) {
  std::vector<std::string> agents = {"agents", "--agent", address_, "--tls-ca",
                                     dir_ + "/other/ca.pem", "--tls-cert", dir_ + "/lab/coord.pem",
                                     "--tls-key", dir_ + "/lab/coord.key"};
  EXPECT_EQ(Coord(agents, "agents.out"), 1);
  EXPECT_THAT(ReadFile(dir_ + "/agents.out"),
              HasSubstr("TLS handshake failed: the agent's certificate is not signed by --tls-ca"));
}

TEST_F(TlsE2eTest, AgentWhoseNameDoesNotMatchIsRefused) {
  std::vector<std::string> flags = Tls("lab");
  flags.insert(flags.end(), {"--tls-server-name", "someone-else"});
  EXPECT_EQ(Run(flags), 1);
  ExpectRefused();
  flags.back() = "agent";  // the name its certificate carries
  EXPECT_EQ(Run(flags), 1);
  ExpectFleetResults(ParseJsonl(ReadFile(dir_ + "/coord.out")), /*input_order=*/false);
}

TEST_F(TlsE2eTest, TlsFlagMistakesAreUsageErrors) {
  EXPECT_EQ(Run({"--tls-ca", dir_ + "/lab/ca.pem"}), 2);
  EXPECT_THAT(ReadFile(dir_ + "/coord.err"), HasSubstr("--tls-cert is missing"));
  EXPECT_EQ(Run({"--tls-ca", dir_ + "/lab/ca.key", "--tls-cert", dir_ + "/lab/coord.pem",
                 "--tls-key", dir_ + "/lab/coord.key"}),
            2);
  EXPECT_THAT(ReadFile(dir_ + "/coord.err"), HasSubstr("holds no PEM certificate"));
  auto agent = Subprocess::Start({BinDir() + "/agent", "--listen", LoopbackAddress(),
                                  "--tls-cert", dir_ + "/lab/agent.pem"},
                                 "", dir_ + "/bad-agent.log");
  ASSERT_TRUE(agent.ok());
  EXPECT_EQ(*(*agent)->Wait(absl::Seconds(30)), 2);
  EXPECT_THAT(ReadFile(dir_ + "/bad-agent.log"), HasSubstr("--tls-client-ca is missing"));
}

TEST_F(TlsE2eTest, PlaintextOffLoopbackIsRefusedAtStart) {
  // Refused before it binds anything: no port is opened off loopback.
  auto agent = Subprocess::Start({BinDir() + "/agent", "--listen", "0.0.0.0:0"}, "",
                                 dir_ + "/open-agent.log");
  ASSERT_TRUE(agent.ok());
  EXPECT_EQ(*(*agent)->Wait(absl::Seconds(30)), 2);
  EXPECT_THAT(ReadFile(dir_ + "/open-agent.log"),
              HasSubstr("refusing to listen on 0.0.0.0:0 without TLS"));
}

}  // namespace
}  // namespace netshard
