// The coordinator's job-state table: every job is pending, in flight or
// done, and moves to done exactly once, so no device is lost or reported
// twice whatever agents do (DESIGN.md contract 5).
#ifndef NETSHARD_COORDINATOR_JOB_TABLE_H_
#define NETSHARD_COORDINATOR_JOB_TABLE_H_

#include <deque>
#include <optional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "common/mutex.h"
#include "coordinator/result_sink.h"
#include "netshard/v1/agent.pb.h"

namespace netshard {

// Thread-safe. Results go to the sink outside the table's lock.
class JobTable {
 public:
  // `jobs[i].job_id()` must be i. `live_takers` is how many agents (or
  // engines) will take jobs; when the last is gone, pending jobs end as
  // AGENT_LOST. `max_attempts` bounds how often a job is handed out.
  JobTable(std::vector<v1::Job> jobs, ResultSink* sink, int live_takers,
           int max_attempts = 3);

  // A pending job, now in flight; nullopt when none is pending.
  std::optional<v1::Job> TryTake();

  // Blocks until a job is pending (true) or every job is done (false).
  bool AwaitWorkOrDone();

  // Blocks until every job is done and its result is in the sink.
  void AwaitDone();

  // Records the result of an in-flight job. A second result for the same job
  // is dropped and counted. Unknown job ids are dropped too.
  void Complete(v1::DeviceResult result);

  // Hands in-flight jobs back (their agent was lost): pending again, or
  // AGENT_LOST when they have been tried max_attempts times.
  void Requeue(const std::vector<uint64_t>& job_ids, const std::string& why);

  // One taker stopped for good. When none are left, every pending job ends
  // as AGENT_LOST with `why`.
  void TakerGone(const std::string& why);

  int size() const { return static_cast<int>(jobs_.size()); }
  int duplicates_dropped() const;

 private:
  enum class State { kPending, kInFlight, kDone };
  static v1::DeviceResult LostResult(uint64_t job_id, const std::string& why);
  // Marks `result`'s job done and queues it for the sink.
  void FinishLocked(v1::DeviceResult result,
                    std::vector<v1::DeviceResult>* deliver)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Deliver(std::vector<v1::DeviceResult> results);

  const std::vector<v1::Job> jobs_;
  const int max_attempts_;
  ResultSink* const sink_;

  mutable Mutex mu_;
  std::vector<State> state_ ABSL_GUARDED_BY(mu_);
  std::vector<int> attempts_ ABSL_GUARDED_BY(mu_);
  std::deque<uint64_t> pending_ ABSL_GUARDED_BY(mu_);
  int done_ ABSL_GUARDED_BY(mu_) = 0;
  int delivered_ ABSL_GUARDED_BY(mu_) = 0;  // done and handed to the sink
  int live_takers_ ABSL_GUARDED_BY(mu_);
  int duplicates_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_JOB_TABLE_H_
