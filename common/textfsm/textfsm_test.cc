#include "common/textfsm/textfsm.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/textfsm/textfsm_index.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A record as text: cells joined by '|', lists as [a,b], None as ~.
std::string Show(const FsmRecord& record) {
  std::vector<std::string> cells;
  for (const FsmCell& cell : record) {
    if (cell.kind != FsmCell::Kind::kList) {
      cells.push_back(cell.text);
      continue;
    }
    std::vector<std::string> items;
    for (const FsmCell::Item& item : cell.items) {
      if (!item.is_object) {
        items.push_back(item.text.value_or("~"));
        continue;
      }
      std::vector<std::string> fields;
      for (const auto& [name, value] : item.fields) fields.push_back(absl::StrCat(name, "=", value.value_or("~")));
      items.push_back(absl::StrCat("{", absl::StrJoin(fields, ","), "}"));
    }
    cells.push_back(absl::StrCat("[", absl::StrJoin(items, ","), "]"));
  }
  return absl::StrJoin(cells, "|");
}

std::vector<std::string> ParseWith(const std::string& tmpl, const std::string& text) {
  absl::StatusOr<std::unique_ptr<TextFsm>> fsm = TextFsm::Parse(tmpl, "t.textfsm");
  EXPECT_TRUE(fsm.ok()) << fsm.status();
  if (!fsm.ok()) return {};
  absl::StatusOr<std::vector<FsmRecord>> records = (*fsm)->ParseText(text);
  EXPECT_TRUE(records.ok()) << records.status();
  std::vector<std::string> shown;
  if (records.ok()) {
    for (const FsmRecord& record : *records) shown.push_back(Show(record));
  }
  return shown;
}

std::string TemplateError(const std::string& tmpl) {
  absl::StatusOr<std::unique_ptr<TextFsm>> fsm = TextFsm::Parse(tmpl, "bad.textfsm");
  EXPECT_FALSE(fsm.ok());
  return fsm.ok() ? "" : std::string(fsm.status().message());
}

TEST(TextFsmTest, RecordsAndTheImplicitRecordAtEof) {
  const char* tmpl =
      "Value INTF (\\S+)\n"
      "Value STATUS (up|down)\n"
      "\n"
      "Start\n"
      "  ^${INTF}\\s+${STATUS} -> Record\n";
  EXPECT_THAT(ParseWith(tmpl, "Gi0/1 up\nGi0/2 down\njunk\n"), ElementsAre("Gi0/1|up", "Gi0/2|down"));
  // The last record needs no Record: EOF records what is pending.
  const char* no_record =
      "Value TIME (\\S+)\n"
      "\n"
      "Start\n"
      "  ^\\*?${TIME} UTC\n";
  EXPECT_THAT(ParseWith(no_record, "*10:00:01.5 UTC Mon\n"), ElementsAre("10:00:01.5"));
  EXPECT_EQ(TextFsm::Parse(tmpl, "t")->get()->header(), (std::vector<std::string>{"INTF", "STATUS"}));
}

TEST(TextFsmTest, AnEmptyEofStateSuppressesTheImplicitRecord) {
  const char* tmpl =
      "Value A (\\d+)\n"
      "\n"
      "Start\n"
      "  ^a=${A}\n"
      "\n"
      "EOF\n";
  EXPECT_TRUE(ParseWith(tmpl, "a=1\n").empty());
}

TEST(TextFsmTest, FilldownKeepsAValueAcrossRecordsUntilClearall) {
  const char* tmpl =
      "Value Filldown VRF (\\S+)\n"
      "Value Required PREFIX (\\S+)\n"
      "\n"
      "Start\n"
      "  ^VRF ${VRF}\n"
      "  ^route ${PREFIX} -> Record\n"
      "  ^reset -> Clearall\n";
  EXPECT_THAT(ParseWith(tmpl, "VRF red\nroute 10.0.0.0/8\nroute 10.1.0.0/16\nreset\nroute 1.0.0.0/8\n"),
              ElementsAre("red|10.0.0.0/8", "red|10.1.0.0/16", "|1.0.0.0/8"));
}

TEST(TextFsmTest, RequiredSkipsIncompleteRecords) {
  const char* tmpl =
      "Value Required NAME (\\w+)\n"
      "Value AGE (\\d+)\n"
      "\n"
      "Start\n"
      "  ^name ${NAME}\n"
      "  ^age ${AGE}\n"
      "  ^-- -> Record\n";
  // The second block has no name: not recorded, and cleared.
  EXPECT_THAT(ParseWith(tmpl, "name bob\nage 3\n--\nage 4\n--\nname al\n--\n"),
              ElementsAre("bob|3", "al|"));
}

TEST(TextFsmTest, FillupCopiesUpwardUntilAFilledRecord) {
  const char* tmpl =
      "Value PORT (\\S+)\n"
      "Value Fillup VLAN (\\d+)\n"
      "\n"
      "Start\n"
      "  ^port ${PORT} -> Record\n"
      "  ^vlan ${VLAN} -> Record\n";
  EXPECT_THAT(ParseWith(tmpl, "port a\nport b\nvlan 10\nport c\n"),
              ElementsAre("a|10", "b|10", "|10", "c|"));
}

TEST(TextFsmTest, ListValuesCollectAndNestedGroupsMakeObjects) {
  const char* tmpl =
      "Value NAME (\\S+)\n"
      "Value List MEMBERS (\\S+)\n"
      "Value List PEERS ((?P<ip>\\d+\\.\\d+\\.\\d+\\.\\d+)\\s+(?P<as>\\d+))\n"
      "\n"
      "Start\n"
      "  ^group ${NAME}\n"
      "  ^  member ${MEMBERS}\n"
      "  ^  peer ${PEERS}\n"
      "  ^end -> Record\n";
  EXPECT_THAT(ParseWith(tmpl, "group g1\n  member a\n  member b\n  peer 10.0.0.1 65001\nend\n"
                              "group g2\nend\n"),
              ElementsAre("g1|[a,b]|[{ip=10.0.0.1,as=65001}]", "g2|[]|[]"));
}

TEST(TextFsmTest, ContinueTriesTheNextRulesOnTheSameLine) {
  const char* tmpl =
      "Value A (\\w+)\n"
      "Value B (\\w+)\n"
      "\n"
      "Start\n"
      "  ^${A} -> Continue\n"
      "  ^\\w+ ${B} -> Record\n";
  EXPECT_THAT(ParseWith(tmpl, "x y\n"), ElementsAre("x|y"));
}

TEST(TextFsmTest, StateTransitionsClearAndEnd) {
  const char* tmpl =
      "Value HEAD (\\S+)\n"
      "Value ROW (\\d+)\n"
      "\n"
      "# a comment between sections\n"
      "Start\n"
      "  ^Header ${HEAD} -> Table\n"
      "\n"
      "Table\n"
      "  # a comment inside a state\n"
      "  ^${ROW}$$ -> Record\n"
      "  ^skip -> Clear\n"
      "  ^stop -> End\n";
  // A Record clears HEAD (not Filldown), so the second row has none.
  EXPECT_THAT(ParseWith(tmpl, "1\nHeader h\n2\n3x\n4\nstop\n5\n"), ElementsAre("h|2", "|4"));
}

TEST(TextFsmTest, ClearDropsTheRecordSoFarButKeepsFilldownAndNoRecordDoesNothing) {
  const char* tmpl =
      "Value Filldown HOST (\\S+)\n"
      "Value ITEM (\\S+)\n"
      "\n"
      "Start\n"
      "  ^host ${HOST}\n"
      "  ^item ${ITEM} -> Next.NoRecord\n"
      "  ^oops -> Clear\n"
      "  ^done -> Record\n";
  EXPECT_THAT(ParseWith(tmpl, "host h1\nitem a\noops\ndone\nitem b\ndone\n"),
              ElementsAre("h1|", "h1|b", "h1|"));  // the last: EOF records the Filldown
}

TEST(TextFsmTest, NextRecordWithANewStateAndPlainDollarNames) {
  const char* tmpl =
      "Value NAME (\\S+)\n"
      "\n"
      "Start\n"
      "  ^name $NAME -> Next.Record Done\n"
      "\n"
      "Done\n"
      "  ^.*\n";
  EXPECT_THAT(ParseWith(tmpl, "name a\nname b\n"), ElementsAre("a"));
}

TEST(TextFsmTest, ErrorActionStopsTheParseNamingTheLines) {
  const char* tmpl =
      "Value A (\\d+)\n"
      "\n"
      "Start\n"
      "  ^${A}\n"
      "  ^. -> Error \"unexpected line\"\n";
  auto fsm = TextFsm::Parse(tmpl, "e.textfsm");
  ASSERT_TRUE(fsm.ok()) << fsm.status();
  absl::StatusOr<std::vector<FsmRecord>> records = (*fsm)->ParseText("1\nboom\n");
  ASSERT_FALSE(records.ok());
  EXPECT_THAT(records.status().message(), HasSubstr("e.textfsm:5"));
  EXPECT_THAT(records.status().message(), HasSubstr("unexpected line"));
  EXPECT_THAT(records.status().message(), HasSubstr("boom"));
}

TEST(TextFsmTest, RegexMatchLimitIsAnErrorNamingTheLines) {
  const char* tmpl =
      "Value A (\\d+)\n"
      "\n"
      "Start\n"
      "  ^${A}\n"
      "  ^(a+)+$$\n";
  auto fsm = TextFsm::Parse(tmpl, "m.textfsm");
  ASSERT_TRUE(fsm.ok()) << fsm.status();
  absl::StatusOr<std::vector<FsmRecord>> records =
      (*fsm)->ParseText(absl::StrCat("1\n", std::string(40, 'a'), "!\n"));
  ASSERT_FALSE(records.ok());  // not "no match": nothing is known about line 2
  EXPECT_EQ(records.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(records.status().message(), HasSubstr("m.textfsm:5"));
  EXPECT_THAT(records.status().message(), HasSubstr("input line 2"));
  EXPECT_THAT(records.status().message(), HasSubstr("match limit"));
}

TEST(TextFsmTest, PythonRegexFeatures) {
  // Lookahead, lookbehind, {,n}, \Z, and a class with '['.
  const char* tmpl =
      "Value WORD ((?<=x)\\w{,3}(?=!))\n"
      "Value B ([[\\]]+)\n"
      "\n"
      "Start\n"
      "  ^x${WORD}!\\s+${B}\\Z -> Record\n";
  EXPECT_THAT(ParseWith(tmpl, "xabc! [[]]\nxabcd! []\n"), ElementsAre("abc|[[]]"));
}

TEST(TextFsmTest, SplitLinesAsPython) {
  EXPECT_THAT(SplitLines("a\r\nb\rc\nd\x0b" "e\x0c" "f\xe2\x80\xa8g\n"),
              ElementsAre("a", "b", "c", "d", "e", "f", "g"));
  EXPECT_TRUE(SplitLines("").empty());
  EXPECT_THAT(SplitLines("a\n\nb"), ElementsAre("a", "", "b"));
}

TEST(TextFsmTest, TemplateErrorsNameTheFileAndLine) {
  EXPECT_THAT(TemplateError("Value A (x)\nStart\n"), HasSubstr("bad.textfsm:2: expected a blank line"));
  EXPECT_THAT(TemplateError("Value Bogus A (x)\n\nStart\n  ^x\n"),
              HasSubstr("bad.textfsm:1: unknown option \"Bogus\""));
  EXPECT_THAT(TemplateError("Value Required A x\n\nStart\n  ^x\n"),
              HasSubstr(":1: Value 'x' must be contained"));
  EXPECT_THAT(TemplateError("Value A (x)\n\nStart\n  ^${B}\n"), HasSubstr(":4: unknown Value 'B'"));
  EXPECT_THAT(TemplateError("Value A (x)\n\nStart\n  ^x$\n"), HasSubstr(":4: invalid variable"));
  EXPECT_THAT(TemplateError("Value A (x)\n\nStart\n  ^(x\n"), HasSubstr(":4: invalid regular expression"));
  EXPECT_THAT(TemplateError("Value A (x)\n\nStart\n  ^x -> Nowhere\n"),
              HasSubstr(":4: state 'Nowhere' not found"));
  EXPECT_THAT(TemplateError("Value A (x)\n\nStart\n  ^x -> Continue Other\n"),
              HasSubstr(":4: Continue cannot change state"));
  EXPECT_THAT(TemplateError("Value A (x)\n\nStart\n   ^x\n"), HasSubstr(":4: missing white space"));
  EXPECT_THAT(TemplateError("Value A (x)\n\nBegin\n  ^x\n"), HasSubstr("missing state 'Start'"));
  EXPECT_THAT(TemplateError("Value A (x)\n\nStart\n  ^x\n\nEOF\n  ^y\n"),
              HasSubstr(":7: non-empty 'EOF' state"));
  EXPECT_THAT(TemplateError("Value A (x)\nValue A (y)\n\nStart\n  ^x\n"),
              HasSubstr(":2: duplicate declarations"));
  EXPECT_THAT(TemplateError("Value A (x)\n\nStart\n  ^${A} ${A}\n"), HasSubstr(":4: Value 'A' used twice"));
}

TEST(TemplateIndexTest, CompletionsAndFirstMatchingRow) {
  EXPECT_EQ(ExpandCompletions("sh[[ow]] clo[[ck]]"), "sh(o(w)?)? clo(c(k)?)?");
  EXPECT_EQ(ExpandCompletions("show version"), "show version");
  auto index = TemplateIndex::Parse(
      "# comment\n"
      "Template, Hostname, Platform, Command\n"
      "\n"
      "cisco_ios_show_ip_int_brief.textfsm, .*, cisco_ios, sh[[ow]] ip int[[erface]] br[[ief]]\n"
      "cisco_ios_show_ip_int.textfsm, .*, cisco_ios, sh[[ow]] ip int[[erface]]\n"
      "arista_eos_show_clock.textfsm, .*, arista_eos, sh[[ow]] clo[[ck]]\n",
      "index");
  ASSERT_TRUE(index.ok()) << index.status();
  EXPECT_EQ((*index)->Find("cisco_ios", "sh ip int br"), "cisco_ios_show_ip_int_brief.textfsm");
  EXPECT_EQ((*index)->Find("cisco_ios", "show ip interface brief"),
            "cisco_ios_show_ip_int_brief.textfsm");
  EXPECT_EQ((*index)->Find("cisco_ios", "show ip interface"), "cisco_ios_show_ip_int.textfsm");
  EXPECT_EQ((*index)->Find("cisco_ios", "show clock"), std::nullopt);
  EXPECT_EQ((*index)->Find("arista_eos", "sho clo"), "arista_eos_show_clock.textfsm");
  auto bad = TemplateIndex::Parse("Template, Platform, Command\nx.textfsm, (, y\n", "ix");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("ix:2: Platform:"));
}

}  // namespace
}  // namespace netshard
