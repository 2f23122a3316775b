#include "common/secret_value.h"

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
  if (name == "LAB_PASSWORD") return std::string("s3cr3t-from-env");
  return std::nullopt;
}

TEST(SecretValueTest, ExpandsOnlyWholeEnvReferences) {
  EXPECT_EQ(*ExpandEnv("${env:LAB_PASSWORD}", FakeEnv), "s3cr3t-from-env");
  EXPECT_EQ(*ExpandEnv("plain", FakeEnv), "plain");
  EXPECT_EQ(*ExpandEnv("x${env:LAB_PASSWORD}", FakeEnv), "x${env:LAB_PASSWORD}");
  EXPECT_THAT(ExpandEnv("${env:NOPE}", FakeEnv).status().message(),
              HasSubstr("environment variable NOPE is not set"));
  EXPECT_FALSE(ExpandEnv("${env:LAB_PASSWORD}", nullptr).ok());
  EXPECT_EQ(EnvReference("${env:LAB_PASSWORD}"), "LAB_PASSWORD");
  EXPECT_EQ(EnvReference("x${env:LAB_PASSWORD}"), std::nullopt);
  EXPECT_EQ(EnvReference("plain"), std::nullopt);
}

TEST(SecretValueTest, SecretFilesMustBePrivate) {
  std::string path = ::testing::TempDir() + "/secret_value_test.txt";
  std::ofstream(path) << "file-secret\n";
  chmod(path.c_str(), 0644);
  absl::StatusOr<std::string> open = ReadSecretFile(path);
  EXPECT_THAT(open.status().message(), HasSubstr("group or others may access it (mode 0644)"));
  EXPECT_THAT(open.status().message(), Not(HasSubstr("file-secret")));
  chmod(path.c_str(), 0600);
  EXPECT_EQ(*ReadSecretFile(path), "file-secret");
  std::filesystem::remove(path);
  EXPECT_FALSE(ReadSecretFile(path).ok());
  EXPECT_THAT(CheckPrivateFile(::testing::TempDir()).message(), HasSubstr("not a regular file"));
}

}  // namespace
}  // namespace netshard
