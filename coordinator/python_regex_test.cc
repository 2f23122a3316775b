#include "coordinator/python_regex.h"

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

}  // namespace
}  // namespace netshard
