#include "common/textfsm/python_regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <cctype>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace netshard {
namespace {

// `\u` and `\U` take 4 and 8 hex digits in Python.
size_t HexDigits(absl::string_view text, size_t at, size_t want) {
  size_t n = 0;
  while (n < want && at + n < text.size() && absl::ascii_isxdigit(text[at + n])) ++n;
  return n;
}

// One match data per thread, grown to the largest pattern it has served:
// matching then allocates nothing.
pcre2_match_data* ThreadMatchData(int pairs) {
  struct Holder {
    pcre2_match_data* data = nullptr;
    int pairs = 0;
    ~Holder() { pcre2_match_data_free(data); }
  };
  thread_local Holder holder;
  if (holder.pairs < pairs) {
    pcre2_match_data_free(holder.data);
    holder.pairs = std::max(pairs, 32);
    holder.data = pcre2_match_data_create(holder.pairs, nullptr);
  }
  return holder.data;
}

}  // namespace

std::string PythonToPcre2(absl::string_view pattern) {
  std::string out;
  out.reserve(pattern.size() + 8);
  bool in_class = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      char next = pattern[++i];
      if (next == 'Z' && !in_class) {
        out += "\\z";  // Python's \Z is the very end; PCRE2's allows a final newline
      } else if (next == 'v') {
        out += "\\x0b";  // a vertical tab in Python, any vertical space in PCRE2
      } else if ((next == 'u' || next == 'U') &&
                 HexDigits(pattern, i + 1, next == 'u' ? 4 : 8) == (next == 'u' ? 4u : 8u)) {
        size_t digits = next == 'u' ? 4 : 8;
        absl::StrAppend(&out, "\\x{", pattern.substr(i + 1, digits), "}");
        i += digits;
      } else {
        out += '\\';
        out += next;
      }
      continue;
    }
    if (in_class) {
      if (c == '[') {
        out += "\\[";  // literal in Python; "[:" would open a POSIX class in PCRE2
        continue;
      }
      if (c == ']') in_class = false;
      out += c;
      continue;
    }
    if (c == '[') {
      in_class = true;
      out += c;
      // A ']' first in the class (after an optional '^') is literal.
      if (i + 1 < pattern.size() && pattern[i + 1] == '^') out += pattern[++i];
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') out += pattern[++i];
      continue;
    }
    if (c == '{' && i + 1 < pattern.size() && pattern[i + 1] == ',') {
      size_t digits = i + 2;
      while (digits < pattern.size() && absl::ascii_isdigit(pattern[digits])) ++digits;
      if (digits > i + 2 && digits < pattern.size() && pattern[digits] == '}') {
        out += "{0";  // Python's {,n}
        continue;
      }
    }
    out += c;
  }
  return out;
}

absl::StatusOr<std::unique_ptr<PythonRegex>> PythonRegex::Compile(absl::string_view pattern) {
  std::string translated = PythonToPcre2(pattern);
  int error = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(translated.data()),
                                   translated.size(),
                                   PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF, &error,
                                   &offset, nullptr);
  if (code == nullptr) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error, message, sizeof(message));
    return absl::InvalidArgumentError(absl::StrCat("invalid regular expression '", pattern,
                                                   "': ", reinterpret_cast<char*>(message),
                                                   " at offset ", offset));
  }
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // without JIT (no support): interpreted
  std::unique_ptr<PythonRegex> regex(new PythonRegex(code));
  uint32_t count = 0;
  pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &count);
  regex->group_count_ = static_cast<int>(count);
  uint32_t names = 0;
  uint32_t entry_size = 0;
  PCRE2_SPTR table = nullptr;
  pcre2_pattern_info(code, PCRE2_INFO_NAMECOUNT, &names);
  pcre2_pattern_info(code, PCRE2_INFO_NAMEENTRYSIZE, &entry_size);
  pcre2_pattern_info(code, PCRE2_INFO_NAMETABLE, &table);
  for (uint32_t i = 0; i < names; ++i) {
    PCRE2_SPTR entry = table + i * entry_size;
    int number = (entry[0] << 8) | entry[1];
    regex->named_.emplace_back(reinterpret_cast<const char*>(entry + 2), number);
  }
  std::sort(regex->named_.begin(), regex->named_.end(),
            [](const auto& a, const auto& b) { return a.second < b.second; });
  return regex;
}

PythonRegex::PythonRegex(pcre2_real_code_8* code) : code_(code) {}

PythonRegex::~PythonRegex() { pcre2_code_free(code_); }

absl::StatusOr<bool> PythonRegex::TryMatch(
    absl::string_view subject, std::vector<std::optional<absl::string_view>>* groups) const {
  pcre2_match_data* data = ThreadMatchData(group_count_ + 1);
  int rc = pcre2_match(code_, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0,
                       PCRE2_ANCHORED, data, nullptr);
  if (rc == PCRE2_ERROR_NOMATCH) return false;
  if (rc < 0) {
    // A limit (or memory) ran out: not knowing is not "no match".
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(rc, message, sizeof(message));
    return absl::ResourceExhaustedError(
        absl::StrCat("PCRE2: ", reinterpret_cast<char*>(message)));
  }
  if (groups == nullptr) return true;
  PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(data);
  groups->assign(group_count_ + 1, std::nullopt);
  for (int g = 1; g <= group_count_; ++g) {
    if (g >= rc || ovector[2 * g] == PCRE2_UNSET) continue;
    (*groups)[g] = subject.substr(ovector[2 * g], ovector[2 * g + 1] - ovector[2 * g]);
  }
  return true;
}

}  // namespace netshard
