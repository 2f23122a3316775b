// The coordinator's job-state table: every job is pending, in flight or
// done, and moves to done exactly once, so no device is lost or reported
// twice whatever agents do (DESIGN.md contract 5).
//
// It also routes by segment (contract 3): a job whose device names a
// segment goes only to a taker serving that segment; a job without one goes
// to any taker. Once every taker has announced itself, jobs of a segment no
// live taker serves end as NO_AGENT_FOR_SEGMENT.
#ifndef NETSHARD_COORDINATOR_DISPATCH_JOB_TABLE_H_
#define NETSHARD_COORDINATOR_DISPATCH_JOB_TABLE_H_

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/mutex.h"
#include "coordinator/output/result_sink.h"
#include "netshard/v1/agent.pb.h"

namespace netshard {

// The segments a taker serves; kAllSegments (the in-process engine, which
// reaches everything the machine does) takes any job.
using Segments = std::set<std::string>;
inline const Segments* const kAllSegments = nullptr;

// Run-wide bounds on dispatch, across every taker.
struct DispatchLimits {
  int max_in_flight = 0;  // jobs out at once; 0: only the takers' capacity
  // New logins per second per segment (devices without one share a
  // bucket), for AAA servers that throttle bursts; 0: no pacing. A job
  // handed out early carries the wait as its start_delay_ms.
  double logins_per_second = 0;
};

// Where a table's jobs come from. A job is made when it is handed out, so
// a run of a million devices never holds a million jobs (each with its
// credentials and settings) at once, only the table's few bytes a device.
class JobSource {
 public:
  virtual ~JobSource() = default;
  virtual size_t size() const = 0;
  // Job `id`'s segment ("" none), for routing.
  virtual const std::string& segment(uint64_t id) const = 0;
  // Job `id`, its job_id set to `id`.
  virtual v1::Job Make(uint64_t id) const = 0;
};

// Jobs made beforehand: `jobs[i].job_id()` must be i.
class JobList : public JobSource {
 public:
  explicit JobList(std::vector<v1::Job> jobs) : jobs_(std::move(jobs)) {}
  size_t size() const override { return jobs_.size(); }
  const std::string& segment(uint64_t id) const override { return jobs_[id].segment(); }
  v1::Job Make(uint64_t id) const override { return jobs_[id]; }

 private:
  const std::vector<v1::Job> jobs_;
};

// Thread-safe. Results go to the sink outside the table's lock.
class JobTable {
 public:
  // `takers` is how many agents (or engines) will announce themselves.
  // `max_attempts` bounds how often a job is handed out; `lost_note` ends
  // the message of a job lost for good. `now` is the clock login pacing
  // reads (a test's own, to not sleep).
  JobTable(std::unique_ptr<const JobSource> jobs, ResultSink* sink, int takers,
           int max_attempts = 3, std::string lost_note = "", DispatchLimits limits = {},
           std::function<absl::Time()> now = absl::Now);
  JobTable(std::vector<v1::Job> jobs, ResultSink* sink, int takers, int max_attempts = 3,
           std::string lost_note = "", DispatchLimits limits = {},
           std::function<absl::Time()> now = absl::Now)
      : JobTable(std::make_unique<JobList>(std::move(jobs)), sink, takers, max_attempts,
                 std::move(lost_note), limits, std::move(now)) {}

  // A taker is live and serves `segments` (kAllSegments: every job).
  void Announce(const Segments* segments);

  // A taker stopped for good; `segments` as announced, or nullopt if it
  // never announced. Jobs nobody live can take any more end now: AGENT_LOST
  // (no taker at all) or NO_AGENT_FOR_SEGMENT, with `why`.
  void TakerGone(std::optional<const Segments*> segments, const std::string& why);

  // A pending job `segments` allows, now in flight; nullopt when none, or
  // when max_in_flight jobs are out. With login pacing, the job's
  // start_delay_ms is its wait for the segment's next login slot.
  std::optional<v1::Job> TryTake(const Segments* segments);

  // Blocks until a job `segments` allows is pending and max_in_flight
  // permits it (true), or every job is done (false).
  bool AwaitWorkOrDone(const Segments* segments);

  // Blocks until every job is done and its result is in the sink.
  void AwaitDone();

  // Records the result of an in-flight job. A second result for the same job
  // is dropped and counted. Unknown job ids are dropped too.
  void Complete(v1::DeviceResult result);

  // Hands in-flight jobs back (their agent was lost): pending again, or
  // AGENT_LOST when they have been tried max_attempts times.
  void Requeue(const std::vector<uint64_t>& job_ids, const std::string& why);

  // The user stopped the run: every pending job, and any handed back later,
  // ends as CANCELLED with `why`; jobs in flight still report.
  void Cancel(const std::string& why);

  // The output is behind (backpressure): while held, no job is handed out;
  // those in flight still complete.
  void Hold(bool held);

  int size() const { return static_cast<int>(jobs_->size()); }
  int duplicates_dropped() const;

 private:
  enum class State { kPending, kInFlight, kDone };
  using Results = std::vector<v1::DeviceResult>;

  bool HasWorkLocked(const Segments* segments) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Held, or max_in_flight jobs are out: none may be handed out now.
  bool AtLimitLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void MakePendingLocked(uint64_t id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Ends pending jobs that no live or unannounced taker can take.
  void FailUnservableLocked(const std::string& why, Results* deliver)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void FailLocked(uint64_t id, v1::ErrorCode code, const std::string& why, Results* deliver)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Marks `result`'s job done and queues it for the sink.
  void FinishLocked(v1::DeviceResult result, Results* deliver)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Deliver(Results results);

  const std::unique_ptr<const JobSource> jobs_;
  const int max_attempts_;
  const DispatchLimits limits_;
  const std::function<absl::Time()> now_;
  const std::string lost_note_;
  ResultSink* const sink_;

  mutable Mutex mu_;
  std::vector<State> state_ ABSL_GUARDED_BY(mu_);
  std::vector<int> attempts_ ABSL_GUARDED_BY(mu_);
  // Pending job ids by segment; "" holds jobs without one.
  std::map<std::string, std::deque<uint64_t>> pending_ ABSL_GUARDED_BY(mu_);
  int done_ ABSL_GUARDED_BY(mu_) = 0;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  // Per segment: the earliest time the next login may start.
  std::map<std::string, absl::Time> next_login_ ABSL_GUARDED_BY(mu_);
  int delivered_ ABSL_GUARDED_BY(mu_) = 0;  // done and handed to the sink
  int unannounced_ ABSL_GUARDED_BY(mu_);
  int live_ ABSL_GUARDED_BY(mu_) = 0;
  int live_all_segments_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<std::string, int> live_by_segment_ ABSL_GUARDED_BY(mu_);
  int duplicates_ ABSL_GUARDED_BY(mu_) = 0;
  bool held_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<std::string> cancelled_ ABSL_GUARDED_BY(mu_);  // why, once cancelled
};

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_DISPATCH_JOB_TABLE_H_
