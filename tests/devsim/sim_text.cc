#include "tests/devsim/sim_text.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace netshard::devsim {
namespace {

bool IsName(absl::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(),
                                      [](char c) { return absl::ascii_islower(c) || c == '_'; });
}

}  // namespace

std::string FillTemplate(absl::string_view text, PlaceholderValue value) {
  std::string out;
  size_t done = 0;
  for (size_t open = text.find('{'); open != absl::string_view::npos;
       open = text.find('{', open + 1)) {
    size_t close = text.find('}', open);
    if (close == absl::string_view::npos) break;
    absl::string_view inner = text.substr(open + 1, close - open - 1);
    absl::string_view name = inner.substr(0, inner.find(':'));
    size_t width = 0;
    if (name.size() < inner.size() && !absl::SimpleAtoi(inner.substr(name.size() + 1), &width)) {
      continue;
    }
    std::optional<std::string> filled = IsName(name) ? value(name) : std::nullopt;
    if (!filled) continue;
    if (filled->size() < width) filled->resize(width, ' ');
    absl::StrAppend(&out, text.substr(done, open - done), *filled);
    done = close + 1;
    open = close;
  }
  absl::StrAppend(&out, text.substr(done));
  return out;
}

std::string EndLine(std::string text) {
  if (!text.empty() && text.back() != '\n') text += "\r\n";
  return text;
}

std::string TechSupportText(size_t bytes) {
  std::string out;
  out.reserve(bytes + 80);
  for (size_t line = 1; out.size() < bytes; ++line) {
    std::string text = absl::StrFormat("%08d tech-support line: ", line);
    text.resize(78, 'x');
    absl::StrAppend(&out, text, "\r\n");
  }
  return out;
}

std::string UnbrokenText(size_t bytes) {
  constexpr absl::string_view kPattern = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string out;
  out.reserve(bytes);
  while (out.size() < bytes) {
    out.append(kPattern.data(), std::min(kPattern.size(), bytes - out.size()));
  }
  return out;
}

}  // namespace netshard::devsim
