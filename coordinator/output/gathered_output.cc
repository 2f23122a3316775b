#include "coordinator/output/gathered_output.h"

#include <algorithm>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "coordinator/output/result_printer.h"

namespace netshard {
namespace {

struct Numbered {
  std::string prefix;
  long long number;
  size_t digits;  // "sim01" keeps its zero padding
};

std::optional<Numbered> SplitNumber(const std::string& name) {
  size_t start = name.size();
  while (start > 0 && absl::ascii_isdigit(static_cast<unsigned char>(name[start - 1]))) --start;
  size_t digits = name.size() - start;
  if (digits == 0 || digits > 15) return std::nullopt;
  long long number = 0;
  if (!absl::SimpleAtoi(name.substr(start), &number)) return std::nullopt;
  return Numbered{name.substr(0, start), number, digits};
}

std::string Pad(long long number, size_t digits) {
  std::string text = absl::StrCat(number);
  if (text.size() < digits) text.insert(0, digits - text.size(), '0');
  return text;
}

}  // namespace

std::string FoldNames(std::vector<std::string> names) {
  std::map<std::pair<std::string, size_t>, std::vector<long long>> numbered;
  std::vector<std::string> parts;
  for (const std::string& name : names) {
    std::optional<Numbered> split = SplitNumber(name);
    // Unpadded numbers share one range whatever their width.
    if (split && (split->digits == 1 || name[split->prefix.size()] != '0')) split->digits = 0;
    if (split) {
      numbered[{split->prefix, split->digits}].push_back(split->number);
    } else {
      parts.push_back(name);
    }
  }
  for (auto& [key, numbers] : numbered) {
    const auto& [prefix, digits] = key;
    std::sort(numbers.begin(), numbers.end());
    numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
    if (numbers.size() == 1) {
      parts.push_back(prefix + Pad(numbers[0], digits));
      continue;
    }
    std::vector<std::string> runs;
    for (size_t i = 0; i < numbers.size();) {
      size_t j = i;
      while (j + 1 < numbers.size() && numbers[j + 1] == numbers[j] + 1) ++j;
      runs.push_back(j == i ? Pad(numbers[i], digits)
                            : absl::StrCat(Pad(numbers[i], digits), "-", Pad(numbers[j], digits)));
      i = j + 1;
    }
    parts.push_back(absl::StrCat(prefix, "[", absl::StrJoin(runs, ","), "]"));
  }
  std::sort(parts.begin(), parts.end());
  return absl::StrJoin(parts, ",");
}

void GatheredOutput::Add(const Device& device, const v1::DeviceResult& result) {
  names_by_body_[TextBody(result)].push_back(device.name);
}

std::string GatheredOutput::Text() const {
  std::vector<std::pair<const std::string*, const std::vector<std::string>*>> groups;
  for (const auto& [body, names] : names_by_body_) groups.emplace_back(&body, &names);
  std::stable_sort(groups.begin(), groups.end(),
                   [](const auto& a, const auto& b) { return a.second->size() > b.second->size(); });
  std::string out;
  for (const auto& [body, names] : groups) {
    absl::StrAppend(&out, "=== ", FoldNames(*names), " (", names->size(), ")\n", *body);
  }
  return out;
}

}  // namespace netshard
