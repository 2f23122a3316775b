#include "coordinator/engine/engine.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/platform/platform_set.h"
#include "common/status_macros.h"
#include "coordinator/dispatch/agent_stream.h"
#include "coordinator/dispatch/job_table.h"
#include "coordinator/dispatch/run.h"
#include "coordinator/engine/run_checks.h"
#include "coordinator/output/input_order.h"
#include "coordinator/output/journal.h"
#include "coordinator/output/result_queue.h"

namespace netshard {
namespace {

// Devices at once in-process, by default.
constexpr int kEmbeddedLimit = 100;
// A device whose agent is lost runs again on another this many times in
// all; a config run never again: it may or may not have applied the
// change (DESIGN.md contract 4).
constexpr int kShowRunAttempts = 3;
constexpr int kConfigRunAttempts = 1;

}  // namespace

Run::Run(std::shared_ptr<const Inventory> inventory, RunOptions options)
    : inventory_(std::move(inventory)), options_(std::move(options)) {}

Run::~Run() {
  if (thread_.joinable()) thread_.join();
}

absl::StatusOr<std::unique_ptr<Run>> Run::Create(std::shared_ptr<const Inventory> shared,
                                                 RunOptions options, ResultSink* sink) {
  const Inventory& inventory = *shared;
  RETURN_IF_ERROR(CheckConfigurable(inventory, options.spec));
  bool embedded = options.agents.empty();
  RETURN_IF_ERROR(CheckCredentialsReachable(inventory, embedded));
  if (embedded) RETURN_IF_ERROR(CheckSourceAddress(options.spec.source_address()));
  std::vector<const Platform*> used;
  for (const Device& device : inventory.devices) used.push_back(device.platform);
  AddPlatformDefinitions(used, Platforms(), &options.spec);

  std::unique_ptr<Run> run(new Run(shared, std::move(options)));
  Run* self = run.get();
  ResultSink* next = sink;
  if (self->options_.order == ResultOrder::kInput) {
    self->input_order_ = std::make_unique<InputOrder>(sink);
    next = self->input_order_.get();
  }
  bool config_run = self->options_.spec.config_lines_size() > 0;
  if (!self->options_.journal_path.empty()) {
    ASSIGN_OR_RETURN(
        self->journal_,
        JournalSink::Open(self->options_.journal_path, inventory.devices, next,
                          [self, config_run](const std::string& failure) {
                            // Without its journal a config run can no longer
                            // promise that a resumed run never applies a
                            // change twice: nothing new starts.
                            if (self->options_.on_event) {
                              self->options_.on_event(absl::StrCat(
                                  failure, config_run
                                               ? "; no further devices start (config run)"
                                               : "; the run goes on, its results are not journaled"));
                            }
                            if (config_run) {
                              self->table_->Cancel(absl::StrCat(
                                  "not started: ", failure,
                                  " (a config run stops when its journal fails)"));
                            }
                          }));
    next = self->journal_.get();
  }
  self->queue_ = std::make_unique<ResultQueue>(next, [self](bool full) { self->table_->Hold(full); });
  DispatchLimits limits;
  limits.max_in_flight = embedded ? 0 : self->options_.limit;  // in-process: the worker count
  limits.logins_per_second = self->options_.logins_per_second;
  self->table_ = std::make_unique<JobTable>(
      std::make_unique<DeviceJobs>(std::move(shared)), self->queue_.get(),
      embedded ? 1 : static_cast<int>(self->options_.agents.size()),
      config_run ? kConfigRunAttempts : kShowRunAttempts,
      config_run ? "; config run: the device may or may not have applied it, not re-sent" : "",
      limits);
  return run;
}

void Run::Start() {
  start_ = absl::Now();
  thread_ = std::thread([this] {
    if (options_.agents.empty()) {
      RunEmbedded(options_.spec, options_.limit > 0 ? options_.limit : kEmbeddedLimit,
                  table_.get(), &cancel_);
    } else {
      AgentStreamOptions stream;
      stream.silence_timeout = options_.agent_silence_timeout;
      stream.prefetch = options_.agent_prefetch;
      stream.cancel = &cancel_;
      stream.on_event = options_.on_event;
      RunThroughAgents(options_.spec, options_.agents, stream, table_.get());
    }
    queue_->Finish();
  });
}

void Run::Stop(const std::string& why) { table_->Cancel(why); }

void Run::Cancel() { cancel_.Cancel(); }

RunSummary Run::Wait() {
  if (thread_.joinable()) thread_.join();
  RunSummary summary;
  summary.elapsed = absl::Now() - start_;
  if (journal_ != nullptr) {
    summary.journal_missing = journal_->missing();
    summary.journal_failure = journal_->failure();
  }
  return summary;
}

}  // namespace netshard
