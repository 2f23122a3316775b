// A run: the inventory's devices as jobs, executed in-process (the embedded
// default) or through agents, each result delivered exactly once.
#ifndef NETSHARD_COORDINATOR_RUN_H_
#define NETSHARD_COORDINATOR_RUN_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/inventory.h"
#include "common/job_runner.h"
#include "coordinator/agent_stream.h"
#include "coordinator/job_table.h"
#include "coordinator/result_sink.h"
#include "netshard/v1/agent.pb.h"

namespace netshard {

// Job i is inventory device i.
std::vector<v1::Job> MakeJobs(const Inventory& inventory);

// Runs every job of `table` on `limit` threads of this process. Returns when
// each result is in the table's sink. REQUIRES: `table` expects 1 taker.
void RunEmbedded(const v1::RunSpec& spec, int limit, JobTable* table,
                 const JobFunction& run_job = RunJob);

// Runs every job of `table` through the agents at `addresses` (host:port),
// pulling work as each agent's capacity frees up. Jobs of a lost agent move
// to the others; with none left they end as AGENT_LOST. Returns when each
// result is in the table's sink. REQUIRES: `table` expects
// addresses.size() takers.
void RunThroughAgents(const v1::RunSpec& spec, const std::vector<std::string>& addresses,
                      const AgentStreamOptions& options, JobTable* table);

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_RUN_H_
