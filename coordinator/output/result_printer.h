// Prints each device's result as it arrives (text or jsonl) and keeps the
// counts for the run's summary.
#ifndef NETSHARD_COORDINATOR_OUTPUT_RESULT_PRINTER_H_
#define NETSHARD_COORDINATOR_OUTPUT_RESULT_PRINTER_H_

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "common/mutex.h"
#include "absl/time/time.h"
#include "common/inventory/inventory.h"
#include "coordinator/output/gathered_output.h"
#include "coordinator/output/progress_line.h"
#include "coordinator/output/result_sink.h"
#include "common/textfsm/textfsm_library.h"

namespace netshard {

enum class OutputFormat { kText, kJsonl, kJson };

struct PrintOptions {
  OutputFormat format = OutputFormat::kText;
  bool gather = false;     // text: identical outputs once, at the end
  std::string output_dir;  // also a file per device here; text then shows status only
  bool progress = false;   // a progress line on `err`
  bool wipe_progress = false;  // `out` is the same terminal: wipe before printing
  // --parse: each command's output also as records from this library.
  TemplateLibrary* parse = nullptr;
};

inline PrintOptions WithFormat(OutputFormat format) {
  PrintOptions options;
  options.format = format;
  return options;
}

struct RunCounts {
  int ok = 0;
  int failed = 0;
  std::map<std::string, int> by_error;  // "AUTH_FAILED" -> 3
  // The slowest devices, slowest first: (elapsed ms, name).
  std::vector<std::pair<uint64_t, std::string>> slowest;
};

// One jsonl record: {"name", "ip", "port", "device_type", "ok", "outputs":
// [{"command", "output"}], "error": null | {"code", "stage", "message"},
// "agent", "elapsed_ms"}. No secret is ever written. With `parse`, each
// output also has "parsed" (its records) or "parse_note" (why none).
std::string JsonlRecord(const Device& device, const v1::DeviceResult& result,
                        TemplateLibrary* parse = nullptr);

// A header line, then TextBody.
std::string TextRecord(const Device& device, const v1::DeviceResult& result,
                       TemplateLibrary* parse = nullptr);

// Each command's output under "--- command" ("  [rejected]" when refused),
// with `parse` its records as JSON on a "parsed: " line, then the error as
// "!!! CODE at STAGE: message".
std::string TextBody(const v1::DeviceResult& result, TemplateLibrary* parse = nullptr,
                     const std::string& platform = "");

// "200 devices: 199 ok, 1 failed (AUTH_FAILED 1) in 1.23 s", then, when
// there are any, "slowest: sim7 3.20 s, sim9 2.91 s, ...".
std::string SummaryLine(const RunCounts& counts, absl::Duration wall);

// Thread-safe. `devices[job_id]` describes each result; both it and `out`
// must outlive the printer.
class ResultPrinter final : public ResultSink {
 public:
  ResultPrinter(const DeviceList& devices, OutputFormat format, std::ostream* out)
      : ResultPrinter(devices, WithFormat(format), out, nullptr) {}
  // `err` gets the progress line and output-dir failures.
  ResultPrinter(const DeviceList& devices, PrintOptions options, std::ostream* out,
                std::ostream* err);

  void Accept(v1::DeviceResult result) override;
  // Prints what waits for the whole run: json's closing brace, the
  // gathered groups; wipes the progress line.
  void Finish();
  RunCounts counts() const;

 private:
  std::string Record(const Device& device, const v1::DeviceResult& result);
  void Count(const Device& device, const v1::DeviceResult& result)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const DeviceList& devices_;
  const PrintOptions options_;
  mutable Mutex mu_;
  std::ostream* out_ ABSL_GUARDED_BY(mu_);
  std::ostream* err_ ABSL_GUARDED_BY(mu_);
  RunCounts counts_ ABSL_GUARDED_BY(mu_);
  bool first_json_ ABSL_GUARDED_BY(mu_) = true;
  GatheredOutput gathered_ ABSL_GUARDED_BY(mu_);
  ProgressLine progress_ ABSL_GUARDED_BY(mu_);
};

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_OUTPUT_RESULT_PRINTER_H_
