// The progress line on a terminal's stderr: done/total, ok, failed, rate and
// ETA, redrawn at most a few times a second, wiped before other output so
// lines never interleave.
#ifndef NETSHARD_COORDINATOR_OUTPUT_PROGRESS_LINE_H_
#define NETSHARD_COORDINATOR_OUTPUT_PROGRESS_LINE_H_

#include <ostream>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace netshard {

// "[1200/10000] 1190 ok, 10 failed, 312/s, ETA 28 s"
std::string ProgressText(int done, int total, int ok, int failed, absl::Duration elapsed);

// Thread contract: used under its owner's lock.
class ProgressLine {
 public:
  // Disabled: every call does nothing (not a terminal, or --quiet).
  ProgressLine(std::ostream* err, int total, bool enabled);

  // Redraws if enough time has passed since the last drawing.
  void Update(int done, int ok, int failed);
  // Removes the line (before printing something else, and at the end).
  void Wipe();

 private:
  std::ostream* err_;
  const int total_;
  const bool enabled_;
  const absl::Time start_ = absl::Now();
  absl::Time last_drawn_ = absl::InfinitePast();
  bool shown_ = false;
};

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_OUTPUT_PROGRESS_LINE_H_
