// Which of the inventory's devices a run covers: `--group`, `--filter
// key=value` (glob values; name, ip, host, device_type, platform, segment,
// group, or any of the device's `vars`), and `--limit-to N` for a canary.
//
// A --group is a pattern as Ansible's --limit takes it: names of groups or
// devices (globs allowed; `all` is every device) joined by `:` or `,` for
// any of them, `:&name` for only those also in it, `:!name` for all but
// those in it — `routers:&msk:!r3`. A device is in a group it is listed
// under or inherits (Nornir's parent groups, Ansible's children).
#ifndef NETSHARD_COORDINATOR_DISPATCH_DEVICE_FILTER_H_
#define NETSHARD_COORDINATOR_DISPATCH_DEVICE_FILTER_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/inventory/inventory.h"

namespace netshard {

struct DeviceFilter {
  std::vector<std::string> groups;  // patterns; a device matching any of them
  std::vector<std::string> filters;  // "key=glob", all must hold
  int limit_to = 0;  // the first N that match; 0: all
};

// The devices that match, in inventory order, as an inventory of their own
// (`inventory` is taken, so a million devices are never copied). A
// malformed filter, a group or device no pattern term names, an unknown key,
// or no match at all is an error naming the flag.
absl::StatusOr<Inventory> SelectDevices(Inventory inventory, const DeviceFilter& filter);

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_DISPATCH_DEVICE_FILTER_H_
