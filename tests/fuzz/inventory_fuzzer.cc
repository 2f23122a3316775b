// libFuzzer target: whatever a user's inventory file holds — in any of the
// formats, or none — loading it ends in devices or an error, never a crash,
// a hang or memory without bound (-rss_limit_mb; aliases are capped).
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/inventory/inventory.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // The first byte picks the format: recognised, or each one forced.
  static const char* const kFormats[] = {"", "course", "nornir", "ansible", "netmiko", "csv"};
  netshard::InventoryOptions options;
  options.format = kFormats[data[0] % 6];
  options.record_sources = data[0] & 0x80;
  options.env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "SET") return "value";
    return std::nullopt;
  };
  std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  absl::StatusOr<netshard::Inventory> inventory =
      netshard::ParseInventory(text, "fuzz.yaml", options);
  if (inventory.ok() && inventory->devices.empty()) __builtin_trap();  // ok means devices
  return 0;
}
