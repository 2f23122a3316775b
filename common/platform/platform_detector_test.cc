#include "common/platform/platform_detector.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

using ::testing::ElementsAre;

// A platform that answers `command` with text matching `pattern`.
std::unique_ptr<Platform> Candidate(const std::string& name, const std::string& command,
                                    const std::string& pattern, int priority) {
  auto platform = ParsePlatform(absl::StrCat("name: ", name, R"(
prompt:
  terminators: '#>'
detect:
  commands: [')", command, "']\n  patterns: ['", pattern, "']\n  priority: ", priority, "\n"),
                                "test.yaml");
  EXPECT_TRUE(platform.ok()) << platform.status();
  return platform.ok() ? *std::move(platform) : nullptr;
}

class PlatformDetectorTest : public ::testing::Test {
 protected:
  std::unique_ptr<Platform> alpha_ = Candidate("alpha", "show version", "Alpha OS", 60);
  std::unique_ptr<Platform> beta_ = Candidate("beta", "show system", "Beta OS", 80);
  std::unique_ptr<Platform> gamma_ = Candidate("gamma", "show version", "Gamma OS", 40);
  std::vector<const Platform*> candidates_ = {beta_.get(), alpha_.get(), gamma_.get()};
};

TEST_F(PlatformDetectorTest, AsksTheCommandMostCandidatesShareFirst) {
  PlatformDetector detector(candidates_);
  ASSERT_NE(detector.Next(), nullptr);
  EXPECT_EQ(*detector.Next(), "show version");
}

TEST_F(PlatformDetectorTest, AsksOnWhileABetterCandidateHasAnUntriedCommand) {
  PlatformDetector detector(candidates_);
  detector.Answered("Alpha OS 1.0");
  EXPECT_EQ(detector.found(), alpha_.get());
  ASSERT_NE(detector.Next(), nullptr);
  EXPECT_EQ(*detector.Next(), "show system");
  detector.Answered("% unknown command");
  EXPECT_EQ(detector.Next(), nullptr);
  EXPECT_EQ(detector.found(), alpha_.get());
  EXPECT_THAT(detector.tried(), ElementsAre("show version", "show system"));
}

TEST_F(PlatformDetectorTest, StopsOnceNothingBetterIsLeftToTry) {
  PlatformDetector detector({alpha_.get(), gamma_.get()});
  detector.Answered("Gamma OS and Alpha OS");
  EXPECT_EQ(detector.found(), alpha_.get());  // the higher priority
  EXPECT_EQ(detector.Next(), nullptr);
}

TEST_F(PlatformDetectorTest, APatternCountsOnlyForItsOwnCommand) {
  PlatformDetector detector(candidates_);
  detector.Answered("Beta OS");  // to show version, which beta never sends
  EXPECT_EQ(detector.found(), nullptr);
  detector.Answered("nothing known");
  EXPECT_EQ(detector.Next(), nullptr);
  EXPECT_EQ(detector.found(), nullptr);
}

TEST(PlatformDetectorNoCandidatesTest, HasNothingToAsk) {
  PlatformDetector detector({});
  EXPECT_EQ(detector.Next(), nullptr);
  EXPECT_TRUE(detector.tried().empty());
}

}  // namespace
}  // namespace netshard
