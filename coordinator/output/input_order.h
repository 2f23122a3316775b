// `--order input`: passes results on in job order, each as soon as every
// earlier job is done: a reorder buffer, not wait-for-all. Memory holds only
// results that finished ahead of a slower, earlier device.
#ifndef NETSHARD_COORDINATOR_OUTPUT_INPUT_ORDER_H_
#define NETSHARD_COORDINATOR_OUTPUT_INPUT_ORDER_H_

#include <map>

#include "absl/base/thread_annotations.h"
#include "common/mutex.h"
#include "coordinator/output/result_sink.h"

namespace netshard {

// Thread-safe. Job ids must be 0..N-1, each accepted once.
class InputOrder final : public ResultSink {
 public:
  explicit InputOrder(ResultSink* next) : next_(next) {}

  void Accept(v1::DeviceResult result) override;

  // Results waiting for an earlier one.
  size_t buffered() const;

 private:
  ResultSink* const next_;
  mutable Mutex mu_;
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<uint64_t, v1::DeviceResult> waiting_ ABSL_GUARDED_BY(mu_);
};

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_OUTPUT_INPUT_ORDER_H_
