// End to end, --parse: the records of ntc-templates' templates beside each
// output, in jsonl and text, through an agent; notes where none apply.
#include <filesystem>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/e2e_fixture.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;
using testing::ReadFile;

class ParseE2eTest : public E2eFixture {};

// --parse: each device's output also as the records ntc-templates' template
// gives — here the 200-device fleet's clock and interfaces, through an agent.
TEST_F(ParseE2eTest, ParseGivesEachOutputsRecordsFromTheTemplateLibrary) {
  std::string templates = testing::SourceDir() + "/../shared/ntc-templates/templates";
  if (!std::filesystem::exists(templates + "/index")) GTEST_SKIP() << "no " << templates;
  std::string a = LoopbackAddress();
  auto agent = StartAgent(a, "agent-a");
  ASSERT_TRUE(agent);
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--agent", a, "--cmd", "sh clock", "--cmd",
                   "sh ip int br", "--cmd", "show flux capacitor", "--keep-going", "--format",
                   "jsonl", "--parse", "--templates", templates}),
            1);
  std::string out = ReadFile(dir_ + "/coord.out");
  std::vector<Record> records = ParseJsonl(out);
  std::vector<std::string> lines = absl::StrSplit(out, '\n', absl::SkipEmpty());
  ASSERT_EQ(records.size(), static_cast<size_t>(kDevices));
  ASSERT_EQ(lines.size(), records.size());
  int parsed = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    const Record& record = records[i];
    if (record.code == "AUTH_FAILED") continue;
    ASSERT_EQ(record.outputs.size(), 3u) << record.name;
    // The records' fields are read from the line itself: protobuf's map
    // accessors crash in ThreadSanitizer builds against Debian's library.
    const auto& clock = record.outputs[0];
    ASSERT_EQ(clock.parsed_size(), 1) << record.name << ": " << clock.parse_note();
    std::string time = clock.output().substr(1, clock.output().find(' ') - 1);
    EXPECT_THAT(lines[i], HasSubstr("\"parsed\":[{\"time\":\"" + time + "\",\"timezone\":\"UTC\""));
    ASSERT_GE(record.outputs[1].parsed_size(), 1) << record.name << ": "
                                                   << record.outputs[1].parse_note();
    EXPECT_THAT(lines[i], HasSubstr("\"parsed\":[{\"interface\":\"GigabitEthernet0/0\","
                                    "\"ip_address\":\"127.1."));
    EXPECT_EQ(record.outputs[2].parsed_size(), 0);
    EXPECT_THAT(record.outputs[2].parse_note(), HasSubstr("rejected"));
    ++parsed;
  }
  EXPECT_EQ(parsed, kDevices - 1);
  // No template for a command: the output stays, with a note, and the
  // device is still ok.
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--cmd", "show tech-support", "--format",
                   "jsonl", "--parse", "--templates", templates, "--limit-to", "3"}),
            0);
  for (const Record& record : ParseJsonl(ReadFile(dir_ + "/coord.out"))) {
    EXPECT_TRUE(record.ok);
    EXPECT_THAT(record.outputs[0].parse_note(), HasSubstr("no template"));
    EXPECT_FALSE(record.outputs[0].output().empty());
  }
  // Text output shows the same records on a line of their own.
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--cmd", "sh clock", "--parse", "--templates",
                   templates, "--limit-to", "2"},
                  "text.out"),
            0);
  EXPECT_THAT(ReadFile(dir_ + "/text.out"), HasSubstr("\nparsed: [{\"time\":\""));
  // A library that is not there is refused before any device is touched.
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--cmd", "sh clock", "--parse",
                   "--templates", dir_ + "/nowhere"}),
            2);
  EXPECT_THAT(ReadFile(dir_ + "/coord.err"), HasSubstr("nowhere/index"));
}

}  // namespace
}  // namespace netshard
