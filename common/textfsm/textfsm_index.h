// A template library's `index` (ntc-templates, clitable's format): which
// template parses which command's output on which platform.
//
//   Template, Hostname, Platform, Command
//   cisco_ios_show_clock.textfsm, .*, cisco_ios, sh[[ow]] clo[[ck]]
//
// Columns other than Template are regexes matched at the start of the
// value (Python's re.match); the first matching row wins. `abc[[xyz]]`
// completes like the CLI does: "abc", "abcx", "abcxy" or "abcxyz".
#ifndef NETSHARD_COMMON_TEXTFSM_TEXTFSM_INDEX_H_
#define NETSHARD_COMMON_TEXTFSM_TEXTFSM_INDEX_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/textfsm/python_regex.h"

namespace netshard {

// "sh[[ow]]" -> "sh(o(w)?)?", as clitable expands it.
std::string ExpandCompletions(absl::string_view command);

class TemplateIndex {
 public:
  // Reads DIR/index. Errors name the file and line.
  static absl::StatusOr<std::unique_ptr<TemplateIndex>> Load(const std::string& dir);
  // Reads index text (`source` names it in errors).
  static absl::StatusOr<std::unique_ptr<TemplateIndex>> Parse(absl::string_view text,
                                                              absl::string_view source);

  // The template file name for `command` on `platform`, or nullopt.
  std::optional<std::string> Find(absl::string_view platform, absl::string_view command) const;

 private:
  struct Row {
    std::string template_file;
    std::unique_ptr<PythonRegex> platform;  // null: any
    std::unique_ptr<PythonRegex> command;
  };
  std::vector<Row> rows_;
};

}  // namespace netshard

#endif  // NETSHARD_COMMON_TEXTFSM_TEXTFSM_INDEX_H_
