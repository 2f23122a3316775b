#include "tests/devsim/sim_text.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard::devsim {
namespace {

std::optional<std::string> Values(absl::string_view name) {
  if (name == "host") return "sim7";
  if (name == "address") return "127.1.0.7";
  return std::nullopt;
}

TEST(SimTextTest, FillsKnownPlaceholdersAndPadsToAWidth) {
  EXPECT_EQ(FillTemplate("{host}# ", Values), "sim7# ");
  EXPECT_EQ(FillTemplate("Gi0/0 {address:15} YES", Values), "Gi0/0 127.1.0.7       YES");
  EXPECT_EQ(FillTemplate("{address:4}|", Values), "127.1.0.7|");  // never cut
}

TEST(SimTextTest, LeavesOtherBracesAlone) {
  EXPECT_EQ(FillTemplate("system {\n  host-name {host};\n}", Values),
            "system {\n  host-name sim7;\n}");
  EXPECT_EQ(FillTemplate("{master:0}\n{nope} {host", Values), "{master:0}\n{nope} {host");
  EXPECT_EQ(FillTemplate("{host:x} {}", Values), "{host:x} {}");
}

TEST(SimTextTest, EndLineAddsOneLineEndOnlyWhereMissing) {
  EXPECT_EQ(EndLine("ok"), "ok\r\n");
  EXPECT_EQ(EndLine("ok\r\n"), "ok\r\n");
  EXPECT_EQ(EndLine(""), "");
}

TEST(SimTextTest, TechSupportIsWholeLines) {
  std::string text = TechSupportText(7000);
  EXPECT_EQ(text.size(), 88u * 80);
  EXPECT_EQ(text.substr(78, 2), "\r\n");
}

TEST(SimTextTest, UnbrokenIsExactlyItsBytesWithoutALineEnd) {
  std::string text = UnbrokenText(1000);
  EXPECT_EQ(text.size(), 1000u);
  EXPECT_EQ(text.find_first_of("\r\n\x1b#>$%:"), std::string::npos);
  EXPECT_EQ(UnbrokenText(0), "");
}

}  // namespace
}  // namespace netshard::devsim
