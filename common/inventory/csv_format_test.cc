// CSV inventories: tests/data/inventories/devices.csv is a spreadsheet's
// export; the other cases are given as text, named devices.csv.
#include <cstdlib>
#include <map>
#include <string>

#include "common/inventory/inventory.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/subprocess.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;

using testing::SourceDir;

absl::StatusOr<Inventory> Parse(const std::string& csv) {
  return ParseInventory(csv, "devices.csv");
}

// The error of parsing `csv`, which must fail.
std::string ErrorOf(const std::string& csv) {
  absl::StatusOr<Inventory> inventory = Parse(csv);
  EXPECT_FALSE(inventory.ok()) << "parsed but should not have:\n" << csv;
  return inventory.ok() ? "" : std::string(inventory.status().message());
}

constexpr char kHeader[] = "name,ip,device_type,username\n";

class CsvDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<Inventory> inventory =
        LoadInventory(SourceDir() + "/tests/data/inventories/devices.csv");
    ASSERT_TRUE(inventory.ok()) << inventory.status();
    inventory_ = *std::move(inventory);
  }

  Inventory inventory_;
};

TEST_F(CsvDataTest, ReadsEveryColumn) {
  EXPECT_EQ(inventory_.format, "csv");
  ASSERT_EQ(inventory_.devices.size(), 5u);
  const Device& core2 = inventory_.devices[1];
  EXPECT_EQ(core2.name, "core2");
  EXPECT_EQ(core2.address, "10.0.0.2");
  EXPECT_EQ(core2.port, 2222);
  EXPECT_EQ(core2.device_type, "cisco_xe");
  EXPECT_EQ(core2.platform->name, "cisco_xe");
  EXPECT_EQ(core2.username, "admin");
  EXPECT_EQ(core2.group, "core");
  EXPECT_EQ(core2.vars,
            (std::map<std::string, std::string>{{"site", "Amsterdam, NL"}, {"role", "core"}}));
  EXPECT_EQ(*core2.timeout, absl::Seconds(30));
  EXPECT_EQ(core2.segment, "dc1");
  EXPECT_EQ(core2.line, 3);
  EXPECT_EQ(inventory_.devices[0].secret, "en1");
}

TEST_F(CsvDataTest, EmptyCellsGiveNothing) {
  const Device& core1 = inventory_.devices[0];
  EXPECT_EQ(core1.address, "10.0.0.1");  // no host
  EXPECT_EQ(core1.port, 22);
  EXPECT_FALSE(core1.timeout.has_value());
  EXPECT_EQ(core1.segment, "");
  EXPECT_FALSE(core1.jump_host.has_value());
  const Device& edge1 = inventory_.devices[2];
  EXPECT_EQ(edge1.address, "edge1.example.net");  // no ip
  EXPECT_EQ(edge1.port, 22);
  EXPECT_EQ(edge1.secret, "");
  const Device& fw1 = inventory_.devices[3];
  EXPECT_EQ(fw1.group, "ungrouped");
  const Device& unnamed = inventory_.devices[4];
  EXPECT_EQ(unnamed.name, "10.0.2.1");
  EXPECT_TRUE(unnamed.vars.empty());
}

TEST_F(CsvDataTest, QuotedCellsKeepCommasQuotesAndLineBreaks) {
  EXPECT_EQ(inventory_.devices[0].password, "pa,ss");
  EXPECT_EQ(inventory_.devices[1].password, "say \"hi\"");
  const Device& fw1 = inventory_.devices[3];
  EXPECT_EQ(fw1.vars.at("site"), "Rotterdam\nharbour");
  EXPECT_EQ(fw1.vars.at("role"), "firewall");
  EXPECT_EQ(fw1.line, 5);
  EXPECT_EQ(inventory_.devices[4].line, 7);  // lines counted past the break
}

TEST_F(CsvDataTest, JumpHostColumnsGiveTheBastion) {
  const Device& edge1 = inventory_.devices[2];
  ASSERT_TRUE(edge1.jump_host.has_value());
  EXPECT_EQ(edge1.jump_host->host(), "bastion.example.net");
  EXPECT_EQ(edge1.jump_host->port(), 22u);
  EXPECT_EQ(edge1.jump_host->username(), "jump");
  EXPECT_EQ(edge1.jump_host->key_file(), "/keys/jump_ed25519");
}

TEST(CsvTest, ReadsSemicolonAndTabExports) {
  for (const std::string& csv : {std::string("name;ip;device_type;username;vars.note\n"
                                             "r1;10.0.0.1;cisco_ios;u;a, b\n"
                                             "r2;10.0.0.2;cisco_ios;u;\"c; d\"\n"),
                                 std::string("name\tip\tdevice_type\tusername\tvars.note\n"
                                             "r1\t10.0.0.1\tcisco_ios\tu\ta, b\n"
                                             "r2\t10.0.0.2\tcisco_ios\tu\tc; d\n")}) {
    absl::StatusOr<Inventory> inventory = Parse(csv);
    ASSERT_TRUE(inventory.ok()) << inventory.status();
    ASSERT_EQ(inventory->devices.size(), 2u);
    EXPECT_EQ(inventory->devices[0].vars.at("note"), "a, b");
    EXPECT_EQ(inventory->devices[1].address, "10.0.0.2");
    EXPECT_EQ(inventory->devices[1].vars.at("note"), "c; d");
  }
}

TEST(CsvTest, ReadsExcelsByteOrderMarkAndCrlfLineEnds) {
  absl::StatusOr<Inventory> inventory = Parse(
      "\xEF\xBB\xBFname,ip,device_type,username,vars.note\r\n"
      "r1,10.0.0.1,cisco_ios,u,\"two\r\nlines\"\r\n"
      "r2,10.0.0.2,cisco_ios,u,last\r\n");
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  ASSERT_EQ(inventory->devices.size(), 2u);
  EXPECT_EQ(inventory->devices[0].name, "r1");  // the first column, past the mark
  EXPECT_EQ(inventory->devices[0].vars.at("note"), "two\nlines");
  EXPECT_EQ(inventory->devices[1].username, "u");
  EXPECT_EQ(inventory->devices[1].vars.at("note"), "last");
  EXPECT_EQ(inventory->devices[1].line, 4);
}

TEST(CsvTest, QuoteInsideAnUnquotedCellIsText) {
  // As Excel and Python's csv read it: only a cell's first character quotes.
  absl::StatusOr<Inventory> inventory = Parse(
      "name,ip,device_type,username,vars.rack\n"
      "r1,10.0.0.1,cisco_ios,u,19\" rack\n"
      "r2,10.0.0.2,cisco_ios,u,\"quoted\" then text\n"
      "r3, 10.0.0.3, cisco_ios, u, \"after, a blank\"\n");
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  ASSERT_EQ(inventory->devices.size(), 3u);
  EXPECT_EQ(inventory->devices[0].vars.at("rack"), "19\" rack");
  EXPECT_EQ(inventory->devices[1].vars.at("rack"), "quoted then text");
  EXPECT_EQ(inventory->devices[2].vars.at("rack"), "after, a blank");
}

TEST(CsvTest, SkipsBlankRowsAndRowsOfEmptyCells) {
  // Spreadsheets export rows once used, now empty, as bare delimiters.
  absl::StatusOr<Inventory> inventory = Parse(std::string(kHeader) +
                                              "r1,10.0.0.1,cisco_ios,u\n\n,,,\n  \n"
                                              "r2,10.0.0.2,cisco_ios,u\n, ,,\n");
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  ASSERT_EQ(inventory->devices.size(), 2u);
  EXPECT_EQ(inventory->devices[1].line, 6);
}

TEST(CsvTest, RefusesARowWithTheWrongNumberOfCellsNamingItsLine) {
  EXPECT_EQ(ErrorOf(std::string(kHeader) + "r1,10.0.0.1,cisco_ios,u\n"
                                           "r2,10.0.0.2,cisco_ios,u,extra\n"),
            "devices.csv:3: row has 5 cells, the header 4");
  EXPECT_THAT(ErrorOf(std::string(kHeader) + "r1,10.0.0.1,cisco_ios\n"),
              HasSubstr("devices.csv:2: row has 3 cells, the header 4"));
}

TEST(CsvTest, RefusesAnUnclosedQuoteNamingTheRowsLine) {
  EXPECT_EQ(ErrorOf(std::string(kHeader) + "r1,10.0.0.1,cisco_ios,\"u\nr2,10.0.0.2\n"),
            "devices.csv:2: a quoted cell is never closed");
}

TEST(CsvTest, RefusesUnknownColumnsSuggestingTheClosestOnLine1) {
  EXPECT_EQ(ErrorOf("name,ip,device_typ,username\nr1,10.0.0.1,cisco_ios,u\n"),
            "devices.csv:1: field 'device_typ': unknown field — did you mean 'device_type'?");
  EXPECT_THAT(ErrorOf("name,ip,device_type,username,jump_host.hots\n"),
              HasSubstr("devices.csv:1: field 'jump_host.hots': unknown field — did you mean "
                        "'jump_host.host'?"));
  EXPECT_THAT(ErrorOf("name,ip,device_type,username,jump_host\n"),
              HasSubstr("devices.csv:1: field 'jump_host': give its parts as columns: "
                        "jump_host.NAME"));
}

TEST(CsvTest, RefusesAColumnGivenTwiceOrWithoutAName) {
  EXPECT_EQ(ErrorOf("name,ip,device_type,username,ip\nr1,10.0.0.1,cisco_ios,u,10.0.0.9\n"),
            "devices.csv:1: field 'ip': column 5 repeats column 2");
  EXPECT_EQ(ErrorOf("name,ip,,device_type,username\nr1,10.0.0.1,,cisco_ios,u\n"),
            "devices.csv:1: column 3 has no name");
}

TEST(CsvTest, RefusesTheSameAddressAndPortTwice) {
  EXPECT_EQ(ErrorOf("ip,port,device_type,username,name\n"
                    "10.0.0.1,22,cisco_ios,u,r1\n"
                    "10.0.0.1,2222,cisco_ios,u,r2\n"
                    "10.0.0.1,,cisco_ios,u,r3\n"),
            "devices.csv:4: field 'ip': duplicate device 10.0.0.1:22 (first listed at line 2)");
}

TEST(CsvTest, RefusesAHeaderWithoutRows) {
  EXPECT_THAT(ErrorOf(kHeader), HasSubstr("devices.csv: no devices"));
  EXPECT_THAT(ErrorOf(""), HasSubstr("devices.csv:1: empty: expected a header row"));
}

}  // namespace
}  // namespace netshard
