// Prints each device's result as it arrives (text or jsonl) and keeps the
// counts for the run's summary.
#ifndef NETSHARD_COORDINATOR_RESULT_PRINTER_H_
#define NETSHARD_COORDINATOR_RESULT_PRINTER_H_

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "common/mutex.h"
#include "absl/time/time.h"
#include "common/inventory.h"
#include "coordinator/result_sink.h"

namespace netshard {

enum class OutputFormat { kText, kJsonl };

struct RunCounts {
  int ok = 0;
  int failed = 0;
  std::map<std::string, int> by_error;  // "AUTH_FAILED" -> 3
};

// One jsonl record: {"name", "ip", "port", "device_type", "ok", "outputs":
// [{"command", "output"}], "error": null | {"code", "stage", "message"},
// "agent", "elapsed_ms"}. No secret is ever written.
std::string JsonlRecord(const Device& device, const v1::DeviceResult& result);

// A header line, then each command's output, or the error.
std::string TextRecord(const Device& device, const v1::DeviceResult& result);

// "200 devices: 199 ok, 1 failed (AUTH_FAILED 1) in 1.23 s"
std::string SummaryLine(const RunCounts& counts, absl::Duration wall);

// Thread-safe. `devices[job_id]` describes each result; both it and `out`
// must outlive the printer.
class ResultPrinter final : public ResultSink {
 public:
  ResultPrinter(const std::vector<Device>& devices, OutputFormat format,
                std::ostream* out)
      : devices_(devices), format_(format), out_(out) {}

  void Accept(v1::DeviceResult result) override;
  RunCounts counts() const;

 private:
  const std::vector<Device>& devices_;
  const OutputFormat format_;
  mutable Mutex mu_;
  std::ostream* out_ ABSL_GUARDED_BY(mu_);
  RunCounts counts_ ABSL_GUARDED_BY(mu_);
};

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_RESULT_PRINTER_H_
