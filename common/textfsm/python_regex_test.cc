#include "common/textfsm/python_regex.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

TEST(PythonRegexTest, TranslatesWhatPcre2ReadsDifferently) {
  EXPECT_EQ(PythonToPcre2(R"(a{,3}b{2,}c{1,2})"), R"(a{0,3}b{2,}c{1,2})");
  EXPECT_EQ(PythonToPcre2(R"([[:x]\Z)"), R"([\[:x]\z)");
  EXPECT_EQ(PythonToPcre2(R"([]a][^]b])"), R"([]a][^]b])");
  EXPECT_EQ(PythonToPcre2(R"(\u00e9\v\{,3})"), R"(\x{00e9}\x0b\{,3})");
}

TEST(PythonRegexTest, MatchesAtTheStartOnlyWithGroups) {
  auto regex = PythonRegex::Compile(R"((?P<name>\w+)(?:\s+(?P<age>\d+))?)");
  ASSERT_TRUE(regex.ok()) << regex.status();
  std::vector<std::optional<absl::string_view>> groups;
  ASSERT_TRUE((*regex)->Match("bob rest", &groups));
  EXPECT_EQ(groups[1], "bob");
  EXPECT_EQ(groups[2], std::nullopt);  // took no part
  EXPECT_FALSE((*regex)->Match(" bob"));  // anchored, as re.match
  ASSERT_EQ((*regex)->named_groups().size(), 2u);
  EXPECT_EQ((*regex)->named_groups()[0].first, "name");
  EXPECT_EQ((*regex)->named_groups()[1], (std::pair<std::string, int>{"age", 2}));
}

TEST(PythonRegexTest, UnicodeClassesInvalidUtf8AndRunawayPatterns) {
  auto word = PythonRegex::Compile(R"(\w+$)");
  ASSERT_TRUE(word.ok());
  EXPECT_TRUE((*word)->Match("caf\xc3\xa9"));  // \w is Unicode, as in Python 3
  EXPECT_FALSE((*word)->Match("caf\xff"));     // invalid UTF-8 matches nothing, safely
  // Catastrophic backtracking ends at PCRE2's match limit, not never.
  auto runaway = PythonRegex::Compile(R"((a+)+$)");
  ASSERT_TRUE(runaway.ok());
  EXPECT_FALSE((*runaway)->Match(std::string(40, 'a') + "!"));
  auto bad = PythonRegex::Compile("(unclosed");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), ::testing::HasSubstr("'(unclosed'"));
}

TEST(PythonRegexTest, MatchLimitIsAnErrorNotNoMatch) {
  auto runaway = PythonRegex::Compile(R"((a+)+$)");
  ASSERT_TRUE(runaway.ok());
  absl::StatusOr<bool> matched = (*runaway)->TryMatch(std::string(40, 'a') + "!");
  ASSERT_FALSE(matched.ok());
  EXPECT_EQ(matched.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(matched.status().message(), ::testing::HasSubstr("match limit"));
  // The same regex on tame input answers.
  EXPECT_TRUE((*runaway)->TryMatch("aaa").value_or(false));
  EXPECT_FALSE((*runaway)->TryMatch("b").value_or(true));
}

TEST(PythonRegexTest, NestingDeeperThanTheJitStackStillAnswers) {
  // 20000 iterations, each a backtracking point: far past the JIT's 32 KiB
  // stack. The answer is a match, never a silent "no".
  auto deep = PythonRegex::Compile(R"((\w+\s?)*$)");
  ASSERT_TRUE(deep.ok());
  std::string words;
  for (int i = 0; i < 20000; ++i) words += "a ";
  absl::StatusOr<bool> matched = (*deep)->TryMatch(words);
  if (matched.ok()) {
    EXPECT_TRUE(*matched);
  } else {
    EXPECT_EQ(matched.status().code(), absl::StatusCode::kResourceExhausted);
  }
}

}  // namespace
}  // namespace netshard
