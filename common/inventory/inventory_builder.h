// What every inventory format's reader hands its devices to: it checks and
// keeps each device as soon as it is read (BuildDevice), and at the end
// checks that devices are unique by address and port and by name.
#ifndef NETSHARD_COMMON_INVENTORY_INVENTORY_BUILDER_H_
#define NETSHARD_COMMON_INVENTORY_INVENTORY_BUILDER_H_

#include <deque>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/inventory/device_fields.h"
#include "common/inventory/inventory.h"

namespace netshard {

// The file (or folder) to read, or text given in its place.
struct InventoryInput {
  std::string path;                 // names it in errors
  std::optional<std::string> text;  // read instead of `path` when set
};

class InventoryBuilder {
 public:
  InventoryBuilder(const InventoryOptions& options, Inventory* inventory)
      : options_(options), inventory_(inventory) {}

  // A file name that lives as long as the builder, for FieldOrigin.
  const std::string* File(const std::string& name);
  absl::Status Add(const DeviceFields& fields);
  // Forgets the devices added so far (a reader starting over).
  void Restart();
  // Duplicates, or no device at all, are errors.
  absl::Status Finish();
  size_t size() const { return inventory_->devices.size(); }
  // The devices added so far, for formats that learn their groups last.
  DeviceList& devices() { return inventory_->devices; }

 private:
  const InventoryOptions& options_;
  Inventory* inventory_;
  std::deque<std::string> files_;
};

// Whether `text` reads as an Ansible INI inventory: its first line a
// [section], or a host line.
bool LooksLikeAnsibleIni(absl::string_view text);

// The readers, one a format (inventory.cc picks one).
absl::Status ReadCourseInventory(const InventoryInput& input, InventoryBuilder& builder);
absl::Status ReadNornirInventory(const InventoryInput& input, InventoryBuilder& builder);
absl::Status ReadAnsibleInventory(const InventoryInput& input, InventoryBuilder& builder);
absl::Status ReadNetmikoInventory(const InventoryInput& input, InventoryBuilder& builder);
absl::Status ReadCsvInventory(const InventoryInput& input, InventoryBuilder& builder);

}  // namespace netshard

#endif  // NETSHARD_COMMON_INVENTORY_INVENTORY_BUILDER_H_
