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
//     tls: {server_name: agent.netshard.svc}   # ca, cert, key, server_name;
//                                     # unset ones: the --tls-* flags
//
// Off loopback the control channel must be mutual TLS: an agent reached
// in plaintext elsewhere is refused unless `insecure` (a lab). Errors name
// the file, line and field, or the flag.
#ifndef NETSHARD_COORDINATOR_DISPATCH_AGENT_TARGETS_H_
#define NETSHARD_COORDINATOR_DISPATCH_AGENT_TARGETS_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/tls_files.h"
#include "coordinator/dispatch/job_table.h"

namespace netshard {

struct AgentTls {
  TlsMaterial material;
  std::string server_name;  // "": the name or address dialled
};

struct AgentTarget {
  std::string address;  // host:port, as gRPC dials it
  std::string label;    // for messages and tables: the file's name, else address
  std::optional<Segments> segments;  // set: replaces what the agent advertises
  std::optional<AgentTls> tls;       // unset: plaintext (loopback, or insecure)
};

// Where the agents are and how to reach them: the coord flags.
struct AgentSources {
  std::vector<std::string> addresses;  // --agent
  std::vector<std::string> dns_names;  // --agent-dns
  std::string agents_file;             // --agents-file
  TlsFiles tls;                        // --tls-ca, --tls-cert, --tls-key
  std::string tls_server_name;         // --tls-server-name
  bool insecure = false;               // --insecure-agents: plaintext off loopback
  bool empty() const { return addresses.empty() && dns_names.empty() && agents_file.empty(); }
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

// The agents an agents file lists, DNS entries resolved; TLS material is
// read for entries that have `tls` fields of their own or `default_tls`.
absl::StatusOr<std::vector<AgentTarget>> LoadAgentsFile(const std::string& path,
                                                        const Resolver& resolve,
                                                        const TlsFiles& default_tls = {},
                                                        const std::string& default_server_name = "");

// Every agent from the three sources, in the order given, each with its TLS
// material; an address named twice is one agent (the first mention wins).
absl::StatusOr<std::vector<AgentTarget>> CollectAgents(const AgentSources& sources,
                                                       const Resolver& resolve);

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_DISPATCH_AGENT_TARGETS_H_
