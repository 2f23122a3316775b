// Autodetect's reasoning, apart from the session that asks the device: which
// detect commands to send, in what order, and which candidate platform the
// answers point to.
#ifndef NETSHARD_COMMON_PLATFORM_PLATFORM_DETECTOR_H_
#define NETSHARD_COMMON_PLATFORM_PLATFORM_DETECTOR_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "common/platform/platform.h"

namespace netshard {

// Usage:
//   PlatformDetector detector(candidates);
//   while (const std::string* command = detector.Next()) {
//     detector.Answered(Ask(*command));
//   }
//   const Platform* platform = detector.found();  // null: none matched
// Thread contract: one thread at a time. The candidates must outlive it.
class PlatformDetector {
 public:
  explicit PlatformDetector(absl::Span<const Platform* const> candidates);

  // The command to send next: those most candidates share first (one
  // answer rules out the most). Null once the best match can no longer be
  // bettered by an untried command, or every command was tried.
  const std::string* Next() const;

  // Takes the device's answer to the command Next() gave.
  void Answered(absl::string_view reply);

  // The highest-priority candidate whose pattern matched an answer to one
  // of its own commands, or null.
  const Platform* found() const { return found_; }

  // The commands answered so far, in order.
  absl::Span<const std::string> tried() const {
    return absl::MakeConstSpan(commands_).first(answered_);
  }

 private:
  bool BetterUntried() const;

  std::vector<const Platform*> candidates_;
  std::vector<std::string> commands_;
  size_t answered_ = 0;
  const Platform* found_ = nullptr;
};

}  // namespace netshard

#endif  // NETSHARD_COMMON_PLATFORM_PLATFORM_DETECTOR_H_
