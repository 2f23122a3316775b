// What a device session keeps of the bytes it reads, to find the prompt in
// them: the unterminated last line, never more (a prompt is short, and only
// the last line can hold it). Each Append costs time in the bytes appended,
// never a rescan of earlier ones, so output without newlines stays linear,
// and memory stays bounded whatever the device sends.
#ifndef NETSHARD_COMMON_SESSION_PROMPT_SCANNER_H_
#define NETSHARD_COMMON_SESSION_PROMPT_SCANNER_H_

#include <string>

#include "absl/strings/string_view.h"
#include "common/session/terminal_text.h"

namespace netshard {

// Thread contract: confined to its session's thread.
class PromptScanner {
 public:
  // Takes what the device sent next. Complete lines, and the pieces of a
  // line too long to be a prompt, go to `cleaner` (a command's output) or,
  // when it is null (a login banner), are dropped.
  void Append(absl::string_view bytes, OutputCleaner* cleaner);

  // Forgets the unterminated line and that a newline came: what is typed
  // next gets a reply of its own.
  void Clear();

  // The unterminated last line as a terminal shows it (TrailingLine): empty
  // when there is none or it is too long to be a prompt.
  const std::string& line() const { return line_; }

  // Whether a newline came since the last Clear.
  bool saw_newline() const { return saw_newline_; }

 private:
  std::string raw_;        // the unterminated line as sent, or the rest of a long one
  bool long_line_ = false;  // raw_ continues a line already too long for a prompt
  bool saw_newline_ = false;
  std::string line_;  // TrailingLine of raw_, found once per Append
};

}  // namespace netshard

#endif  // NETSHARD_COMMON_SESSION_PROMPT_SCANNER_H_
