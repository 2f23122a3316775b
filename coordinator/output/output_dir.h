// `--output-dir DIR`: one file per device, so `coord run --cmd "show
// running-config" --output-dir backups/` is a config backup.
#ifndef NETSHARD_COORDINATOR_OUTPUT_OUTPUT_DIR_H_
#define NETSHARD_COORDINATOR_OUTPUT_OUTPUT_DIR_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/inventory/inventory.h"
#include "netshard/v1/agent.pb.h"

namespace netshard {

// A file name for `device`: its name with anything but letters, digits and
// ".-_@" replaced by '_' ("" and dot-only names become the address).
std::string DeviceFileName(const Device& device);

// A device that succeeded gets DIR/<name>.txt: the output of a lone command
// as the device sent it, or each command's output under a "--- command"
// line (and a stale <name>.error goes). One that failed gets <name>.error:
// the error, then whatever output it gathered; its .txt, maybe a good
// backup from an earlier run, is left alone. Files are written under a
// temporary name and renamed, so a file that exists is whole. Returns the
// path written.
absl::StatusOr<std::string> WriteDeviceFiles(const std::string& dir, const Device& device,
                                             const v1::DeviceResult& result);

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_OUTPUT_OUTPUT_DIR_H_
