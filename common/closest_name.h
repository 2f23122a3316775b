// "Did you mean ...?" for names a user types: device_types, subcommands.
#ifndef NETSHARD_COMMON_CLOSEST_NAME_H_
#define NETSHARD_COMMON_CLOSEST_NAME_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace netshard {

// Edits (insert, delete, change, swap two neighbours) from `a` to `b`.
size_t EditDistance(absl::string_view a, absl::string_view b);

// Up to `limit` of `names` close to `typed` (case-insensitive), closest
// first: a few edits away, or one containing the other.
std::vector<std::string> ClosestNames(absl::string_view typed,
                                      const std::vector<std::string>& names, size_t limit = 3);

}  // namespace netshard

#endif  // NETSHARD_COMMON_CLOSEST_NAME_H_
