#include "coordinator/output/progress_line.h"

#include <cmath>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace netshard {
namespace {

constexpr absl::Duration kRedrawEvery = absl::Milliseconds(200);

}  // namespace

std::string ProgressText(int done, int total, int ok, int failed, absl::Duration elapsed) {
  double seconds = absl::ToDoubleSeconds(elapsed);
  double rate = seconds > 0 ? done / seconds : 0;
  std::string text = absl::StrFormat("[%d/%d] %d ok, %d failed, %.0f/s", done, total, ok,
                                     failed, rate);
  if (rate > 0 && done < total) {
    absl::StrAppendFormat(&text, ", ETA %.0f s", std::ceil((total - done) / rate));
  }
  return text;
}

ProgressLine::ProgressLine(std::ostream* err, int total, bool enabled)
    : err_(err), total_(total), enabled_(enabled) {}

void ProgressLine::Update(int done, int ok, int failed) {
  absl::Time now = absl::Now();
  if (!enabled_ || (now - last_drawn_ < kRedrawEvery && done < total_)) return;
  last_drawn_ = now;
  *err_ << "\r\x1b[K" << ProgressText(done, total_, ok, failed, now - start_) << std::flush;
  shown_ = true;
}

void ProgressLine::Wipe() {
  if (!shown_) return;
  *err_ << "\r\x1b[K" << std::flush;
  shown_ = false;
  last_drawn_ = absl::InfinitePast();  // redraw with the next result
}

}  // namespace netshard
