// The one place the coordinator dials an agent: mutual TLS when the target
// has TLS material (verifying the agent's certificate against the CA and
// its name), plaintext otherwise (loopback or --insecure-agents, already
// checked by CollectAgents).
#ifndef NETSHARD_COORDINATOR_DISPATCH_AGENT_CHANNEL_H_
#define NETSHARD_COORDINATOR_DISPATCH_AGENT_CHANNEL_H_

#include <memory>
#include <string>

#include "coordinator/dispatch/agent_targets.h"
#include "grpcpp/grpcpp.h"

namespace netshard {

std::shared_ptr<grpc::Channel> AgentChannel(const AgentTarget& target);

// What a failed call to an agent means, for a user: gRPC says "Socket
// closed" when a plaintext coordinator meets a TLS agent, and quotes
// OpenSSL when the agent's certificate does not check out. `tls`: the
// coordinator dialled with TLS.
std::string DescribeAgentError(const grpc::Status& status, bool tls);

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_DISPATCH_AGENT_CHANNEL_H_
