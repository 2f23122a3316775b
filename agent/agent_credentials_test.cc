#include "agent/agent_credentials.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::optional<std::string> FakeEnv(const std::string& name) {
  if (name == "OPS_PASSWORD") return std::string("ops-pw");
  return std::nullopt;
}

constexpr char kFile[] = R"(
default:  {username: ops, password: "${env:OPS_PASSWORD}"}
segments: {msk: {password: msk-pw, secret: msk-enable}}
groups:   {core: {username: core-ops}}
devices:  {r1: {password: r1-pw}}
)";

v1::Job Job(const std::string& name, const std::string& group, const std::string& segment) {
  v1::Job job;
  job.set_name(name);
  job.set_group(group);
  job.set_segment(segment);
  return job;
}

TEST(AgentCredentialsTest, MostSpecificEntryWinsFieldByField) {
  auto credentials = AgentCredentials::Parse(kFile, "credentials.yaml", FakeEnv);
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  v1::Job r1 = Job("r1", "core", "msk");
  ASSERT_TRUE(credentials->Fill(&r1).ok());
  EXPECT_EQ(r1.username(), "core-ops");  // group
  EXPECT_EQ(r1.password(), "r1-pw");     // device
  EXPECT_EQ(r1.secret(), "msk-enable");  // segment
  v1::Job other = Job("r9", "edge", "spb");
  ASSERT_TRUE(credentials->Fill(&other).ok());
  EXPECT_EQ(other.username(), "ops");
  EXPECT_EQ(other.password(), "ops-pw");
  EXPECT_EQ(other.secret(), "");
}

TEST(AgentCredentialsTest, DeviceWithNoneIsAnErrorWithoutValues) {
  auto credentials = AgentCredentials::Parse("segments: {msk: {username: u, password: p}}\n",
                                             "c.yaml", FakeEnv);
  ASSERT_TRUE(credentials.ok());
  v1::Job job = Job("r2", "edge", "spb");
  EXPECT_THAT(credentials->Fill(&job).message(),
              HasSubstr("no username for device r2 (group 'edge', segment 'spb')"));
}

TEST(AgentCredentialsTest, MistakesNameFileLineAndField) {
  struct Case {
    std::string text, expected;
  } cases[] = {
      {"default: {user: x}\n", "c.yaml:1: field 'default.user': unknown field"},
      {"segments:\n  msk: {password: \"${env:NOPE}\"}\n",
       "c.yaml:2: field 'segments.msk.password': environment variable NOPE is not set"},
      {"hosts: {}\n", "c.yaml:1: field 'hosts': unknown field"},
      {"devices: [a]\n", "c.yaml:1: field 'devices': must map names"},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(AgentCredentials::Parse(c.text, "c.yaml", FakeEnv).status().message(),
                HasSubstr(c.expected))
        << c.text;
  }
}

TEST(AgentCredentialsTest, FileMustBePrivate) {
  std::string path = ::testing::TempDir() + "/agent_credentials_test.yaml";
  std::ofstream(path) << kFile;
  chmod(path.c_str(), 0640);
  auto loaded = AgentCredentials::Load(path, FakeEnv);
  EXPECT_THAT(loaded.status().message(), HasSubstr("mode 0640"));
  EXPECT_THAT(loaded.status().message(), Not(HasSubstr("msk-pw")));
  chmod(path.c_str(), 0600);
  EXPECT_TRUE(AgentCredentials::Load(path, FakeEnv).ok());
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace netshard
