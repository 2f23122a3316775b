#include "common/session/prompt_scanner.h"

namespace netshard {
namespace {

// An unterminated line longer than this leaves as output in pieces. Far
// above kMaxPromptBytes, so ordinary long lines (JSON on one line, wide
// tables) stay whole.
constexpr size_t kLongLineBytes = 64 << 10;
// A piece never ends inside an escape sequence this close to its end:
// ANSI colour and cursor codes are short.
constexpr size_t kMaxEscapeBytes = 32;

}  // namespace

void PromptScanner::Append(absl::string_view bytes, OutputCleaner* cleaner) {
  size_t newline = bytes.rfind('\n');
  if (newline != absl::string_view::npos) {
    saw_newline_ = true;
    if (cleaner != nullptr) {
      raw_.append(bytes.data(), newline + 1);
      cleaner->Consume(&raw_);
    }
    raw_.clear();
    long_line_ = false;
    bytes.remove_prefix(newline + 1);
  }
  raw_.append(bytes.data(), bytes.size());
  if (raw_.size() > kLongLineBytes) {
    size_t cut = raw_.size();
    size_t escape = absl::string_view(raw_).substr(cut - kMaxEscapeBytes).rfind('\x1b');
    if (escape != absl::string_view::npos) cut -= kMaxEscapeBytes - escape;
    if (cleaner != nullptr) cleaner->ConsumeLongLine(absl::string_view(raw_).substr(0, cut));
    raw_.erase(0, cut);
    long_line_ = true;
  }
  // Empty either way; this spares TrailingLine's scan of what is kept.
  if (long_line_ || raw_.size() > kMaxPromptBytes) {
    line_.clear();
  } else {
    line_ = TrailingLine(raw_);
  }
}

void PromptScanner::Clear() {
  raw_.clear();
  long_line_ = false;
  saw_newline_ = false;
  line_.clear();
}

}  // namespace netshard
