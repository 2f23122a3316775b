// A run: the inventory's devices as jobs, executed in-process (the embedded
// default) or through agents, each result delivered exactly once.
#ifndef NETSHARD_COORDINATOR_DISPATCH_RUN_H_
#define NETSHARD_COORDINATOR_DISPATCH_RUN_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/inventory/inventory.h"
#include "common/session/job_runner.h"
#include "coordinator/dispatch/agent_stream.h"
#include "coordinator/dispatch/agent_targets.h"
#include "coordinator/dispatch/job_table.h"
#include "coordinator/output/result_sink.h"
#include "netshard/v1/agent.pb.h"

namespace netshard {

// Job i is inventory device i, made when handed out.
class DeviceJobs : public JobSource {
 public:
  explicit DeviceJobs(std::shared_ptr<const Inventory> inventory)
      : inventory_(std::move(inventory)) {}
  size_t size() const override { return inventory_->devices.size(); }
  const std::string& segment(uint64_t id) const override {
    return inventory_->devices[id].segment;
  }
  v1::Job Make(uint64_t id) const override;

 private:
  const std::shared_ptr<const Inventory> inventory_;
};

// An error listing each `credentials: agent` device when the run has no
// agents to supply them.
absl::Status CheckCredentialsReachable(const Inventory& inventory, bool embedded);

// Runs every job of `table` on `limit` threads of this process. Returns when
// each result is in the table's sink. Once `cancel` (may be null) is
// notified, devices in progress stop and report CANCELLED. REQUIRES:
// `table` expects 1 taker.
void RunEmbedded(const v1::RunSpec& spec, int limit, JobTable* table,
                 CancelToken* cancel = nullptr, const JobFunction& run_job = RunJob);

// Runs every job of `table` through `agents`, pulling work as each agent's
// capacity frees up. Jobs of a lost agent move to the others; with none
// left they end as AGENT_LOST. Returns when each result is in the table's
// sink. `options` apply to every agent (address and segments come from its
// target). REQUIRES: `table` expects agents.size() takers.
void RunThroughAgents(const v1::RunSpec& spec, const std::vector<AgentTarget>& agents,
                      const AgentStreamOptions& options, JobTable* table);

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_DISPATCH_RUN_H_
