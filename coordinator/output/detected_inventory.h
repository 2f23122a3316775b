// `coord run --detect-only --detect-out FILE`: the devices as an inventory
// in the course's format, each device_type the platform autodetect found
// (the one given where detection failed, with the error as a comment).
// Credentials are never written: the file holds no password or secret.
#ifndef NETSHARD_COORDINATOR_OUTPUT_DETECTED_INVENTORY_H_
#define NETSHARD_COORDINATOR_OUTPUT_DETECTED_INVENTORY_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/inventory/inventory.h"
#include "common/mutex.h"
#include "coordinator/output/result_sink.h"

namespace netshard {

// Thread-safe. Notes each result's platform, then passes the result on.
class DetectedInventory final : public ResultSink {
 public:
  // `devices[job_id]` describes each result; `source` names the inventory
  // they came from.
  DetectedInventory(const DeviceList& devices, std::string source, ResultSink* next)
      : devices_(devices), source_(std::move(source)), next_(next) {}
  void Accept(v1::DeviceResult result) override;

  // Writes every device, grouped as in the inventory, to `path`.
  absl::Status Write(const std::string& path) const;

 private:
  const DeviceList& devices_;
  const std::string source_;
  ResultSink* const next_;
  mutable Mutex mu_;
  std::map<uint64_t, v1::DeviceResult> found_ ABSL_GUARDED_BY(mu_);  // job_id -> platform, error
};

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_OUTPUT_DETECTED_INVENTORY_H_
