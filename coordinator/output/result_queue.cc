#include "coordinator/output/result_queue.h"

#include <algorithm>

namespace netshard {

ResultQueue::ResultQueue(ResultSink* next, std::function<void(bool full)> on_full,
                         ResultQueueLimits limits)
    : next_(next), on_full_(std::move(on_full)), limits_(limits), output_([this] { Drain(); }) {}

ResultQueue::~ResultQueue() { Finish(); }

void ResultQueue::Accept(v1::DeviceResult result) {
  MutexLock lock(&mu_);
  bytes_ += result.ByteSizeLong();
  queue_.push_back(std::move(result));
  high_water_ = std::max(high_water_, queue_.size());
  if (!full_ && FullLocked()) {
    full_ = true;
    if (on_full_) on_full_(true);
  }
}

void ResultQueue::Finish() {
  {
    MutexLock lock(&mu_);
    finishing_ = true;
  }
  if (output_.joinable()) output_.join();
}

size_t ResultQueue::high_water() const {
  MutexLock lock(&mu_);
  return high_water_;
}

bool ResultQueue::FullLocked() const {
  return queue_.size() >= limits_.results || bytes_ >= limits_.bytes;
}

void ResultQueue::Drain() {
  while (true) {
    v1::DeviceResult result;
    {
      MutexLock lock(&mu_);
      mu_.Await([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return !queue_.empty() || finishing_;
      });
      if (queue_.empty()) return;  // finishing, and nothing left
      result = std::move(queue_.front());
      queue_.pop_front();
      bytes_ -= std::min(bytes_, result.ByteSizeLong());
      // Room again at half the limits, so dispatch does not flap per result.
      if (full_ && queue_.size() <= limits_.results / 2 && bytes_ <= limits_.bytes / 2) {
        full_ = false;
        if (on_full_) on_full_(false);
      }
    }
    next_->Accept(std::move(result));
  }
}

}  // namespace netshard
