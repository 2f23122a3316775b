// The run journal: every result appended as a jsonl line the moment it
// arrives (flushed), so a coordinator that crashes or is interrupted loses
// nothing already done, and `--resume` / `--retry-failed` re-run only what
// is left.
#ifndef NETSHARD_COORDINATOR_OUTPUT_JOURNAL_H_
#define NETSHARD_COORDINATOR_OUTPUT_JOURNAL_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "common/inventory/inventory.h"
#include "common/mutex.h"
#include "coordinator/output/result_sink.h"

namespace netshard {

// $XDG_STATE_HOME/netshard/runs/<run_id>.jsonl (~/.local/state/... when
// unset); the folders are made.
absl::StatusOr<std::string> DefaultJournalPath(const std::string& run_id);

// Thread-safe. Writes each result to the journal, then passes it on. The
// journal is the truth or says it is not: every write is checked, and after
// the first failure nothing more is written (a later line after a torn one
// would make the file lie about what is missing); results still pass on.
class JournalSink final : public ResultSink {
 public:
  // Appends to `path`; `devices[job_id]` describes each result.
  // `on_failure` (may be empty) is told once, at the first failed write,
  // with a message naming the file and the error.
  static absl::StatusOr<std::unique_ptr<JournalSink>> Open(
      const std::string& path, const DeviceList& devices, ResultSink* next,
      std::function<void(const std::string&)> on_failure = nullptr);
  ~JournalSink() override;

  void Accept(v1::DeviceResult result) override;

  // Results that passed through but are not in the journal.
  int missing() const;
  // The first failure's message, "" while every write succeeded.
  std::string failure() const;

 private:
  JournalSink(std::string path, const DeviceList& devices, ResultSink* next,
              std::function<void(const std::string&)> on_failure)
      : path_(std::move(path)), devices_(devices), next_(next), on_failure_(std::move(on_failure)) {}
  // Writes all of `data`; false with failure_ set otherwise.
  bool WriteLocked(const std::string& data) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string path_;
  const DeviceList& devices_;
  ResultSink* const next_;
  const std::function<void(const std::string&)> on_failure_;
  mutable Mutex mu_;
  int fd_ ABSL_GUARDED_BY(mu_) = -1;
  int missing_ ABSL_GUARDED_BY(mu_) = 0;
  std::string failure_ ABSL_GUARDED_BY(mu_);
};

enum class JournalPick {
  kUnfinished,  // --resume: no result yet, or CANCELLED
  kFailed,      // --retry-failed: the last result is a failure
};

// The devices of `inventory` that the journal at `path` says still need a
// run. A device's last line wins. A torn last line (the coordinator stopped
// mid-write, or its disk filled) is refused, since the run would append
// after it; with `repair_torn` it is cut off the file instead and
// `*repaired` (may be null) says what was dropped. Errors name the journal
// and line.
absl::StatusOr<Inventory> PickFromJournal(const Inventory& inventory, const std::string& path,
                                          JournalPick pick, bool repair_torn = false,
                                          std::string* repaired = nullptr);

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_OUTPUT_JOURNAL_H_
