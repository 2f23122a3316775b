// The flags of `coord run` (and the agent flags all subcommands share),
// parsed into plain structs; the RunSpec they describe.
#ifndef NETSHARD_COORDINATOR_CLI_RUN_FLAGS_H_
#define NETSHARD_COORDINATOR_CLI_RUN_FLAGS_H_

#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "coordinator/cli/inventory_command.h"
#include "coordinator/dispatch/agent_targets.h"
#include "coordinator/engine/engine.h"
#include "netshard/v1/agent.pb.h"

namespace netshard {

struct RunFlags {
  std::vector<std::string> commands;
  std::vector<std::string> expects;
  std::vector<std::string> config_lines;
  std::string config_file;
  bool save = false;
  bool keep_going = false;
  bool detect_only = false;  // log in, find prompt and platform, run nothing
  std::string detect_out;    // write the inventory with the device_types found
  double connect_timeout_s = 0;
  double auth_timeout_s = 0;
  double banner_timeout_s = 0;
  double command_timeout_s = 0;
  double device_timeout_s = 0;
  InventoryFlags inventory;  // -i, --inventory-format, --group, --filter; --limit-to
  int retries = 0;
  double retry_backoff_s = 1;
  AgentSources agents;
  int limit = 0;  // 0: 100 in-process, the agents' capacity through agents
  double logins_per_second = 0;
  double grace_s = 10;
  bool ask_pass = false;    // prompt for every device's password
  bool ask_secret = false;  // and enable secret
  std::string source_address;
  std::string order = "completion";
  std::string format = "text";
  bool gather = false;
  std::string output_dir;
  bool quiet = false;
  std::string journal;
  std::string resume;
  std::string retry_failed;
  bool repair_journal = false;  // cut a torn last line off the journal resumed from
  double timeout_s = 30;
  double silence_timeout_s = 15;
  int prefetch = 0;
  std::string host_key_policy = "accept-new";
  std::string transport = "shell";
  bool parse = false;
  std::string templates;  // --templates ("": $NETSHARD_TEMPLATES)
  std::string known_hosts;
  uint64_t max_output_bytes = 0;  // per device; 0: the engine's default
};

// Adds --agent, --agent-dns, --agents-file, the --tls-* flags and
// --insecure-agents to `app`; `none` says what giving no agent means.
void AddAgentSources(CLI::App* app, AgentSources* flags, const std::string& none);

// Adds every `coord run` flag to `run`.
void AddRunFlags(CLI::App* run, RunFlags* flags);

// The RunSpec the flags describe, or a usage error naming the flag.
absl::StatusOr<v1::RunSpec> MakeSpec(const RunFlags& flags);

// The engine's options the flags describe, for `spec` (MakeSpec) on
// `agents`; the journal and on_event are the caller's to set.
RunOptions MakeRunOptions(const RunFlags& flags, v1::RunSpec spec,
                          std::vector<AgentTarget> agents);

// The flags given that only the in-process engine uses ("--known-hosts"):
// with agents, each agent's own apply.
std::vector<std::string> EngineOnlyFlags(const RunFlags& flags);

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_CLI_RUN_FLAGS_H_
