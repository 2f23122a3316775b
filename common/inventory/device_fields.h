// One device as any inventory format describes it, in netshard's field
// names, each value with the file and line it came from; and the one place
// that turns such a record into a Device, checking every field. Formats
// differ in where values come from (defaults, groups, host_vars, columns);
// what a value must be is decided here, so it is the same for all of them.
//
// Field names are those of the course's devices.yaml: name, ip, host, port,
// device_type, username, password (or password_env / password_file),
// secret (or secret_env / secret_file), key_file, passphrase, use_keys,
// credentials, segment, timeout, conn_timeout, auth_timeout,
// banner_timeout, command_timeout, device_timeout, kex,
// host_key_algorithms, ciphers, jump_host.{host,ip,port,username,password,
// key_file}.
#ifndef NETSHARD_COMMON_INVENTORY_DEVICE_FIELDS_H_
#define NETSHARD_COMMON_INVENTORY_DEVICE_FIELDS_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/inventory/inventory.h"

namespace netshard {

// Where a value was written. `file` points into a string the loader keeps
// for the whole load.
struct FieldOrigin {
  const std::string* file = nullptr;
  int line = 0;
  std::string Describe() const;  // "<file>:<line>"
};

struct FieldValue {
  std::string value;
  FieldOrigin origin;
  std::string written_as;  // the name in the user's file, when not ours
  bool vault = false;      // Ansible Vault ciphertext: refused, never used
};

// The group of a device its file lists in none (Ansible's name for it).
inline constexpr char kUngrouped[] = "ungrouped";

// One level's fields: defaults, a group, the device itself.
using FieldLevel = std::vector<std::pair<std::string, FieldValue>>;

class DeviceFields {
 public:
  // Applies one level's fields (defaults, a group, the device itself) over
  // those of less specific levels. One level's password replaces another's
  // password_env or password_file (likewise for secret), and one level's
  // jump_host.* replaces another's whole.
  void Apply(FieldLevel level);
  // A level of one field.
  void Set(const std::string& key, FieldValue value);
  const FieldValue* Get(absl::string_view key) const;
  const FieldLevel& all() const { return fields_; }

  std::string name;   // set by formats that name devices apart from fields
  std::string group;  // the group it is listed under
  std::vector<std::string> more_groups;  // other groups it belongs to
  std::map<std::string, std::string> vars;  // the user's own, for --filter
  FieldOrigin origin;  // the device's own entry
  // Our field names as the format writes them, for "missing" errors; null
  // when they are the course's.
  const std::map<std::string, std::string>* written_names = nullptr;

 private:
  FieldLevel fields_;  // a handful: searched in order
};

// Whether `key` is a device field this file format may give; otherwise an
// "unknown field" error at `origin` with the closest known names, each
// written with `prefix` as the user's file writes them (`netshard_`).
absl::Status CheckFieldName(absl::string_view key, const FieldOrigin& origin,
                            absl::string_view prefix = "");

// The error form of every inventory format: "<file>:<line>: field '<f>': what"
// (YamlErrors', whatever the format).
absl::Status FieldError(const FieldOrigin& origin, absl::string_view field,
                        absl::string_view what);

// Fills `device` (a new one) as `fields` describe, every value checked;
// `sources`, when given, learns where each credential came from (never the
// credential).
absl::Status BuildDevice(const DeviceFields& fields, const InventoryOptions& options,
                         Device* device, CredentialSources* sources);

}  // namespace netshard

#endif  // NETSHARD_COMMON_INVENTORY_DEVICE_FIELDS_H_
