// Which of the inventory's devices a run covers: `--group`, `--filter
// key=value` (glob values; name, ip, host, device_type, platform, segment,
// group, or any of the device's `vars`), and `--limit-to N` for a canary.
#ifndef NETSHARD_COORDINATOR_DISPATCH_DEVICE_FILTER_H_
#define NETSHARD_COORDINATOR_DISPATCH_DEVICE_FILTER_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/inventory/inventory.h"

namespace netshard {

struct DeviceFilter {
  std::vector<std::string> groups;  // any of them; empty: every group
  std::vector<std::string> filters;  // "key=glob", all must hold
  int limit_to = 0;  // the first N that match; 0: all
};

// The devices that match, in inventory order, as an inventory of their own.
// A malformed filter, an unknown group or key, or no match at all is an error
// naming the flag.
absl::StatusOr<Inventory> SelectDevices(const Inventory& inventory, const DeviceFilter& filter);

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_DISPATCH_DEVICE_FILTER_H_
