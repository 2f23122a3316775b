// What each simulated device is and how it misbehaves, from a YAML file:
//
//   platform: cisco_ios            # the fleet's default
//   devices:                       # rules in order; later ones win
//   - index: 1-10                  # 1-based fleet positions, or
//     platform: juniper_junos
//   - address: 127.1.0.20-127.1.0.29   # addresses (one or a range)
//     faults: [hang_after_login]
//     password: other              # the device wants another password
//   - index: 30-39
//     allow_from: [127.0.10.1, 127.0.20.0-127.0.20.255]  # like an access-class
//
// Every error names the file, line and field.
#ifndef NETSHARD_TESTS_DEVSIM_FLEET_CONFIG_H_
#define NETSHARD_TESTS_DEVSIM_FLEET_CONFIG_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tests/devsim/sim_platform.h"

namespace netshard::devsim {

// How one device behaves. Unset optionals keep the fleet's value.
struct DeviceBehaviour {
  const SimPlatform* platform = nullptr;
  std::optional<std::string> password;
  std::optional<std::string> secret;
  bool password_auth = true;
  bool keyboard_interactive_auth = true;
  std::string authorized_key;  // a public key file; its key may log in
  bool hang_after_login = false;
  bool drop_mid_command = false;
  bool pager_ignores_terminal_length = false;
  bool changing_host_key = false;  // a new host key on every connection
  bool refuse = false;             // closes every connection at once
  bool jump_host = false;          // forwards direct-tcpip to loopback
  // Source address ranges [first, last] (host order) a connection may come
  // from, like a VTY access-class; others are reset at once. Empty: any.
  std::vector<std::pair<uint32_t, uint32_t>> allow_from;
  absl::Duration banner_delay = absl::ZeroDuration();   // before the SSH banner
  absl::Duration command_delay = absl::ZeroDuration();  // before each show's output
  std::optional<size_t> tech_support_bytes;
  std::string key_exchange;     // SSH algorithm lists; empty: libssh's
  std::string host_key_types;
  std::string ciphers;
};

struct DeviceRule {
  // Selects fleet positions [first_index, last_index] (1-based) or
  // addresses [first_address, last_address] (host order).
  int first_index = 0, last_index = 0;
  uint32_t first_address = 0, last_address = 0;
  int line = 0;
  // One setter per field the rule names, so rules merge field by field.
  std::vector<std::function<void(DeviceBehaviour&)>> settings;
};

struct FleetConfig {
  const SimPlatform* platform = nullptr;  // default for every device
  std::vector<DeviceRule> rules;
};

absl::StatusOr<FleetConfig> ParseFleetConfig(absl::string_view text, absl::string_view source);
absl::StatusOr<FleetConfig> LoadFleetConfig(const std::string& path);

// The behaviour of the device at fleet position `index` (1-based) and
// `address` (host order): the default platform, then each matching rule.
DeviceBehaviour ResolveBehaviour(const FleetConfig& config, int index, uint32_t address);

}  // namespace netshard::devsim

#endif  // NETSHARD_TESTS_DEVSIM_FLEET_CONFIG_H_
