#include "common/platform/platform_detector.h"

#include <algorithm>
#include <utility>

namespace netshard {
namespace {

bool Knows(const Platform& platform, absl::string_view command) {
  return std::find(platform.detect_commands.begin(), platform.detect_commands.end(), command) !=
         platform.detect_commands.end();
}

}  // namespace

PlatformDetector::PlatformDetector(absl::Span<const Platform* const> candidates)
    : candidates_(candidates.begin(), candidates.end()) {
  std::vector<std::pair<std::string, int>> counted;  // command, candidates that send it
  for (const Platform* candidate : candidates_) {
    for (const std::string& command : candidate->detect_commands) {
      auto it = std::find_if(counted.begin(), counted.end(),
                             [&](const auto& c) { return c.first == command; });
      if (it == counted.end()) {
        counted.push_back({command, 1});
      } else {
        ++it->second;
      }
    }
  }
  std::stable_sort(counted.begin(), counted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  for (auto& [command, users] : counted) commands_.push_back(std::move(command));
}

const std::string* PlatformDetector::Next() const {
  if (answered_ == commands_.size() || (found_ != nullptr && !BetterUntried())) return nullptr;
  return &commands_[answered_];
}

void PlatformDetector::Answered(absl::string_view reply) {
  const std::string& command = commands_[answered_++];
  const Platform* best = nullptr;
  for (const Platform* candidate : candidates_) {
    if (!Knows(*candidate, command) ||
        (best != nullptr && best->detect_priority >= candidate->detect_priority)) {
      continue;
    }
    for (const auto& pattern : candidate->detect_patterns) {
      if (RE2::PartialMatch(re2::StringPiece(reply.data(), reply.size()), *pattern)) {
        best = candidate;
        break;
      }
    }
  }
  if (best != nullptr && (found_ == nullptr || best->detect_priority > found_->detect_priority)) {
    found_ = best;
  }
}

bool PlatformDetector::BetterUntried() const {
  absl::Span<const std::string> done = tried();
  for (const Platform* candidate : candidates_) {
    if (candidate->detect_priority <= found_->detect_priority) continue;
    for (const std::string& command : candidate->detect_commands) {
      if (std::find(done.begin(), done.end(), command) == done.end()) return true;
    }
  }
  return false;
}

}  // namespace netshard
