#include "common/session/terminal_text.h"

#include "common/platform/platform_set.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

const Platform& Ios() { return *FindPlatform("cisco_ios"); }

// The base name of the prompt `buffer` ends with, as a session learns it.
std::optional<std::string> Base(absl::string_view buffer, const Platform& platform = Ios()) {
  std::string line = FirstPrompt(platform, TrailingLine(buffer));
  if (!LooksLikePrompt(platform, line)) return std::nullopt;
  return PromptBase(platform, line);
}

TEST(TerminalTextTest, FindsUserAndPrivilegedPrompts) {
  EXPECT_EQ(Base("banner\r\nR1>"), "R1");
  EXPECT_EQ(Base("\r\ncore-sw.lab#"), "core-sw.lab");
  EXPECT_EQ(Base("\r\nR1(config-if)#"), "R1");
  EXPECT_EQ(Base("RP/0/RSP0/CPU0:xr1#"), "RP/0/RSP0/CPU0:xr1");
}

TEST(TerminalTextTest, NoPromptWhileALineIsStillOpenOrEndsInNewline) {
  EXPECT_EQ(Base("R1#\r\n"), std::nullopt);
  EXPECT_EQ(Base("Building configuration..."), std::nullopt);
  EXPECT_EQ(Base(""), std::nullopt);
}

TEST(TerminalTextTest, PromptSeenThroughAnsiAndCarriageReturns) {
  EXPECT_EQ(Base("x\r\n\x1b[1mR1#\x1b[0m"), "R1");
  EXPECT_EQ(Base("x\n --More-- \r          \rR1#"), "R1");
}

TEST(TerminalTextTest, OverlongLastLineIsNeverAPrompt) {
  std::string line(kMaxPromptLength + 10, 'a');
  EXPECT_EQ(Base("\n" + line + "#"), std::nullopt);
}

TEST(TerminalTextTest, FirstPromptShownTwiceAfterANewlineTypedAhead) {
  // Seen against OpenSSH's sshd under load: the kernel echoed our newline
  // before the shell's greeting, then the shell prompted twice on one line.
  EXPECT_EQ(Base("\r\n\r\nWelcome to sw1\r\n\r\nsw1>sw1>"), "sw1");
  EXPECT_EQ(Base("\r\nsw1# sw1# sw1# "), "sw1");
  EXPECT_EQ(Base("\r\nR1>"), "R1");
  EXPECT_EQ(FirstPrompt(Ios(), "sw1>sw2>"), "sw1>sw2>");  // two devices' worth: as is
  EXPECT_EQ(FirstPrompt(Ios(), "ab>ab"), "ab>ab");
}

TEST(TerminalTextTest, PromptsThePatternDoesNotDescribeAreLearnedByShape) {
  const Platform& junos = *FindPlatform("juniper_junos");
  EXPECT_EQ(Base("\r\nadmin@mx1> ", junos), "admin@mx1");
  EXPECT_EQ(Base("\r\nmx1> ", junos), "mx1");  // a Junos box without user@
  EXPECT_EQ(Base("\r\nR1 uptime\r\nweird!host.name#", Ios()), "weird!host.name");
  Platform huawei;
  huawei.prompt_terminators = ">]";
  huawei.prompt_openers = "<[~*";
  EXPECT_EQ(Base("\r\n<HUAWEI>", huawei), "HUAWEI");
  EXPECT_EQ(Base("\r\n[~HUAWEI]", huawei), "HUAWEI");
  DevicePrompt prompt(huawei, "HUAWEI");
  EXPECT_TRUE(prompt.AtEndOf("x\r\n<HUAWEI>"));
  EXPECT_TRUE(prompt.AtEndOf("x\r\n[*HUAWEI-GigabitEthernet0/0/1]"));
  EXPECT_FALSE(prompt.AtEndOf("x\r\n<HUAWEI2>x"));
  Platform fortinet;
  fortinet.prompt_terminators = "#$";
  fortinet.prompt_mode_spaces = true;
  EXPECT_EQ(Base("\r\nFGT60D (root) # ", fortinet), "FGT60D");
  EXPECT_TRUE(DevicePrompt(fortinet, "FGT60D").AtEndOf("x\r\nFGT60D (global) # "));
  EXPECT_FALSE(DevicePrompt(Ios(), "R1").AtEndOf("x\r\nR1 (global) #"));  // IOS: no blanks
}

TEST(TerminalTextTest, DevicePromptMatchesOnlyThatDevice) {
  DevicePrompt prompt(Ios(), "R1.lab");
  EXPECT_TRUE(prompt.AtEndOf("out\r\nR1.lab#"));
  EXPECT_TRUE(prompt.AtEndOf("out\r\nR1.lab>"));
  EXPECT_TRUE(prompt.AtEndOf("out\r\nR1.lab(config)# "));
  EXPECT_TRUE(prompt.AtEndOf("out\r\nR1.lab(config-router-af-ipv4-vrf)#"));
  EXPECT_FALSE(prompt.AtEndOf("out\r\nR1xlab#"));  // '.' is literal
  EXPECT_FALSE(prompt.AtEndOf("out\r\nR2#"));
  EXPECT_FALSE(prompt.AtEndOf("out\r\nR1.lab"));             // no terminator
  EXPECT_FALSE(prompt.AtEndOf("out\r\nR1.lab#  "));          // one space at most
  EXPECT_FALSE(prompt.AtEndOf("out\r\nR1.lab uptime is 2#")); // blanks are output
  EXPECT_FALSE(prompt.AtEndOf("out\r\nR1.lab#\r\n"));       // a newline ends no prompt
  EXPECT_FALSE(prompt.AtEndOf(std::string("\r\nR1.lab") + std::string(49, 'x') + "#"));
  EXPECT_TRUE(prompt.AtEndOf(std::string("\r\nR1.lab") + std::string(48, 'x') + "#"));
  EXPECT_FALSE(prompt.AtEndOf("out\r\nR1.lab$"));  // not an IOS terminator
  EXPECT_TRUE(DevicePrompt(*FindPlatform("linux"), "u@h:~").AtEndOf("\r\nu@h:~/src$ "));
}

TEST(TerminalTextTest, StripsAnsiBackspacesAndCarriageReturns) {
  EXPECT_EQ(StripTerminalControl("a\x1b[31mred\x1b[0m\r\nb\x1b]0;title\x07" "c"),
            "ared\nbc");
  // As a terminal shows it: backspace moves left, text overwrites.
  EXPECT_EQ(StripTerminalControl("abc\b\bX\r\n"), "aXc\n");
  EXPECT_EQ(StripTerminalControl("sh verx\b \b\r\n"), "sh ver\n");
  // Pager rub-outs: carriage return and blanks, backspaces, erase-to-end.
  EXPECT_EQ(StripTerminalControl(" --More-- \r          \rline 24\r\n"), "line 24\n");
  EXPECT_EQ(StripTerminalControl(" --More-- \b\b\b\b\b\b\b\b\b\b          "
                                 "\b\b\b\b\b\b\b\b\b\bnext"),
            "next");
  EXPECT_EQ(StripTerminalControl("---(more)---\r\x1b[Kline\n"), "line\n");
  EXPECT_EQ(StripTerminalControl("progress 10%\rprogress 100%\n"), "progress 100%\n");
  EXPECT_EQ(StripTerminalControl("\x1b"), "");
  EXPECT_EQ(StripTerminalControl("\x1b[12"), "");
}

TEST(TerminalTextTest, CleanOutputDropsEchoAndPrompt) {
  EXPECT_EQ(CleanCommandOutput("sh clock\r\n*10:00:00.000 UTC Mon Jan 1 2026\r\nR1#",
                               "sh clock"),
            "*10:00:00.000 UTC Mon Jan 1 2026");
  EXPECT_EQ(CleanCommandOutput("show ver\r\nline1\r\n\r\nline3\r\nR1#", "show ver"),
            "line1\n\nline3");
  EXPECT_EQ(CleanCommandOutput("terminal length 0\r\nR1#", "terminal length 0"), "");
}

TEST(TerminalTextTest, CleanOutputKeepsFirstLineWhenItIsNotTheEcho) {
  EXPECT_EQ(CleanCommandOutput("first\r\nsecond\r\nR1#", "show x"), "first\nsecond");
  // Blank lines just before the prompt are not output; blank lines within are.
  EXPECT_EQ(CleanCommandOutput("x\r\na\r\n\r\nb\r\n\r\n\r\nR1#", "x"), "a\n\nb");
  // Nor is a platform's prompt preamble, such as Junos's "[edit]".
  RE2 edit(R"(\[edit[^\]]*\])");
  EXPECT_EQ(CleanCommandOutput("commit\r\ncommit complete\r\n\r\n[edit]\r\nu@mx1# ", "commit",
                               &edit),
            "commit complete");
  EXPECT_EQ(CleanCommandOutput("show\r\n[edit]\r\nreal\r\n\r\n[edit]\r\nu@mx1# ", "show", &edit),
            "[edit]\nreal");
}

TEST(TerminalTextTest, ALongLineInPiecesComesAfterTheBlankLinesHeldBeforeIt) {
  std::vector<std::string> lines;
  OutputCleaner cleaner(
      "x", [&](absl::string_view line) { lines.emplace_back(line); }, nullptr,
      [&](absl::string_view more) { lines.back().append(more.data(), more.size()); });
  std::string raw = "x\r\na\r\n\r\n";
  cleaner.Consume(&raw);
  cleaner.ConsumeLongLine("b\x1b[1mb");
  cleaner.ConsumeLongLine("cc");
  raw = "dd\r\nR1#";
  cleaner.Consume(&raw);
  EXPECT_EQ(raw, "R1#");
  EXPECT_THAT(lines, ::testing::ElementsAre("a", "", "bbccdd"));
  // A long first line is output, whatever it holds.
  lines.clear();
  OutputCleaner first(
      "show x", [&](absl::string_view line) { lines.emplace_back(line); }, nullptr,
      [&](absl::string_view more) { lines.back().append(more.data(), more.size()); });
  first.ConsumeLongLine("show x, then more");
  EXPECT_THAT(lines, ::testing::ElementsAre("show x, then more"));
}

TEST(TerminalTextTest, FindsRejectionsPerPlatform) {
  EXPECT_EQ(FindRejection(Ios(), "        ^\n% Invalid input detected at '^' marker.\n"),
            "% Invalid input detected at '^' marker.");
  EXPECT_EQ(FindRejection(Ios(), "% Ambiguous command:  \"s\""), "% Ambiguous command:  \"s\"");
  EXPECT_EQ(FindRejection(Ios(), "% Incomplete command."), "% Incomplete command.");
  EXPECT_EQ(FindRejection(*FindPlatform("juniper_junos"), "     ^\nsyntax error, expecting <command>."),
            "syntax error, expecting <command>.");
  EXPECT_EQ(FindRejection(Ios(), "Interface  IP-Address\nGi0/0 10.0.0.1"), std::nullopt);
  // A '%' inside ordinary output is not a complaint.
  EXPECT_EQ(FindRejection(Ios(), "CPU utilization 5% Invalid input"), std::nullopt);
  EXPECT_EQ(FindRejection(*FindPlatform("linux"), "% Invalid input"), std::nullopt);
}

TEST(TerminalTextTest, RecognisesPagers) {
  for (const char* pager : {" --More-- ", "--More--", "-- More --", "---(more)---",
                            "---(more 52%)---", " --more-- ", "(END)"}) {
    EXPECT_TRUE(RE2::FullMatch(TrailingLine(std::string("x\r\n") + pager), PagerPrompt()))
        << pager;
  }
  for (const char* text : {"More output follows", "R1#", "--- sh clock", "Moreover --"}) {
    EXPECT_FALSE(RE2::FullMatch(TrailingLine(text), PagerPrompt())) << text;
  }
}

}  // namespace
}  // namespace netshard
