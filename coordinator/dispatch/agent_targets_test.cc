#include "coordinator/dispatch/agent_targets.h"

#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A fake DNS: one headless-Service name with three agents.
absl::StatusOr<std::vector<std::string>> FakeDns(const std::string& host) {
  if (host == "agents.netshard.svc") return std::vector<std::string>{"127.0.3.1", "127.0.3.2", "::1"};
  if (host == "empty.example") return std::vector<std::string>{};
  // Never dialled: these tests only resolve and check.
  if (host == "remote.example") return std::vector<std::string>{"10.0.0.5"};
  return absl::NotFoundError("cannot resolve " + host);
}

std::vector<std::string> Addresses(const std::vector<AgentTarget>& targets) {
  std::vector<std::string> addresses;
  for (const AgentTarget& target : targets) addresses.push_back(target.address);
  return addresses;
}

class AgentsFileTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& text) {
    std::ofstream(path_) << text;
    return path_;
  }
  // A file that passes for PEM of `kind`; its text is `tag`.
  std::string Pem(const std::string& name, const std::string& kind, const std::string& tag) {
    std::string path = ::testing::TempDir() + "/" + name;
    std::ofstream(path) << "-----BEGIN " << kind << "-----\n" << tag << "\n-----END " << kind
                        << "-----\n";
    pems_.push_back(path);
    return path;
  }
  TlsFiles Lab() {
    return {Pem("ca.pem", "CERTIFICATE", "lab-ca"), Pem("coord.pem", "CERTIFICATE", "coord"),
            Pem("coord.key", "PRIVATE KEY", "coord-key")};
  }
  void TearDown() override {
    std::filesystem::remove(path_);
    for (const std::string& pem : pems_) std::filesystem::remove(pem);
  }
  std::string path_ = ::testing::TempDir() + "/agents.yaml";
  std::vector<std::string> pems_;
};

TEST_F(AgentsFileTest, PlaintextOffLoopbackIsRefusedUnlessInsecure) {
  AgentSources sources;
  sources.dns_names = {"remote.example:50061"};
  EXPECT_THAT(CollectAgents(sources, FakeDns).status().message(),
              HasSubstr("agent 10.0.0.5:50061: not on loopback, and plaintext would carry device "
                        "credentials in the clear"));
  sources.insecure = true;
  EXPECT_TRUE(CollectAgents(sources, FakeDns).ok());
  sources.insecure = false;
  sources.tls = Lab();
  sources.tls_server_name = "agent.lab";
  auto targets = CollectAgents(sources, FakeDns);
  ASSERT_TRUE(targets.ok()) << targets.status();
  ASSERT_TRUE((*targets)[0].tls.has_value());
  EXPECT_THAT((*targets)[0].tls->material.ca_pem, HasSubstr("lab-ca"));
  EXPECT_EQ((*targets)[0].tls->server_name, "agent.lab");
  sources.tls.key = "";
  EXPECT_THAT(CollectAgents(sources, FakeDns).status().message(),
              HasSubstr("--tls-key is missing"));
}

TEST_F(AgentsFileTest, EntriesTakeTheirOwnTlsOverTheFlags) {
  TlsFiles lab = Lab();
  std::string other_ca = Pem("other-ca.pem", "CERTIFICATE", "other-ca");
  Write("agents:\n"
        "- address: 127.0.0.1:50061\n"
        "- address: 127.0.0.1:50062\n"
        "  tls: {ca: " + other_ca + ", server_name: agent-b}\n");
  AgentSources sources;
  sources.agents_file = path_;
  sources.tls = lab;
  auto targets = CollectAgents(sources, FakeDns);
  ASSERT_TRUE(targets.ok()) << targets.status();
  ASSERT_EQ(targets->size(), 2u);
  EXPECT_THAT((*targets)[0].tls->material.ca_pem, HasSubstr("lab-ca"));
  EXPECT_THAT((*targets)[1].tls->material.ca_pem, HasSubstr("other-ca"));
  EXPECT_THAT((*targets)[1].tls->material.cert_pem, HasSubstr("coord"));  // from the flag
  EXPECT_EQ((*targets)[1].tls->server_name, "agent-b");
  Write("agents:\n- address: 127.0.0.1:50061\n  tls: {ca: /nowhere.pem}\n");
  EXPECT_THAT(CollectAgents(sources, FakeDns).status().message(),
              HasSubstr(":3: field 'tls': tls.ca /nowhere.pem: cannot read"));
  Write("agents:\n- address: 127.0.0.1:50061\n  tls: {pin: x}\n");
  EXPECT_THAT(CollectAgents(sources, FakeDns).status().message(),
              HasSubstr(":3: field 'tls.pin': unknown field; known: ca, cert, key, server_name"));
}

TEST(AgentTargetsTest, EveryAddressANameResolvesToIsOneAgent) {
  auto targets = DiscoverAgents("agents.netshard.svc:50061", FakeDns);
  ASSERT_TRUE(targets.ok()) << targets.status();
  EXPECT_THAT(Addresses(*targets),
              ElementsAre("127.0.3.1:50061", "127.0.3.2:50061", "[::1]:50061"));
}

TEST(AgentTargetsTest, NameWithNoAddressOrUnresolvableIsAnError) {
  EXPECT_THAT(DiscoverAgents("empty.example:1", FakeDns).status().message(),
              HasSubstr("resolves to no address"));
  EXPECT_THAT(DiscoverAgents("nowhere:1", FakeDns).status().message(),
              HasSubstr("cannot resolve nowhere"));
  EXPECT_FALSE(DiscoverAgents("no-port", FakeDns).ok());
}

TEST(AgentTargetsTest, SystemResolverFindsLocalhostOnLoopback) {
  auto addresses = ResolveWithSystem("127.0.0.7");
  ASSERT_TRUE(addresses.ok()) << addresses.status();
  EXPECT_THAT(*addresses, ElementsAre("127.0.0.7"));
}

TEST(AgentTargetsTest, CollectsAllSourcesOnceEach) {
  AgentSources sources;
  sources.addresses = {"127.0.3.2:50061", "127.0.0.1:50062"};
  sources.dns_names = {"agents.netshard.svc:50061"};
  auto targets = CollectAgents(sources, FakeDns);
  ASSERT_TRUE(targets.ok()) << targets.status();
  EXPECT_THAT(Addresses(*targets), ElementsAre("127.0.3.2:50061", "127.0.0.1:50062",
                                               "127.0.3.1:50061", "[::1]:50061"));
}

TEST_F(AgentsFileTest, ListsAddressesNamesSegmentsAndDnsEntries) {
  Write(
      "agents:\n"
      "- address: 127.0.0.1:50061\n"
      "  name: msk-1\n"
      "  segments: [msk, msk-oob]\n"
      "- dns: agents.netshard.svc:50062\n"
      "  name: k8s\n");
  auto targets = LoadAgentsFile(path_, FakeDns);
  ASSERT_TRUE(targets.ok()) << targets.status();
  ASSERT_EQ(targets->size(), 4u);
  EXPECT_EQ((*targets)[0].label, "msk-1");
  EXPECT_EQ((*targets)[0].segments, (Segments{"msk", "msk-oob"}));
  EXPECT_EQ((*targets)[1].address, "127.0.3.1:50062");
  EXPECT_EQ((*targets)[1].label, "k8s/127.0.3.1:50062");
  EXPECT_FALSE((*targets)[1].segments.has_value());
}

TEST_F(AgentsFileTest, MistakesNameFileLineAndField) {
  struct Case {
    std::string text, expected;
  } cases[] = {
      {"agents:\n- address: 127.0.0.1\n", ":2: field 'address': expected HOST:PORT"},
      {"agents:\n- name: x\n", ":2: field 'address': give exactly one of address"},
      {"agents:\n- address: 127.0.0.1:1\n  dns: a:1\n", ":2: field 'address': give exactly one"},
      {"agents:\n- address: 127.0.0.1:1\n  port: 5\n", ":3: field 'port': unknown field"},
      {"agents:\n- address: 127.0.0.1:1\n  segments: msk\n", ":3: field 'segments': must be a list"},
      {"agents:\n- dns: nowhere:1\n", ":2: field 'dns': cannot resolve nowhere"},
      {"hosts: []\n", "field 'agents': the file must hold"},
      {"agents: [\n", "invalid YAML"},
  };
  for (const Case& c : cases) {
    Write(c.text);
    auto targets = LoadAgentsFile(path_, FakeDns);
    EXPECT_THAT(targets.status().message(), HasSubstr(c.expected)) << c.text;
    EXPECT_THAT(targets.status().message(), HasSubstr(path_)) << c.text;
  }
  EXPECT_THAT(LoadAgentsFile(path_ + ".missing", FakeDns).status().message(),
              HasSubstr("cannot read the agents file"));
}

}  // namespace
}  // namespace netshard
