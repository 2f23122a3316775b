#include "coordinator/dispatch/job_table.h"

#include "absl/strings/str_cat.h"
#include "common/device_error.h"

namespace netshard {

JobTable::JobTable(std::unique_ptr<const JobSource> jobs, ResultSink* sink, int takers,
                   int max_attempts, std::string lost_note, DispatchLimits limits,
                   std::function<absl::Time()> now)
    : jobs_(std::move(jobs)),
      max_attempts_(max_attempts),
      limits_(limits),
      now_(std::move(now)),
      lost_note_(std::move(lost_note)),
      sink_(sink),
      state_(jobs_->size(), State::kPending),
      attempts_(jobs_->size(), 0),
      unannounced_(takers) {
  for (uint64_t id = 0; id < jobs_->size(); ++id) pending_[jobs_->segment(id)].push_back(id);
}

void JobTable::Announce(const Segments* segments) {
  Results deliver;
  {
    MutexLock lock(&mu_);
    --unannounced_;
    ++live_;
    if (segments == kAllSegments) {
      ++live_all_segments_;
    } else {
      for (const std::string& segment : *segments) ++live_by_segment_[segment];
    }
    FailUnservableLocked("", &deliver);
  }
  Deliver(std::move(deliver));
}

void JobTable::TakerGone(std::optional<const Segments*> segments, const std::string& why) {
  Results deliver;
  {
    MutexLock lock(&mu_);
    if (!segments.has_value()) {
      --unannounced_;
    } else {
      --live_;
      if (*segments == kAllSegments) {
        --live_all_segments_;
      } else {
        for (const std::string& segment : **segments) --live_by_segment_[segment];
      }
    }
    FailUnservableLocked(why, &deliver);
  }
  Deliver(std::move(deliver));
}

std::optional<v1::Job> JobTable::TryTake(const Segments* segments) {
  MutexLock lock(&mu_);
  if (AtLimitLocked()) return std::nullopt;
  // Segment jobs first: they have fewer takers than the unsegmented ones.
  std::deque<uint64_t>* queue = nullptr;
  for (auto& [segment, ids] : pending_) {
    if (ids.empty()) continue;
    bool allowed = segment.empty() || segments == kAllSegments || segments->count(segment) > 0;
    if (!allowed) continue;
    queue = &ids;
    if (!segment.empty()) break;
  }
  if (queue == nullptr) return std::nullopt;
  uint64_t id = queue->front();
  queue->pop_front();
  state_[id] = State::kInFlight;
  ++attempts_[id];
  ++in_flight_;
  v1::Job job = jobs_->Make(id);
  if (limits_.logins_per_second > 0) {
    absl::Time now = now_();
    absl::Time& next = next_login_[job.segment()];
    absl::Time slot = std::max(now, next);
    next = slot + absl::Seconds(1 / limits_.logins_per_second);
    job.set_start_delay_ms(absl::ToInt64Milliseconds(slot - now));
  }
  return job;
}

bool JobTable::AwaitWorkOrDone(const Segments* segments) {
  MutexLock lock(&mu_);
  mu_.Await([&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return HasWorkLocked(segments) || done_ == static_cast<int>(jobs_->size());
  });
  return HasWorkLocked(segments);
}

void JobTable::AwaitDone() {
  MutexLock lock(&mu_);
  mu_.Await([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return delivered_ == static_cast<int>(jobs_->size());
  });
}

void JobTable::Complete(v1::DeviceResult result) {
  Results deliver;
  {
    MutexLock lock(&mu_);
    uint64_t id = result.job_id();
    if (id >= jobs_->size() || state_[id] != State::kInFlight) {
      ++duplicates_;
      return;
    }
    FinishLocked(std::move(result), &deliver);
  }
  Deliver(std::move(deliver));
}

void JobTable::Requeue(const std::vector<uint64_t>& job_ids, const std::string& why) {
  Results deliver;
  {
    MutexLock lock(&mu_);
    for (uint64_t id : job_ids) {
      if (id >= jobs_->size() || state_[id] != State::kInFlight) continue;
      if (attempts_[id] >= max_attempts_) {
        FailLocked(id, v1::AGENT_LOST, absl::StrCat(why, lost_note_), &deliver);
      } else {
        MakePendingLocked(id);
      }
    }
    FailUnservableLocked(why, &deliver);
  }
  Deliver(std::move(deliver));
}

int JobTable::duplicates_dropped() const {
  MutexLock lock(&mu_);
  return duplicates_;
}

bool JobTable::HasWorkLocked(const Segments* segments) const {
  if (AtLimitLocked()) return false;
  for (const auto& [segment, ids] : pending_) {
    if (ids.empty()) continue;
    if (segment.empty() || segments == kAllSegments || segments->count(segment) > 0) return true;
  }
  return false;
}

bool JobTable::AtLimitLocked() const {
  return held_ || (limits_.max_in_flight > 0 && in_flight_ >= limits_.max_in_flight);
}

void JobTable::Hold(bool held) {
  MutexLock lock(&mu_);
  held_ = held;
}

void JobTable::MakePendingLocked(uint64_t id) {
  state_[id] = State::kPending;
  --in_flight_;
  pending_[jobs_->segment(id)].push_back(id);
}

void JobTable::Cancel(const std::string& why) {
  Results deliver;
  {
    MutexLock lock(&mu_);
    cancelled_ = why;
    FailUnservableLocked(why, &deliver);
  }
  Deliver(std::move(deliver));
}

void JobTable::FailUnservableLocked(const std::string& why, Results* deliver) {
  if (cancelled_.has_value()) {
    for (auto& [segment, ids] : pending_) {
      for (uint64_t id : ids) FailLocked(id, v1::CANCELLED, *cancelled_, deliver);
      ids.clear();
    }
    return;
  }
  if (unannounced_ > 0) return;  // a taker yet to announce may serve them
  for (auto& [segment, ids] : pending_) {
    bool served = live_all_segments_ > 0 || (segment.empty() ? live_ > 0
                                                             : live_by_segment_[segment] > 0);
    if (served) continue;
    v1::ErrorCode code = segment.empty() ? v1::AGENT_LOST : v1::NO_AGENT_FOR_SEGMENT;
    std::string message =
        segment.empty() ? why
                        : absl::StrCat("no live agent serves segment '", segment, "'",
                                       why.empty() ? "" : absl::StrCat(" (", why, ")"));
    if (segment.empty() && message.empty()) message = "no live agent";
    while (!ids.empty()) {
      uint64_t id = ids.front();
      ids.pop_front();
      FailLocked(id, code, message, deliver);
    }
  }
}

void JobTable::FailLocked(uint64_t id, v1::ErrorCode code, const std::string& why,
                          Results* deliver) {
  v1::DeviceResult result;
  result.set_job_id(id);
  *result.mutable_error() = ToDeviceError(DeviceFailure(code, v1::STAGE_DISPATCH, why));
  FinishLocked(std::move(result), deliver);
}

void JobTable::FinishLocked(v1::DeviceResult result, Results* deliver) {
  if (state_[result.job_id()] == State::kInFlight) --in_flight_;
  state_[result.job_id()] = State::kDone;
  ++done_;
  deliver->push_back(std::move(result));
}

void JobTable::Deliver(Results results) {
  if (results.empty()) return;
  int count = static_cast<int>(results.size());
  for (v1::DeviceResult& result : results) sink_->Accept(std::move(result));
  MutexLock lock(&mu_);
  delivered_ += count;
}

}  // namespace netshard
