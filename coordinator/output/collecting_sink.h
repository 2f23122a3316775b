// A ResultSink fake for tests: keeps every result in arrival order.
#ifndef NETSHARD_COORDINATOR_OUTPUT_COLLECTING_SINK_H_
#define NETSHARD_COORDINATOR_OUTPUT_COLLECTING_SINK_H_

#include <vector>

#include "common/mutex.h"
#include "coordinator/output/result_sink.h"

namespace netshard {

class CollectingSink final : public ResultSink {
 public:
  void Accept(v1::DeviceResult result) override {
    MutexLock lock(&mu_);
    results_.push_back(std::move(result));
  }
  std::vector<v1::DeviceResult> results() const {
    MutexLock lock(&mu_);
    return results_;
  }
  std::vector<uint64_t> ids() const {
    MutexLock lock(&mu_);
    std::vector<uint64_t> ids;
    for (const auto& result : results_) ids.push_back(result.job_id());
    return ids;
  }

 private:
  mutable Mutex mu_;
  std::vector<v1::DeviceResult> results_ ABSL_GUARDED_BY(mu_);
};

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_OUTPUT_COLLECTING_SINK_H_
