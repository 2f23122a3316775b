#include "common/version.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

TEST(VersionTest, TheLineNamesTheProgramVersionAndCommit) {
  EXPECT_THAT(Version(), ::testing::MatchesRegex(R"([0-9]+\.[0-9]+\.[0-9]+)"));
  // Built from this checkout: a short hash, perhaps dirty; never empty.
  EXPECT_THAT(Commit(), ::testing::MatchesRegex(R"(([0-9a-f]{12}(-dirty)?)|unknown)"));
  EXPECT_EQ(VersionLine("coord"),
            std::string("coord ") + Version() + " (commit " + Commit() + ")");
}

}  // namespace
}  // namespace netshard
