// The run journal: every result appended as a jsonl line the moment it
// arrives (flushed), so a coordinator that crashes or is interrupted loses
// nothing already done, and `--resume` / `--retry-failed` re-run only what
// is left.
#ifndef NETSHARD_COORDINATOR_JOURNAL_H_
#define NETSHARD_COORDINATOR_JOURNAL_H_

#include <fstream>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "common/inventory.h"
#include "common/mutex.h"
#include "coordinator/result_sink.h"

namespace netshard {

// $XDG_STATE_HOME/netshard/runs/<run_id>.jsonl (~/.local/state/... when
// unset); the folders are made.
absl::StatusOr<std::string> DefaultJournalPath(const std::string& run_id);

// Thread-safe. Writes each result to the journal, then passes it on.
class JournalSink final : public ResultSink {
 public:
  // Appends to `path`; `devices[job_id]` describes each result.
  static absl::StatusOr<std::unique_ptr<JournalSink>> Open(const std::string& path,
                                                           const std::vector<Device>& devices,
                                                           ResultSink* next);
  void Accept(v1::DeviceResult result) override;

 private:
  JournalSink(const std::vector<Device>& devices, ResultSink* next)
      : devices_(devices), next_(next) {}

  const std::vector<Device>& devices_;
  ResultSink* const next_;
  Mutex mu_;
  std::ofstream out_ ABSL_GUARDED_BY(mu_);
};

enum class JournalPick {
  kUnfinished,  // --resume: no result yet, or CANCELLED
  kFailed,      // --retry-failed: the last result is a failure
};

// The devices of `inventory` that the journal at `path` says still need a
// run. A device's last line wins; a torn last line (a crash mid-write) is
// skipped. Errors name the journal and line.
absl::StatusOr<Inventory> PickFromJournal(const Inventory& inventory, const std::string& path,
                                          JournalPick pick);

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_JOURNAL_H_
