#include "coordinator/dispatch/run.h"

#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

#include "common/worker_pool.h"
#include "coordinator/dispatch/agent_channel.h"
#include "grpcpp/grpcpp.h"

namespace netshard {

v1::Job DeviceJobs::Make(uint64_t id) const {
  const Device& device = inventory_->devices[id];
  v1::Job job;
  job.set_job_id(id);
  job.set_name(device.name);
  job.set_host(device.address);
  job.set_port(device.port);
  job.set_platform(device.platform->name);
  job.set_username(device.username);
  job.set_password(device.password);
  job.set_secret(device.secret);
  job.set_key_file(device.key_file);
  job.set_segment(device.segment);
  job.set_group(device.group);
  job.set_agent_credentials(device.agent_credentials);
  if (device.timeout) {
    job.set_step_timeout_ms(absl::ToInt64Milliseconds(*device.timeout));
  }
  *job.mutable_timeouts() = device.timeouts;
  *job.mutable_algorithms() = device.algorithms;
  job.set_key_passphrase(device.key_passphrase);
  job.set_use_keys(device.use_keys);
  if (device.jump_host) *job.mutable_jump_host() = *device.jump_host;
  return job;
}

absl::Status CheckCredentialsReachable(const Inventory& inventory, bool embedded) {
  if (!embedded) return absl::OkStatus();
  std::vector<std::string> lines;
  for (const Device& device : inventory.devices) {
    if (device.agent_credentials) lines.push_back(absl::StrCat(device.name, " (line ", device.line, ")"));
  }
  if (lines.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      inventory.source, ": credentials: agent needs agents (--agent, --agent-dns or "
      "--agents-file); the in-process engine has none for ", absl::StrJoin(lines, ", ")));
}

void RunEmbedded(const v1::RunSpec& spec, int limit, JobTable* table, CancelToken* cancel,
                 const JobFunction& run_job) {
  int workers = std::max(1, std::min(limit, table->size()));
  // The in-process engine reaches whatever this machine reaches.
  table->Announce(kAllSegments);
  {
    WorkerPool pool(workers);
    for (int i = 0; i < workers; ++i) {
      pool.Schedule([&] {
        // Await, not TryTake alone: a table held for backpressure has work
        // that is only not handed out yet.
        while (table->AwaitWorkOrDone(kAllSegments)) {
          std::optional<v1::Job> job = table->TryTake(kAllSegments);
          if (!job) continue;  // another worker took it
          v1::DeviceResult result = run_job(spec, *job, nullptr, cancel);
          result.set_agent("embedded");
          table->Complete(std::move(result));
        }
      });
    }
  }
  table->AwaitDone();
}

void RunThroughAgents(const v1::RunSpec& spec, const std::vector<AgentTarget>& agents,
                      const AgentStreamOptions& options, JobTable* table) {
  std::vector<std::thread> streams;
  for (const AgentTarget& agent : agents) {
    streams.emplace_back([&] {
      std::unique_ptr<v1::Agent::Stub> stub = v1::Agent::NewStub(AgentChannel(agent));
      AgentStreamOptions mine = options;
      mine.address = agent.label;
      if (agent.label != agent.address) mine.name = agent.label;
      mine.tls = agent.tls.has_value();
      mine.segments = agent.segments;
      RunAgentStream(stub.get(), spec, mine, table);
    });
  }
  for (std::thread& stream : streams) stream.join();
  table->AwaitDone();
}

}  // namespace netshard
