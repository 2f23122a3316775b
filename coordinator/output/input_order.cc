#include "coordinator/output/input_order.h"

namespace netshard {

void InputOrder::Accept(v1::DeviceResult result) {
  // Forwarding happens under the lock: that is what keeps the order when
  // two results that complete a run of ids arrive on different threads.
  MutexLock lock(&mu_);
  waiting_.emplace(result.job_id(), std::move(result));
  for (auto it = waiting_.begin();
       it != waiting_.end() && it->first == next_id_;
       it = waiting_.erase(it), ++next_id_) {
    next_->Accept(std::move(it->second));
  }
}

size_t InputOrder::buffered() const {
  MutexLock lock(&mu_);
  return waiting_.size();
}

}  // namespace netshard
