// The inventory flags every subcommand that reads one shares (-i,
// --inventory-format, --group, --filter), and `coord inventory`: the
// devices as netshard resolved them — name, address, platform, groups,
// segment, and where each credential comes from, never the credential.
#ifndef NETSHARD_COORDINATOR_CLI_INVENTORY_COMMAND_H_
#define NETSHARD_COORDINATOR_CLI_INVENTORY_COMMAND_H_

#include <iosfwd>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "common/inventory/inventory.h"
#include "common/secret_value.h"
#include "coordinator/dispatch/device_filter.h"

namespace netshard {

struct InventoryFlags {
  std::string path = "devices.yaml";
  std::string format;  // --inventory-format; empty: recognised from the file
  DeviceFilter filter;
};

// Adds -i/--inventory, --inventory-format, --group and --filter to `app`.
void AddInventoryFlags(CLI::App* app, InventoryFlags* flags);

// The inventory the flags name, only the devices they select.
absl::StatusOr<Inventory> LoadSelected(const InventoryFlags& flags, const EnvLookup& env,
                                       bool record_sources = false);

struct InventoryCommandFlags {
  InventoryFlags inventory;
  std::string output = "table";  // table or json
};

CLI::App* AddInventoryCommand(CLI::App* app, InventoryCommandFlags* flags);

// Exit status: 0, or 2 for an inventory that does not load.
int InventoryCommand(const InventoryCommandFlags& flags, const EnvLookup& env, std::ostream& out,
                     std::ostream& err);

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_CLI_INVENTORY_COMMAND_H_
