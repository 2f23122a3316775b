#include "common/session/terminal_text.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace netshard {
namespace {

constexpr char kEsc = '\x1b';
// Bounds what a flood of blank lines can make the cleaner hold.
constexpr size_t kMaxHeldLines = 1024;

// Length of the escape sequence starting at raw[i] (raw[i] == ESC).
size_t EscapeLength(absl::string_view raw, size_t i) {
  if (i + 1 >= raw.size()) return raw.size() - i;
  char kind = raw[i + 1];
  size_t j = i + 2;
  if (kind == '[') {  // CSI: parameters then one final byte in @..~
    while (j < raw.size() && !(raw[j] >= '@' && raw[j] <= '~')) ++j;
    return std::min(j + 1, raw.size()) - i;
  }
  if (kind == ']') {  // OSC: ends with BEL or ESC backslash
    while (j < raw.size() && raw[j] != '\a' &&
           !(raw[j] == kEsc && j + 1 < raw.size() && raw[j + 1] == '\\')) {
      ++j;
    }
    if (j < raw.size() && raw[j] == kEsc) ++j;
    return std::min(j + 1, raw.size()) - i;
  }
  if (kind == '(' || kind == ')') return std::min<size_t>(3, raw.size() - i);
  return 2;
}

}  // namespace

// Renders bytes as a terminal would: '\r' returns to the start of the line
// and what follows overwrites it, backspace moves left, ESC[K erases to the
// end of the line, other escape sequences vanish. Pagers rub themselves out
// with exactly these ("\r    \r", "\b\b  \b\b", ESC[K).
std::string StripTerminalControl(absl::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  size_t line_start = 0;
  size_t cursor = 0;
  // Blanks past the cursor are erased text, not output.
  auto end_line = [&] {
    if (cursor >= out.size()) return;
    size_t last_text = out.find_last_not_of(' ');
    size_t keep =
        last_text == std::string::npos || last_text < line_start ? line_start : last_text + 1;
    out.resize(std::max(cursor, keep));
  };
  for (size_t i = 0; i < raw.size();) {
    char c = raw[i];
    if (c == kEsc) {
      size_t length = EscapeLength(raw, i);
      bool erase_to_end = length >= 3 && raw[i + 1] == '[' && raw[i + length - 1] == 'K';
      if (erase_to_end) out.resize(cursor);
      i += length;
      continue;
    }
    ++i;
    if (c == '\r') {
      if (i < raw.size() && raw[i] == '\n') continue;  // CRLF is just a newline
      cursor = line_start;
    } else if (c == '\n') {
      end_line();
      out.push_back('\n');
      line_start = cursor = out.size();
    } else if (c == '\b') {
      if (cursor > line_start) --cursor;
    } else if (c != '\0') {
      if (cursor < out.size()) {
        out[cursor] = c;
      } else {
        out.push_back(c);
      }
      ++cursor;
    }
  }
  end_line();
  return out;
}

std::string TrailingLine(absl::string_view buffer) {
  size_t newline = buffer.find_last_of('\n');
  absl::string_view line =
      newline == absl::string_view::npos ? buffer : buffer.substr(newline + 1);
  // Only a short tail can be a prompt; ANSI codes may pad it a little.
  if (line.size() > kMaxPromptBytes) return "";
  size_t cr = line.find_last_of('\r');
  if (cr != absl::string_view::npos) line.remove_prefix(cr + 1);
  std::string visible = StripTerminalControl(line);
  if (visible.size() > kMaxPromptLength) return "";
  return visible;
}

std::string FirstPrompt(const Platform& platform, absl::string_view line) {
  constexpr size_t kMaxRepeats = 4;  // one per newline typed ahead
  for (size_t repeats = kMaxRepeats; repeats >= 2; --repeats) {
    if (line.empty() || line.size() % repeats != 0) continue;
    absl::string_view once = line.substr(0, line.size() / repeats);
    bool repeated = LooksLikePrompt(platform, once);
    for (size_t at = once.size(); repeated && at < line.size(); at += once.size()) {
      repeated = line.substr(at, once.size()) == once;
    }
    if (repeated) return std::string(once);
  }
  return std::string(line);
}

bool LooksLikePrompt(const Platform& platform, absl::string_view line) {
  absl::ConsumeSuffix(&line, " ");
  return !line.empty() && platform.prompt_terminators.find(line.back()) != std::string::npos;
}

std::string PromptBase(const Platform& platform, absl::string_view line) {
  std::string base;
  if (platform.prompt != nullptr &&
      RE2::FullMatch(re2::StringPiece(line.data(), line.size()), *platform.prompt, &base)) {
    return base;
  }
  absl::string_view rest = absl::StripTrailingAsciiWhitespace(line);
  if (!rest.empty() && platform.prompt_terminators.find(rest.back()) != std::string::npos) {
    rest.remove_suffix(1);
  }
  size_t name = rest.find_first_not_of(platform.prompt_openers);
  rest = name == absl::string_view::npos ? "" : rest.substr(name);
  rest = absl::StripTrailingAsciiWhitespace(rest);
  if (absl::EndsWith(rest, ")") && rest.rfind('(') != absl::string_view::npos) {
    rest = absl::StripTrailingAsciiWhitespace(rest.substr(0, rest.rfind('(')));
  }
  // What closes an opener: "[admin@MikroTik]", "(sw1)".
  while (!rest.empty() && (rest.back() == ']' || rest.back() == ')')) {
    rest = absl::StripTrailingAsciiWhitespace(rest.substr(0, rest.size() - 1));
  }
  return std::string(rest);
}

DevicePrompt::DevicePrompt(const Platform& platform, absl::string_view base)
    : base_(base),
      terminators_(platform.prompt_terminators),
      openers_(platform.prompt_openers),
      mode_spaces_(platform.prompt_mode_spaces),
      max_mode_(platform.prompt_max_mode) {}

bool DevicePrompt::Matches(absl::string_view line) const {
  constexpr size_t kMaxOpeners = 4;  // "[~", "* "
  for (size_t i = 0; i < kMaxOpeners && !line.empty() && !absl::StartsWith(line, base_) &&
                     openers_.find(line.front()) != std::string::npos;
       ++i) {
    line.remove_prefix(1);
  }
  if (!absl::ConsumePrefix(&line, base_)) return false;
  absl::ConsumeSuffix(&line, " ");
  if (line.empty() || line.size() > max_mode_ + 1 ||
      terminators_.find(line.back()) == std::string::npos) {
    return false;
  }
  line.remove_suffix(1);
  // Non-blank as a regex's \S: anything but space, \t, \n, \f, \r.
  return line.find_first_of(mode_spaces_ ? "\t\n\f\r" : " \t\n\f\r") ==
         absl::string_view::npos;
}

OutputCleaner::OutputCleaner(absl::string_view command, LineSink sink, const RE2* preamble,
                             LineSink more)
    : command_(absl::StripAsciiWhitespace(command)),
      sink_(std::move(sink)),
      preamble_(preamble),
      more_(std::move(more)) {}

void OutputCleaner::Consume(std::string* raw) {
  size_t end = raw->find_last_of('\n');
  if (end == std::string::npos) return;
  absl::string_view lines(raw->data(), end);
  for (absl::string_view line : absl::StrSplit(lines, '\n')) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // CRLF
    std::string clean = StripTerminalControl(line);
    if (in_long_line_) {
      in_long_line_ = false;
      more_(clean);
      continue;
    }
    // The device echoes what was typed; that line is not output.
    bool echo = first_line_ && !command_.empty() && absl::StrContains(clean, command_);
    first_line_ = false;
    if (echo) continue;
    bool blank = absl::StripAsciiWhitespace(clean).empty();
    if (held_.size() < kMaxHeldLines &&
        (blank || (preamble_ != nullptr && RE2::FullMatch(clean, *preamble_)))) {
      held_.push_back(std::move(clean));
      continue;
    }
    for (const std::string& held : held_) sink_(held);
    held_.clear();
    sink_(clean);
  }
  raw->erase(0, end + 1);
}

void OutputCleaner::ConsumeLongLine(absl::string_view piece) {
  std::string clean = StripTerminalControl(piece);
  if (in_long_line_) {
    more_(clean);
    return;
  }
  first_line_ = false;
  in_long_line_ = true;
  for (const std::string& held : held_) sink_(held);
  held_.clear();
  sink_(clean);
}

std::string CleanCommandOutput(absl::string_view raw, absl::string_view command,
                               const RE2* preamble) {
  std::string out;
  bool first = true;
  OutputCleaner cleaner(command, [&](absl::string_view line) {
    absl::StrAppend(&out, first ? "" : "\n", line);
    first = false;
  }, preamble);
  std::string text(raw);
  cleaner.Consume(&text);  // what is left is the prompt that ended the command
  return out;
}

std::optional<std::string> FindRejection(const Platform& platform,
                                         absl::string_view output) {
  if (platform.rejection_patterns.empty()) return std::nullopt;
  for (absl::string_view line : absl::StrSplit(output, '\n')) {
    for (const auto& pattern : platform.rejection_patterns) {
      if (RE2::PartialMatch(re2::StringPiece(line.data(), line.size()), *pattern)) {
        return std::string(absl::StripAsciiWhitespace(line));
      }
    }
  }
  return std::nullopt;
}

}  // namespace netshard
