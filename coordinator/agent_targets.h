// Where a run's agents are: `--agent HOST:PORT`, `--agent-dns NAME:PORT`
// (every address the name resolves to is one agent: a Kubernetes headless
// Service, or any round-robin DNS name) and `--agents-file FILE`:
//
//   agents:
//   - address: 10.0.1.5:50061        # one agent
//     name: msk-1                     # what coord calls it (default: address)
//     segments: [msk-core, msk-oob]   # use it only for these (default: what
//                                     # the agent advertises)
//   - dns: agents.netshard.svc:50061  # every address of the name
//
// Errors name the file, line and field.
#ifndef NETSHARD_COORDINATOR_AGENT_TARGETS_H_
#define NETSHARD_COORDINATOR_AGENT_TARGETS_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "coordinator/job_table.h"

namespace netshard {

struct AgentTarget {
  std::string address;  // host:port, as gRPC dials it
  std::string label;    // for messages and tables: the file's name, else address
  std::optional<Segments> segments;  // set: replaces what the agent advertises
};

// "" when `value` is HOST:PORT with a port in range, else why not.
std::string CheckHostPort(const std::string& value);

// The addresses `host` resolves to (IPv4 and IPv6, each once, in resolver
// order); a seam so discovery can be tested without DNS.
using Resolver = std::function<absl::StatusOr<std::vector<std::string>>(const std::string& host)>;
absl::StatusOr<std::vector<std::string>> ResolveWithSystem(const std::string& host);

// One target per address `name_port` (NAME:PORT) resolves to. An error if
// it resolves to none.
absl::StatusOr<std::vector<AgentTarget>> DiscoverAgents(const std::string& name_port,
                                                        const Resolver& resolve);

// The agents an agents file lists, DNS entries resolved.
absl::StatusOr<std::vector<AgentTarget>> LoadAgentsFile(const std::string& path,
                                                        const Resolver& resolve);

// Every agent from the three sources, in the order given; an address
// named twice is one agent (the first mention wins).
absl::StatusOr<std::vector<AgentTarget>> CollectAgents(const std::vector<std::string>& addresses,
                                                       const std::vector<std::string>& dns_names,
                                                       const std::string& agents_file,
                                                       const Resolver& resolve);

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_AGENT_TARGETS_H_
