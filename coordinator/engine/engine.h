// The engine: the whole public surface of a run, for every front end (the
// `coord` command line, the Python API). A run takes devices and what to do
// on each, runs them in-process or through agents — the same to the caller —
// and hands each device's one result to the caller's sink as it arrives,
// after the journal has it. It reads no flag and no environment.
//
//   RunOptions options;
//   options.spec.add_commands("show clock");
//   absl::StatusOr<std::unique_ptr<Run>> run = Run::Create(inventory, options, &sink);
//   (inventory: a std::shared_ptr<const Inventory>)
//   (*run)->Start();
//   RunSummary summary = (*run)->Wait();
#ifndef NETSHARD_COORDINATOR_ENGINE_ENGINE_H_
#define NETSHARD_COORDINATOR_ENGINE_ENGINE_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/cancel_token.h"
#include "common/inventory/inventory.h"
#include "coordinator/dispatch/agent_targets.h"
#include "coordinator/output/result_sink.h"
#include "netshard/v1/agent.pb.h"

namespace netshard {

class InputOrder;
class JobTable;
class JournalSink;
class ResultQueue;

enum class ResultOrder {
  kCompletion,  // each result as its device finishes
  kInput,       // in inventory order, each as soon as all before it are out
};

struct RunOptions {
  // What each device does: commands (and what ends each), configuration
  // lines, timeouts, transport, host keys (see proto/netshard/v1/agent.proto).
  // The run fills in the platform definitions its devices need.
  v1::RunSpec spec;
  // Where: through these agents; in-process when empty.
  std::vector<AgentTarget> agents;
  // Devices at once: in-process, the worker threads (0: 100); through
  // agents, a run-wide cap on jobs out (0: the agents' capacity).
  int limit = 0;
  // New logins per second per segment (0: no pacing).
  double logins_per_second = 0;
  // An agent silent this long is lost; its jobs move to the others.
  absl::Duration agent_silence_timeout = absl::Seconds(15);
  // Jobs sent to an agent beyond its capacity.
  int agent_prefetch = 0;
  ResultOrder order = ResultOrder::kCompletion;
  // Every result is appended here (jsonl) before the sink sees it; "" for
  // none. A failed write is told through on_event; a config run then starts
  // no further device (a resumed run must never apply a change twice).
  std::string journal_path;
  // Lines a user should see while the run goes (an agent lost, jobs moved,
  // the journal failing). Called from any thread; may be empty.
  std::function<void(const std::string&)> on_event;
};

struct RunSummary {
  absl::Duration elapsed;
  int journal_missing = 0;      // results the journal lacks
  std::string journal_failure;  // why, "" when it has them all
};

// One run. Thread-safe: Stop and Cancel may come from any thread (a signal
// watcher) while another waits.
class Run {
 public:
  // Everything checked before any device is touched: a config run's
  // platforms, `credentials: agent` without agents, an in-process source
  // address, the journal opening. `sink` gets every device's result exactly
  // once, from one thread, in `options.order`; it must outlive the run. The
  // inventory is shared, not copied: a million devices are held once.
  static absl::StatusOr<std::unique_ptr<Run>> Create(std::shared_ptr<const Inventory> inventory,
                                                     RunOptions options, ResultSink* sink);
  // REQUIRES: Wait() returned, or Start() never called.
  ~Run();
  Run(const Run&) = delete;
  Run& operator=(const Run&) = delete;

  // Starts the devices (on threads of the run's own).
  void Start();
  // Gently: no new device starts; those not started end CANCELLED with
  // `why`; those in progress finish.
  void Stop(const std::string& why);
  // At once: devices in progress stop too, and end CANCELLED with what they
  // gathered.
  void Cancel();
  // Blocks until every device's result has reached the sink.
  RunSummary Wait();

  // Devices in the run.
  size_t size() const { return inventory_->devices.size(); }

 private:
  Run(std::shared_ptr<const Inventory> inventory, RunOptions options);

  const std::shared_ptr<const Inventory> inventory_;
  RunOptions options_;
  CancelToken cancel_;
  std::unique_ptr<InputOrder> input_order_;
  std::unique_ptr<JournalSink> journal_;
  std::unique_ptr<ResultQueue> queue_;
  std::unique_ptr<JobTable> table_;
  absl::Time start_;
  std::thread thread_;
};

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_ENGINE_ENGINE_H_
