// Reading a device's terminal: finding its prompt at the end of what it sent
// and turning raw PTY bytes into clean command output. Pure functions over
// untrusted bytes: any input is safe, and work is bounded by its length.
#ifndef NETSHARD_COMMON_SESSION_TERMINAL_TEXT_H_
#define NETSHARD_COMMON_SESSION_TERMINAL_TEXT_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>
#include "absl/strings/string_view.h"

#include "common/platform/platform.h"
#include "re2/re2.h"

namespace netshard {

// Longest last line still considered as a prompt; longer lines are output.
inline constexpr size_t kMaxPromptLength = 256;
// Most bytes a prompt line may take as sent, ANSI codes included.
inline constexpr size_t kMaxPromptBytes = 4 * kMaxPromptLength;

// The unterminated last line of `buffer` as a terminal shows it: after the
// last '\n' and the last '\r', without ANSI escapes. Empty when `buffer`
// ends with a newline or the line is longer than kMaxPromptLength (or, as
// sent, kMaxPromptBytes).
std::string TrailingLine(absl::string_view buffer);

// The first prompt of a session, which a newline typed ahead of it (the
// login was slow) may have shown twice or more on one line: a PTY echoes
// the typed newline before the greeting, so the device prints "R1>" and,
// reading that newline, "R1>" again ("R1>R1>" -> "R1>"). Else `line`.
std::string FirstPrompt(const Platform& platform, absl::string_view line);

// Whether `line` (a TrailingLine) has the shape of one of `platform`'s
// prompts: it ends in one of its terminators, perhaps followed by a space.
bool LooksLikePrompt(const Platform& platform, absl::string_view line);

// The base name in a prompt learned from the device: group 1 of the
// platform's pattern when that matches, else the line without its openers,
// terminator and a trailing "(mode)" or "]" ("<HUAWEI>" -> "HUAWEI",
// "FGT60D (root) # " -> "FGT60D", "host>" -> "host"). Empty: none left.
std::string PromptBase(const Platform& platform, absl::string_view line);

// The prompt of a device whose base name is `base`, in any mode ("R1>",
// "R1#", "R1(config-if)#", "[~HUAWEI-Vlanif10]"): up to 4 of the platform's
// openers, the base, up to its max_mode more bytes (non-blank, unless the
// platform's prompts hold spaces), one of its terminators, maybe a space.
// Matched by hand: compiling a regex for each device cost a fifth of a
// session's CPU.
class DevicePrompt {
 public:
  DevicePrompt(const Platform& platform, absl::string_view base);
  // Whether `line` (a TrailingLine) is this prompt.
  bool Matches(absl::string_view line) const;
  // Whether the last line of `buffer` is.
  bool AtEndOf(absl::string_view buffer) const { return Matches(TrailingLine(buffer)); }

 private:
  std::string base_;
  std::string terminators_;
  std::string openers_;
  bool mode_spaces_;
  size_t max_mode_;
};

// Removes ANSI escape sequences, applies backspaces and drops '\r'.
std::string StripTerminalControl(absl::string_view raw);

// The output of `command` from everything the device sent after it was
// typed: control stripped, the echoed command and the trailing prompt line
// removed, no trailing newline.
std::string CleanCommandOutput(absl::string_view raw, absl::string_view command,
                               const RE2* preamble = nullptr);

// CleanCommandOutput as a stream, so output of any size flows through in
// bounded memory: raw bytes of one command's reply go in as they arrive,
// each complete line comes out cleaned, the echoed command dropped; the
// unterminated last line (the prompt) is never emitted, nor are the blank
// lines and `preamble` lines (Junos's "[edit]") just before it: those are
// held until real output follows them.
class OutputCleaner {
 public:
  // Receives each cleaned line, without its newline.
  using LineSink = std::function<void(absl::string_view line)>;
  // `more` is needed only with ConsumeLongLine.
  OutputCleaner(absl::string_view command, LineSink sink, const RE2* preamble = nullptr,
                LineSink more = nullptr);

  // Cleans and emits the complete lines at the front of `*raw`, leaving
  // only its unterminated tail there.
  void Consume(std::string* raw);

  // Cleans and emits `piece`, the start or more of an unterminated line too
  // long to be the prompt, so the line need not be held whole: its first
  // piece goes to `sink` as a line, the later ones and the rest a Consume
  // then completes go to `more`, each to be appended to it. Such a line is
  // never taken for the echo. A '\r' or escape sequence acts within its
  // piece only. REQUIRES: `more` was given.
  void ConsumeLongLine(absl::string_view piece);

 private:
  std::string command_;
  LineSink sink_;
  const RE2* preamble_;
  LineSink more_;
  bool first_line_ = true;
  bool in_long_line_ = false;  // ConsumeLongLine began the line Consume will end
  std::vector<std::string> held_;  // blank or preamble lines, not yet known to be output
};

// The device's complaint when `output` shows `platform` rejected the
// command (e.g. "% Invalid input detected at '^' marker."), or nullopt.
std::optional<std::string> FindRejection(const Platform& platform,
                                         absl::string_view output);

}  // namespace netshard

#endif  // NETSHARD_COMMON_SESSION_TERMINAL_TEXT_H_
