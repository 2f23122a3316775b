// Platform names other tools write, as our device_types: Nornir's and
// NAPALM's (`ios`, `eos`, `junos`, `nxos`, ...) and Ansible's
// ansible_network_os, short or fully qualified (`cisco.ios.ios`, `ios`,
// `arista.eos.eos`, `junipernetworks.junos.junos`, ...).
#ifndef NETSHARD_COMMON_INVENTORY_PLATFORM_NAMES_H_
#define NETSHARD_COMMON_INVENTORY_PLATFORM_NAMES_H_

#include <string>

#include "absl/strings/string_view.h"

namespace netshard {

// Our device_type for `name`; a name of ours (or one we do not know, for
// BuildDevice to refuse with suggestions) comes back as it is.
std::string DeviceTypeFor(absl::string_view name);

}  // namespace netshard

#endif  // NETSHARD_COMMON_INVENTORY_PLATFORM_NAMES_H_
