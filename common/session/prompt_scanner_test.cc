#include "common/session/prompt_scanner.h"

#include <string>
#include <vector>

#include "common/platform/platform_set.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// A cleaner for the reply to `command`, gathering its output as a session
// does: lines joined by '\n', the pieces of a long line appended.
class Gathered {
 public:
  explicit Gathered(absl::string_view command)
      : cleaner_(
            command,
            [this](absl::string_view line) {
              if (!lines_.empty()) text_ += '\n';
              lines_.emplace_back(line);
              text_.append(line.data(), line.size());
            },
            nullptr,
            [this](absl::string_view more) {
              lines_.back().append(more.data(), more.size());
              text_.append(more.data(), more.size());
            }) {}

  OutputCleaner* cleaner() { return &cleaner_; }
  const std::vector<std::string>& lines() const { return lines_; }
  const std::string& text() const { return text_; }

 private:
  std::vector<std::string> lines_;
  std::string text_;
  OutputCleaner cleaner_;
};

TEST(PromptScannerTest, KeepsTheLastLineOfABannerOnly) {
  PromptScanner scanner;
  scanner.Append("Welcome\r\n\r\nauthorised users only\r\n", nullptr);
  EXPECT_TRUE(scanner.saw_newline());
  EXPECT_EQ(scanner.line(), "");
  scanner.Append("\x1b[1mR1", nullptr);
  scanner.Append(">\x1b[0m", nullptr);
  EXPECT_EQ(scanner.line(), "R1>");
  scanner.Clear();
  EXPECT_FALSE(scanner.saw_newline());
  EXPECT_EQ(scanner.line(), "");
}

TEST(PromptScannerTest, LinesReachTheCleanerHoweverTheReadsSplitThem) {
  const std::string reply = "show clock\r\n*10:00:00 UTC\r\n\r\nsecond\r\nR1#";
  for (size_t step : {1, 2, 5, 7, 100}) {
    Gathered out("show clock");
    PromptScanner scanner;
    for (size_t at = 0; at < reply.size(); at += step) {
      scanner.Append(absl::string_view(reply).substr(at, step), out.cleaner());
    }
    EXPECT_THAT(out.lines(), ElementsAre("*10:00:00 UTC", "", "second")) << step;
    EXPECT_EQ(scanner.line(), "R1#") << step;
  }
}

// A device that never sends a newline: the line leaves as output while it
// grows, in pieces, and is never a prompt, even with one at its end.
TEST(PromptScannerTest, ALongLineLeavesAsItComesAndIsNoPrompt) {
  Gathered out("show x");
  PromptScanner scanner;
  scanner.Append("show x\r\n", out.cleaner());
  const std::string chunk(16 << 10, 'x');
  for (int i = 0; i < 64; ++i) scanner.Append(chunk, out.cleaner());  // 1 MiB
  EXPECT_GE(out.text().size(), (1u << 20) - (128u << 10));  // not held back
  scanner.Append("R1#", out.cleaner());
  EXPECT_EQ(scanner.line(), "");
  scanner.Append("\r\nR1#", out.cleaner());
  EXPECT_EQ(scanner.line(), "R1#");
  ASSERT_EQ(out.lines().size(), 1u);
  EXPECT_EQ(out.text(), std::string(1 << 20, 'x') + "R1#");
}

TEST(PromptScannerTest, APieceNeverEndsInsideAnEscapeSequence) {
  Gathered out("show x");
  PromptScanner scanner;
  std::string line = std::string((64 << 10) - 2, 'a') + "\x1b[1m" + std::string(10, 'b');
  scanner.Append(line, out.cleaner());
  scanner.Append("\r\n", out.cleaner());
  EXPECT_THAT(out.text(), Not(HasSubstr("[1m")));
  EXPECT_EQ(out.text(), std::string((64 << 10) - 2, 'a') + std::string(10, 'b'));
}

TEST(PromptScannerTest, EmptyAndBlankLinesAreNoPromptOnAnyPlatform) {
  for (const char* blank : {"", " ", "    ", "\t", "\r", " \r ", "\x1b[K", "\b", "\r\n "}) {
    PromptScanner scanner;
    scanner.Append(blank, nullptr);
    for (const Platform* platform : Platforms().All()) {
      EXPECT_FALSE(LooksLikePrompt(*platform, scanner.line())) << platform->name;
      EXPECT_FALSE(DevicePrompt(*platform, "R1").Matches(scanner.line())) << platform->name;
      EXPECT_FALSE(DevicePrompt(*platform, "").Matches(scanner.line())) << platform->name;
      PromptBase(*platform, scanner.line());
      FirstPrompt(*platform, scanner.line());
    }
  }
}

}  // namespace
}  // namespace netshard
