// Regular expressions in Python's `re` dialect — what TextFSM templates are
// written in — run by PCRE2: lookarounds, named groups and backreferences
// as Python has them, Unicode classes, JIT-compiled once and matched from
// any number of threads.
#ifndef NETSHARD_COMMON_TEXTFSM_PYTHON_REGEX_H_
#define NETSHARD_COMMON_TEXTFSM_PYTHON_REGEX_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

struct pcre2_real_code_8;

namespace netshard {

// What Python's re would write differently for PCRE2: `{,n}` (PCRE2 10.42
// reads it literally), `[` inside a class (a POSIX class to PCRE2), `\Z`,
// `\v`, `\uXXXX`, `\UXXXXXXXX`. The rest is the same language.
std::string PythonToPcre2(absl::string_view pattern);

class PythonRegex {
 public:
  // An error names the pattern and what is wrong with it, at which offset.
  static absl::StatusOr<std::unique_ptr<PythonRegex>> Compile(absl::string_view pattern);
  ~PythonRegex();
  PythonRegex(const PythonRegex&) = delete;
  PythonRegex& operator=(const PythonRegex&) = delete;

  // As Python's pattern.match: anchored at the start of `subject`, not at
  // its end. On a match, `groups` (when given) gets every capture group,
  // 1 to group_count(): nullopt for a group that did not take part.
  // ResourceExhausted when PCRE2 gave up before knowing (its match, depth or
  // heap limit, on catastrophic backtracking; a JIT stack overflow is, in
  // PCRE2 10.42, retried by the interpreter under those limits): the message
  // says which; the subject may or may not match.
  absl::StatusOr<bool> TryMatch(
      absl::string_view subject,
      std::vector<std::optional<absl::string_view>>* groups = nullptr) const;

  // TryMatch with a limit reached counting as no match: for short subjects
  // (an action, an index field), where no limit is near.
  bool Match(absl::string_view subject,
             std::vector<std::optional<absl::string_view>>* groups = nullptr) const {
    absl::StatusOr<bool> matched = TryMatch(subject, groups);
    return matched.ok() && *matched;
  }

  int group_count() const { return group_count_; }
  // Named groups and their numbers, in the order they appear.
  const std::vector<std::pair<std::string, int>>& named_groups() const { return named_; }

 private:
  explicit PythonRegex(pcre2_real_code_8* code);

  pcre2_real_code_8* code_;
  int group_count_ = 0;
  std::vector<std::pair<std::string, int>> named_;
};

}  // namespace netshard

#endif  // NETSHARD_COMMON_TEXTFSM_PYTHON_REGEX_H_
