// Hands results from the threads that read agent streams (or run devices)
// to one output thread that does the slow part: journal, reorder, parse,
// print. A reader of stdout slower than the fleet (`| less`) then slows the
// run instead of failing it: stream readers never block on output, so
// heartbeats are still read and no healthy agent is taken for dead.
#ifndef NETSHARD_COORDINATOR_OUTPUT_RESULT_QUEUE_H_
#define NETSHARD_COORDINATOR_OUTPUT_RESULT_QUEUE_H_

#include <cstddef>
#include <deque>
#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "common/mutex.h"
#include "coordinator/output/result_sink.h"

namespace netshard {

// When the queue counts as full. It may grow past these by the results
// already in flight: fullness stops new dispatch, it never refuses one.
struct ResultQueueLimits {
  size_t results = 1000;
  size_t bytes = size_t{64} << 20;
};

// Thread-safe. Accept never blocks.
class ResultQueue final : public ResultSink {
 public:
  // `on_full(true)` when the queue fills up, `on_full(false)` once it has
  // room again (backpressure: the caller stops handing out jobs meanwhile).
  // Called under the queue's lock, so the calls never overtake each other;
  // it must not call back into the queue.
  ResultQueue(ResultSink* next, std::function<void(bool full)> on_full,
              ResultQueueLimits limits = {});
  // Finish().
  ~ResultQueue() override;

  void Accept(v1::DeviceResult result) override;

  // Returns once every accepted result has gone to `next`; stops the output
  // thread. Nothing may be accepted afterwards.
  void Finish();

  // The most results that ever waited at once.
  size_t high_water() const;

 private:
  void Drain();
  bool FullLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  ResultSink* const next_;
  const std::function<void(bool)> on_full_;
  const ResultQueueLimits limits_;
  mutable Mutex mu_;
  std::deque<v1::DeviceResult> queue_ ABSL_GUARDED_BY(mu_);
  size_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
  bool full_ ABSL_GUARDED_BY(mu_) = false;
  bool finishing_ ABSL_GUARDED_BY(mu_) = false;
  size_t high_water_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread output_;  // last: started once the rest exists
};

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_OUTPUT_RESULT_QUEUE_H_
