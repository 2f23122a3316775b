// Device credentials kept on the agent, for inventory devices marked
// `credentials: agent`, so they never cross the control channel:
//
//   # agent --credentials /etc/netshard/credentials.yaml   (mode 0600)
//   default:  {username: ops, password: "${env:OPS_PASSWORD}"}
//   segments: {msk: {password: m5k-pass, secret: m5k-enable}}
//   groups:   {core: {username: core-ops}}
//   devices:  {msk-r1: {password: r1-only}}
//
// Fields are username, password and secret; each is taken from the most
// specific entry that sets it: device name, then group, then segment, then
// default. The file must be private to its owner (mode 0600). Errors name
// the file, line and field, never a value.
#ifndef NETSHARD_AGENT_AGENT_CREDENTIALS_H_
#define NETSHARD_AGENT_AGENT_CREDENTIALS_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "common/secret_value.h"
#include "netshard/v1/agent.pb.h"

namespace netshard {

// Immutable after Load; safe to share between threads.
class AgentCredentials {
 public:
  static absl::StatusOr<AgentCredentials> Load(const std::string& path, const EnvLookup& env);
  static absl::StatusOr<AgentCredentials> Parse(const std::string& text, const std::string& source,
                                                const EnvLookup& env);

  // Sets `job`'s username, password and secret. An error (naming the
  // device, its group and segment) when no entry gives a username and a
  // password.
  absl::Status Fill(v1::Job* job) const;

 private:
  struct Entry {
    std::string username, password, secret;
  };
  using Entries = std::map<std::string, Entry>;

  Entry default_;
  Entries segments_, groups_, devices_;
};

}  // namespace netshard

#endif  // NETSHARD_AGENT_AGENT_CREDENTIALS_H_
