// The device inventory, read from the files users already have:
//
//   course   the course's devices.yaml (the default; its format below)
//   nornir   Nornir SimpleInventory: hosts.yaml, groups.yaml, defaults.yaml
//   ansible  Ansible inventory, YAML or INI, with group_vars/ and host_vars/
//   netmiko  netmiko-tools .netmiko.yml
//   csv      a header row of field names, a device a row
//
// The format is recognised from the file; InventoryOptions::format forces
// one. Loading streams: a device is checked and kept compactly as soon as
// its entry is read (docs/inventories.md).
//
// The course format:
//
//   defaults:            # optional, merged into every device
//     username: cisco
//   group_defaults:      # optional, per group, over `defaults`
//     old_routers:
//       kex: diffie-hellman-group14-sha1
//   routers:             # any other top-level key is a group: a list
//   - device_type: cisco_ios
//     ip: 192.168.100.1
//     password: cisco
//     secret: cisco
//     jump_host:         # optional bastion, with its own credentials
//       host: 10.0.0.5
//       username: jump
//       key_file: ~/.ssh/jump_ed25519
//
// Devices are unique by address and port, and by name (results and output
// files are named after it). Every error names the file, the line and the
// field.
#ifndef NETSHARD_COMMON_INVENTORY_INVENTORY_H_
#define NETSHARD_COMMON_INVENTORY_INVENTORY_H_

#include <deque>
#include <map>
#include <optional>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/platform/platform_set.h"
#include "common/secret_value.h"
#include "netshard/v1/agent.pb.h"

namespace netshard {

struct Device {
  std::string name;     // `name`, else `host`, else `ip`; unique in the inventory
  std::string address;  // `ip`, else `host`
  int port = 22;
  std::string device_type;  // as written in the inventory
  const Platform* platform = nullptr;
  std::string username;
  std::string password;  // from `password`, `password_env` or `password_file`
  std::string secret;    // likewise from `secret`, `secret_env`, `secret_file`
  // `credentials: agent`: the agent running the device supplies username,
  // password and secret from its own file; none cross the control channel.
  bool agent_credentials = false;
  std::string key_file;
  std::string segment;
  std::string group;  // the group the device is listed under
  // Nornir and Ansible: the other groups it belongs to, nearest first.
  std::vector<std::string> more_groups;
  std::optional<absl::Duration> timeout;  // per-step timeout override
  // conn_timeout, auth_timeout, banner_timeout, command_timeout,
  // device_timeout; unset fields take the run's.
  v1::Timeouts timeouts;
  std::string key_passphrase;  // `passphrase`
  bool use_keys = false;       // also try ssh-agent and ~/.ssh keys
  v1::Algorithms algorithms;   // `kex`, `host_key_algorithms`, `ciphers`
  std::optional<v1::JumpHost> jump_host;
  // `vars`: the user's own fields (site, role, ...), for --filter.
  std::map<std::string, std::string> vars;
  int line = 0;  // 1-based line of the device's entry
};

// Where a device's credentials come from, for `coord inventory`: a place
// ("hosts.yaml:4", "env NAME (groups.yaml:2)", "file PATH (...)", "agent"),
// empty when not given. Never the credential itself.
struct CredentialSources {
  std::string username;
  std::string password;
  std::string secret;
  std::string key_file;
};

// A deque, not a vector: it grows without moving what it holds, so a
// million devices are never in memory twice, as a doubling vector would
// have them.
using DeviceList = std::deque<Device>;

struct Inventory {
  std::string source;  // file name used in errors
  std::string format;  // course, nornir, ansible, netmiko, csv
  DeviceList devices;  // in file order
  // With InventoryOptions::record_sources: one per device, in its order.
  std::vector<CredentialSources> sources;
};

struct InventoryOptions {
  // Resolves `${env:NAME}` values and *_env fields; null: any such field is
  // an error.
  EnvLookup env;
  // course, nornir, ansible, netmiko or csv; empty: recognised from the file.
  std::string format;
  bool record_sources = false;
};

// The inventory formats, for --inventory-format.
const std::vector<std::string>& InventoryFormats();

// Parses inventory text (a Nornir hosts.yaml without its groups and
// defaults files); `source` names it in errors.
absl::StatusOr<Inventory> ParseInventory(absl::string_view text, absl::string_view source,
                                         const InventoryOptions& options = {});

// Reads and parses the inventory at `path`: a file, or a folder holding
// Nornir's hosts.yaml or an Ansible inventory.
absl::StatusOr<Inventory> LoadInventory(const std::string& path,
                                        const InventoryOptions& options = {});

}  // namespace netshard

#endif  // NETSHARD_COMMON_INVENTORY_INVENTORY_H_
