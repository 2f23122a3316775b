// The text a simulated device sends: platform texts with their
// placeholders filled, and generated filler.
#ifndef NETSHARD_TESTS_DEVSIM_SIM_TEXT_H_
#define NETSHARD_TESTS_DEVSIM_SIM_TEXT_H_

#include <cstddef>
#include <optional>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"

namespace netshard::devsim {

// A placeholder's value, or nullopt when `name` is none.
using PlaceholderValue = absl::FunctionRef<std::optional<std::string>(absl::string_view name)>;

// `text` with each `{name}` replaced by value(name), and each `{name:W}` by
// that value padded with spaces to W columns (table columns). Braces around
// anything else stay as written: outputs hold "system {" and "{master:0}".
std::string FillTemplate(absl::string_view text, PlaceholderValue value);

// `text` ending in a line end, as output before a prompt does: "\r\n" is
// added unless `text` is empty or already ends in one.
std::string EndLine(std::string text);

// `bytes` of filler (`show tech-support`), rounded up to whole 80-byte
// lines: a device never ends its output mid-line.
std::string TechSupportText(size_t bytes);

// `bytes` of filler without a line end, such as a device that never sends
// a newline: no character of a prompt, pager or line-editing sequence.
std::string UnbrokenText(size_t bytes);

}  // namespace netshard::devsim

#endif  // NETSHARD_TESTS_DEVSIM_SIM_TEXT_H_
