#include "coordinator/result_printer.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/device_error.h"
#include "coordinator/json_string.h"

namespace netshard {

std::string JsonlRecord(const Device& device, const v1::DeviceResult& result) {
  std::string out = "{\"name\":";
  AppendJsonString(&out, device.name);
  out += ",\"ip\":";
  AppendJsonString(&out, device.address);
  absl::StrAppend(&out, ",\"port\":", device.port, ",\"device_type\":");
  AppendJsonString(&out, device.device_type);
  absl::StrAppend(&out, ",\"ok\":", result.has_error() ? "false" : "true",
                  ",\"outputs\":[");
  for (int i = 0; i < result.outputs_size(); ++i) {
    out += i == 0 ? "{\"command\":" : ",{\"command\":";
    AppendJsonString(&out, result.outputs(i).command());
    out += ",\"output\":";
    AppendJsonString(&out, result.outputs(i).output());
    absl::StrAppend(&out, ",\"rejected\":", result.outputs(i).rejected() ? "true" : "false",
                    "}");
  }
  out += "],\"error\":";
  if (result.has_error()) {
    absl::StrAppend(&out, "{\"code\":\"", ErrorCodeName(result.error().code()),
                    "\",\"stage\":\"", StageName(result.error().stage()),
                    "\",\"message\":");
    AppendJsonString(&out, result.error().message());
    out += "}";
  } else {
    out += "null";
  }
  out += ",\"agent\":";
  AppendJsonString(&out, result.agent());
  absl::StrAppend(&out, ",\"elapsed_ms\":", result.elapsed_ms(), "}\n");
  return out;
}

std::string TextRecord(const Device& device, const v1::DeviceResult& result) {
  std::string via = result.agent().empty() ? "" : absl::StrCat(" via ", result.agent());
  std::string out = absl::StrFormat("=== %s (%s:%d) %s, %d ms%s\n", device.name,
                                    device.address, device.port,
                                    result.has_error() ? "FAILED" : "ok",
                                    result.elapsed_ms(), via);
  for (const v1::CommandOutput& output : result.outputs()) {
    absl::StrAppend(&out, "--- ", output.command(), output.rejected() ? "  [rejected]" : "",
                    "\n", output.output());
    if (!output.output().empty() && output.output().back() != '\n') out += "\n";
  }
  if (result.has_error()) {
    absl::StrAppend(&out, "!!! ", ErrorCodeName(result.error().code()), " at ",
                    StageName(result.error().stage()), ": ",
                    result.error().message(), "\n");
  }
  return out;
}

std::string SummaryLine(const RunCounts& counts, absl::Duration wall) {
  std::string out = absl::StrFormat("%d devices: %d ok, %d failed",
                                    counts.ok + counts.failed, counts.ok, counts.failed);
  if (!counts.by_error.empty()) {
    out += " (";
    bool first = true;
    for (const auto& [code, count] : counts.by_error) {
      absl::StrAppend(&out, first ? "" : ", ", code, " ", count);
      first = false;
    }
    out += ")";
  }
  absl::StrAppendFormat(&out, " in %.2f s", absl::ToDoubleSeconds(wall));
  return out;
}

void ResultPrinter::Accept(v1::DeviceResult result) {
  const Device& device = devices_[result.job_id()];
  std::string record = format_ == OutputFormat::kJsonl
                           ? JsonlRecord(device, result)
                           : TextRecord(device, result);
  MutexLock lock(&mu_);
  if (result.has_error()) {
    ++counts_.failed;
    ++counts_.by_error[ErrorCodeName(result.error().code())];
  } else {
    ++counts_.ok;
  }
  *out_ << record;
  out_->flush();
}

RunCounts ResultPrinter::counts() const {
  MutexLock lock(&mu_);
  return counts_;
}

}  // namespace netshard
