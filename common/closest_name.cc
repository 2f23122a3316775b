#include "common/closest_name.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace netshard {

size_t EditDistance(absl::string_view a, absl::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1,
                          d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);  // "iso" for "ios"
      }
    }
  }
  return d[a.size()][b.size()];
}

std::vector<std::string> ClosestNames(absl::string_view typed_text,
                                      const std::vector<std::string>& names, size_t limit) {
  std::string typed = absl::AsciiStrToLower(typed_text);
  std::vector<std::pair<size_t, std::string>> scored;
  for (const std::string& name : names) {
    size_t distance = EditDistance(typed, name);
    // "hp_comware_ssh7" or "comware": one contains the other.
    if (typed.size() >= 3 && (absl::StrContains(name, typed) || absl::StrContains(typed, name))) {
      distance = std::min<size_t>(distance, 2);
    }
    if (distance <= std::max<size_t>(2, typed.size() / 3)) scored.push_back({distance, name});
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> closest;
  for (size_t i = 0; i < scored.size() && i < limit; ++i) closest.push_back(scored[i].second);
  return closest;
}

}  // namespace netshard
