// Asking agents who they are: `coord agents`.
#ifndef NETSHARD_COORDINATOR_DISPATCH_AGENT_INFO_H_
#define NETSHARD_COORDINATOR_DISPATCH_AGENT_INFO_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "coordinator/dispatch/agent_targets.h"
#include "netshard/v1/agent.pb.h"

namespace netshard {

// The agent's Info, or why it could not be had within `timeout`.
absl::StatusOr<v1::InfoResponse> QueryAgent(const AgentTarget& agent, absl::Duration timeout);

struct AgentReport {
  std::string address;
  absl::StatusOr<v1::InfoResponse> info;
};

// A table, one agent per line: address, health, name, version, segments,
// capacity, running, queued.
std::string AgentTable(const std::vector<AgentReport>& reports);

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_DISPATCH_AGENT_INFO_H_
