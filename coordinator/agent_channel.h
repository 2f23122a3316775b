// The one place the coordinator dials an agent: mutual TLS when the target
// has TLS material (verifying the agent's certificate against the CA and
// its name), plaintext otherwise (loopback or --insecure-agents, already
// checked by CollectAgents).
#ifndef NETSHARD_COORDINATOR_AGENT_CHANNEL_H_
#define NETSHARD_COORDINATOR_AGENT_CHANNEL_H_

#include <memory>

#include "coordinator/agent_targets.h"
#include "grpcpp/grpcpp.h"

namespace netshard {

std::shared_ptr<grpc::Channel> AgentChannel(const AgentTarget& target);

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_AGENT_CHANNEL_H_
