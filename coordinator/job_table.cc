#include "coordinator/job_table.h"

#include "absl/strings/str_cat.h"
#include "common/device_error.h"

namespace netshard {

JobTable::JobTable(std::vector<v1::Job> jobs, ResultSink* sink,
                   int live_takers, int max_attempts)
    : jobs_(std::move(jobs)),
      max_attempts_(max_attempts),
      sink_(sink),
      state_(jobs_.size(), State::kPending),
      attempts_(jobs_.size(), 0),
      live_takers_(live_takers) {
  for (uint64_t id = 0; id < jobs_.size(); ++id) pending_.push_back(id);
}

std::optional<v1::Job> JobTable::TryTake() {
  MutexLock lock(&mu_);
  if (pending_.empty()) return std::nullopt;
  uint64_t id = pending_.front();
  pending_.pop_front();
  state_[id] = State::kInFlight;
  ++attempts_[id];
  return jobs_[id];
}

bool JobTable::AwaitWorkOrDone() {
  MutexLock lock(&mu_);
  auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !pending_.empty() || done_ == static_cast<int>(jobs_.size());
  };
  mu_.Await(ready);
  return !pending_.empty();
}

void JobTable::AwaitDone() {
  MutexLock lock(&mu_);
  auto all = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return delivered_ == static_cast<int>(jobs_.size());
  };
  mu_.Await(all);
}

void JobTable::Complete(v1::DeviceResult result) {
  std::vector<v1::DeviceResult> deliver;
  {
    MutexLock lock(&mu_);
    uint64_t id = result.job_id();
    if (id >= jobs_.size() || state_[id] != State::kInFlight) {
      ++duplicates_;
      return;
    }
    FinishLocked(std::move(result), &deliver);
  }
  Deliver(std::move(deliver));
}

void JobTable::Requeue(const std::vector<uint64_t>& job_ids,
                       const std::string& why) {
  std::vector<v1::DeviceResult> deliver;
  {
    MutexLock lock(&mu_);
    for (uint64_t id : job_ids) {
      if (id >= jobs_.size() || state_[id] != State::kInFlight) continue;
      if (attempts_[id] >= max_attempts_ || live_takers_ == 0) {
        FinishLocked(LostResult(id, why), &deliver);
      } else {
        state_[id] = State::kPending;
        pending_.push_back(id);
      }
    }
  }
  Deliver(std::move(deliver));
}

void JobTable::TakerGone(const std::string& why) {
  std::vector<v1::DeviceResult> deliver;
  {
    MutexLock lock(&mu_);
    if (--live_takers_ > 0) return;
    while (!pending_.empty()) {
      uint64_t id = pending_.front();
      pending_.pop_front();
      FinishLocked(LostResult(id, why), &deliver);
    }
  }
  Deliver(std::move(deliver));
}

int JobTable::duplicates_dropped() const {
  MutexLock lock(&mu_);
  return duplicates_;
}

v1::DeviceResult JobTable::LostResult(uint64_t job_id, const std::string& why) {
  v1::DeviceResult result;
  result.set_job_id(job_id);
  *result.mutable_error() = ToDeviceError(
      DeviceFailure(v1::AGENT_LOST, v1::STAGE_DISPATCH, why));
  return result;
}

void JobTable::FinishLocked(v1::DeviceResult result,
                            std::vector<v1::DeviceResult>* deliver) {
  state_[result.job_id()] = State::kDone;
  ++done_;
  deliver->push_back(std::move(result));
}

void JobTable::Deliver(std::vector<v1::DeviceResult> results) {
  if (results.empty()) return;
  int count = static_cast<int>(results.size());
  for (v1::DeviceResult& result : results) sink_->Accept(std::move(result));
  MutexLock lock(&mu_);
  delivered_ += count;
}

}  // namespace netshard
