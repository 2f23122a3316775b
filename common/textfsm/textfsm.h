// TextFSM: the template language ntc-templates is written in, and the state
// machine that turns `show` output into records — the same records as
// Google's textfsm 1.1 (what Netmiko's use_textfsm runs), natively.
//
// A template is parsed and its regexes compiled once; a TextFsm is then
// immutable and parses any number of outputs from any number of threads.
#ifndef NETSHARD_COMMON_TEXTFSM_TEXTFSM_H_
#define NETSHARD_COMMON_TEXTFSM_TEXTFSM_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/textfsm/python_regex.h"

namespace netshard {

// One value of a record, as Python's textfsm holds it: a string (unset is
// ""), or for a List value a list whose items are strings (None when an
// optional group did not match) or, when the value's regex has named groups
// of its own, objects of those.
struct FsmCell {
  struct Item {
    std::optional<std::string> text;  // a string item (nullopt: None)
    std::vector<std::pair<std::string, std::optional<std::string>>> fields;  // an object item
    bool is_object = false;
  };
  enum class Kind { kNone, kText, kList };
  Kind kind = Kind::kNone;
  std::string text;
  std::vector<Item> items;

  // Python's truth: None, "" and [] are false.
  bool truthy() const;
  bool operator==(const FsmCell& other) const;
};

using FsmRecord = std::vector<FsmCell>;

class TextFsm {
 public:
  // A template error names `source` (the file) and the template line.
  static absl::StatusOr<std::unique_ptr<TextFsm>> Parse(absl::string_view text,
                                                        absl::string_view source);
  ~TextFsm();

  // The records of `output`, one cell per header() entry. An Error action
  // in the template is an error naming the rule line and the input line; a
  // regex that hits a PCRE2 limit is ResourceExhausted naming the rule line,
  // the input line's number and the limit.
  absl::StatusOr<std::vector<FsmRecord>> ParseText(absl::string_view output) const;

  // The Value names, in declaration order.
  const std::vector<std::string>& header() const { return header_; }
  // The names of the Values marked Key.
  std::vector<std::string> keys() const;
  const std::string& source() const { return source_; }

  struct Value;
  struct Rule;
  struct State;

 private:
  TextFsm() = default;
  class Builder;  // Parse: the template, section by section
  class Run;      // ParseText: one output

  std::string source_;
  std::vector<std::string> header_;
  std::vector<std::unique_ptr<Value>> values_;
  std::vector<std::unique_ptr<State>> states_;  // [0] is Start
  bool has_eof_state_ = false;
};

// Python's str.splitlines(): \n, \r\n, \r, \v, \f, \x1c-\x1e, and in UTF-8
// U+0085, U+2028, U+2029 end a line; no final empty line.
std::vector<absl::string_view> SplitLines(absl::string_view text);

}  // namespace netshard

#endif  // NETSHARD_COMMON_TEXTFSM_TEXTFSM_H_
