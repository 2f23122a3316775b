#include "coordinator/agent_targets.h"

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
  void TearDown() override { std::filesystem::remove(path_); }
  std::string path_ = ::testing::TempDir() + "/agents.yaml";
};

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
  auto targets = CollectAgents({"127.0.3.2:50061", "127.0.0.1:50062"},
                               {"agents.netshard.svc:50061"}, "", FakeDns);
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
