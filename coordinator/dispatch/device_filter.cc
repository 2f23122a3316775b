#include "coordinator/dispatch/device_filter.h"

#include <fnmatch.h>

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/closest_name.h"

namespace netshard {
namespace {

constexpr const char* kKeys[] = {"name", "ip", "host", "device_type", "platform", "segment",
                                 "group"};

bool Glob(const std::string& glob, const std::string& value) {
  return fnmatch(glob.c_str(), value.c_str(), 0) == 0;
}

bool InGroup(const Device& device, const std::string& glob) {
  if (Glob(glob, device.group)) return true;
  for (const std::string& group : device.more_groups) {
    if (Glob(glob, group)) return true;
  }
  return false;
}

// The device's values for `key`: one, or each group for `group`.
std::vector<std::string> ValuesOf(const Device& device, const std::string& key) {
  if (key == "name") return {device.name};
  if (key == "ip" || key == "host") return {device.address};
  if (key == "device_type") return {device.device_type};
  if (key == "platform") return {device.platform->name};
  if (key == "segment") return {device.segment};
  if (key == "group") {
    std::vector<std::string> groups = device.more_groups;
    groups.insert(groups.begin(), device.group);
    return groups;
  }
  auto var = device.vars.find(key);
  if (var == device.vars.end()) return {};
  return {var->second};
}

// One --group pattern, parsed.
struct Pattern {
  std::vector<std::string> any;      // union; empty: every device
  std::vector<std::string> all;      // `&name`: each must match too
  std::vector<std::string> exclude;  // `!name`: none may match
};

bool TermMatches(const Device& device, const std::string& term) {
  return term == "all" || term == "*" || InGroup(device, term) || Glob(term, device.name);
}

bool Matches(const Device& device, const Pattern& pattern) {
  bool in = pattern.any.empty();
  for (const std::string& term : pattern.any) in = in || TermMatches(device, term);
  for (const std::string& term : pattern.all) in = in && TermMatches(device, term);
  for (const std::string& term : pattern.exclude) in = in && !TermMatches(device, term);
  return in;
}

absl::StatusOr<Pattern> ParsePattern(const std::string& text, const Inventory& inventory,
                                     const std::set<std::string>& groups) {
  Pattern pattern;
  for (absl::string_view piece : absl::StrSplit(text, absl::ByAnyChar(":,"), absl::SkipEmpty())) {
    std::string term(piece);
    std::vector<std::string>* list = &pattern.any;
    if (term[0] == '&' || term[0] == '!') {
      list = term[0] == '&' ? &pattern.all : &pattern.exclude;
      term.erase(0, 1);
    }
    if (term.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("--group ", text, ": an empty name after & or !"));
    }
    // A plain name must be a group or a device; a glob may match nothing.
    bool glob = term.find_first_of("*?[") != std::string::npos;
    if (!glob && term != "all" && groups.count(term) == 0) {
      bool device = false;
      for (const Device& d : inventory.devices) device = device || d.name == term;
      if (!device) {
        std::vector<std::string> close =
            ClosestNames(term, std::vector<std::string>(groups.begin(), groups.end()), 1);
        return absl::InvalidArgumentError(absl::StrCat(
            "--group ", term, ": no such group or device in ", inventory.source,
            close.empty() ? "" : absl::StrCat(" (did you mean '", close[0], "'?)"), " (groups: ",
            absl::StrJoin(groups, ", "), ")"));
      }
    }
    list->push_back(std::move(term));
  }
  return pattern;
}

}  // namespace

absl::StatusOr<Inventory> SelectDevices(Inventory inventory, const DeviceFilter& filter) {
  std::set<std::string> groups;
  std::set<std::string> keys(std::begin(kKeys), std::end(kKeys));
  for (const Device& device : inventory.devices) {
    groups.insert(device.group);
    groups.insert(device.more_groups.begin(), device.more_groups.end());
    for (const auto& [key, value] : device.vars) keys.insert(key);
  }
  std::vector<Pattern> patterns;
  for (const std::string& text : filter.groups) {
    absl::StatusOr<Pattern> pattern = ParsePattern(text, inventory, groups);
    if (!pattern.ok()) return pattern.status();
    patterns.push_back(*std::move(pattern));
  }
  std::vector<std::pair<std::string, std::string>> tests;
  for (const std::string& text : filter.filters) {
    size_t equals = text.find('=');
    if (equals == std::string::npos || equals == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("--filter '", text, "': expected KEY=VALUE (VALUE may use * and ?)"));
    }
    std::string key = text.substr(0, equals);
    if (keys.count(key) == 0) {
      return absl::InvalidArgumentError(absl::StrCat("--filter '", text, "': no device has '",
                                                     key, "' (keys: ", absl::StrJoin(keys, ", "),
                                                     ")"));
    }
    tests.emplace_back(std::move(key), text.substr(equals + 1));
  }
  size_t kept = 0;
  for (size_t i = 0; i < inventory.devices.size(); ++i) {
    if (filter.limit_to > 0 && static_cast<int>(kept) == filter.limit_to) break;
    const Device& device = inventory.devices[i];
    bool match = patterns.empty();
    for (const Pattern& pattern : patterns) match = match || Matches(device, pattern);
    for (const auto& [key, glob] : tests) {
      bool any = false;
      for (const std::string& value : ValuesOf(device, key)) any = any || Glob(glob, value);
      match = match && any;
    }
    if (!match) continue;
    if (kept != i) {
      inventory.devices[kept] = std::move(inventory.devices[i]);
      if (!inventory.sources.empty()) inventory.sources[kept] = std::move(inventory.sources[i]);
    }
    ++kept;
  }
  inventory.devices.resize(kept);
  if (!inventory.sources.empty()) inventory.sources.resize(kept);
  if (inventory.devices.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("no device of ", inventory.source, " matches --group/--filter"));
  }
  return inventory;
}

}  // namespace netshard
