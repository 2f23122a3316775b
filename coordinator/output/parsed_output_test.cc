#include "coordinator/output/parsed_output.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;

class ParsedOutputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char name[] = "/tmp/parsed_output_test.XXXXXX";
    dir_ = mkdtemp(name);
    std::ofstream(dir_ + "/index") << "Template, Hostname, Platform, Command\n\n"
                                   << "lab_show_runaway.textfsm, .*, lab_os, sh[[ow]] runaway\n";
    // Catastrophic backtracking on a line of a's that does not end in one.
    std::ofstream(dir_ + "/lab_show_runaway.textfsm")
        << "Value WORD (\\w+)\n\nStart\n  ^(a+)+$$\n  ^${WORD} -> Record\n";
    auto library = TemplateLibrary::Open(dir_);
    ASSERT_TRUE(library.ok()) << library.status();
    library_ = *std::move(library);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string dir_;
  std::unique_ptr<TemplateLibrary> library_;
};

TEST_F(ParsedOutputTest, RecordsWhenTheRegexesFinish) {
  ParsedField field = ParseOutput(*library_, "lab_os", "show runaway", "word\n");
  EXPECT_EQ(field.name, "parsed");
  EXPECT_EQ(field.json, "[{\"word\":\"word\"}]");
}

TEST_F(ParsedOutputTest, RegexMatchLimitIsAParseNoteSayingSo) {
  ParsedField field =
      ParseOutput(*library_, "lab_os", "show runaway", "word\n" + std::string(40, 'a') + "!\n");
  EXPECT_EQ(field.name, "parse_note");
  EXPECT_THAT(field.json, HasSubstr("lab_show_runaway.textfsm:4"));
  EXPECT_THAT(field.json, HasSubstr("input line 2"));
  EXPECT_THAT(field.json, HasSubstr("match limit"));
}

}  // namespace
}  // namespace netshard
