#include "coordinator/output/result_printer.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/device_error.h"
#include "coordinator/output/json_string.h"
#include "coordinator/output/output_dir.h"
#include "coordinator/output/parsed_output.h"

namespace netshard {

std::string JsonlRecord(const Device& device, const v1::DeviceResult& result,
                        TemplateLibrary* parse) {
  std::string out = "{\"name\":";
  AppendJsonString(&out, device.name);
  out += ",\"ip\":";
  AppendJsonString(&out, device.address);
  absl::StrAppend(&out, ",\"port\":", device.port, ",\"device_type\":");
  AppendJsonString(&out, device.device_type);
  if (!result.platform().empty()) {
    out += ",\"platform\":";
    AppendJsonString(&out, result.platform());
  }
  absl::StrAppend(&out, ",\"ok\":", result.has_error() ? "false" : "true",
                  ",\"outputs\":[");
  for (int i = 0; i < result.outputs_size(); ++i) {
    out += i == 0 ? "{\"command\":" : ",{\"command\":";
    AppendJsonString(&out, result.outputs(i).command());
    out += ",\"output\":";
    AppendJsonString(&out, result.outputs(i).output());
    absl::StrAppend(&out, ",\"rejected\":", result.outputs(i).rejected() ? "true" : "false");
    if (parse != nullptr) {
      ParsedField field = ParseCommandOutput(*parse, ParsePlatform(device, result), result.outputs(i));
      absl::StrAppend(&out, ",\"", field.name, "\":", field.json);
    }
    out += "}";
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

std::string TextRecord(const Device& device, const v1::DeviceResult& result,
                       TemplateLibrary* parse) {
  std::string via = result.agent().empty() ? "" : absl::StrCat(" via ", result.agent());
  // A platform the session found, or that differs from the name given.
  std::string as = !result.platform().empty() && result.platform() != device.device_type
                       ? absl::StrCat(" as ", result.platform())
                       : "";
  std::string out = absl::StrFormat("=== %s (%s:%d) %s%s, %d ms%s\n", device.name,
                                    device.address, device.port,
                                    result.has_error() ? "FAILED" : "ok", as,
                                    result.elapsed_ms(), via);
  return out + TextBody(result, parse, ParsePlatform(device, result));
}

std::string TextBody(const v1::DeviceResult& result, TemplateLibrary* parse,
                     const std::string& platform) {
  std::string out;
  for (const v1::CommandOutput& output : result.outputs()) {
    absl::StrAppend(&out, "--- ", output.command(), output.rejected() ? "  [rejected]" : "",
                    "\n", output.output());
    if (!output.output().empty() && output.output().back() != '\n') out += "\n";
    if (parse == nullptr) continue;
    // The same records (or note) as jsonl: "parsed: [...]" or "parse_note: "...""
    ParsedField field = ParseCommandOutput(*parse, platform, output);
    absl::StrAppend(&out, field.name, ": ", field.json, "\n");
  }
  if (result.has_error()) {
    absl::StrAppend(&out, "!!! ", ErrorCodeName(result.error().code()), " at ",
                    StageName(result.error().stage()), ": ",
                    result.error().message(), "\n");
  }
  return out;
}

namespace {

constexpr size_t kSlowestShown = 5;

}  // namespace

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
  // Only worth a line where there are more devices than it names.
  bool name_slowest = static_cast<size_t>(counts.ok + counts.failed) > kSlowestShown;
  for (size_t i = 0; name_slowest && i < counts.slowest.size(); ++i) {
    absl::StrAppendFormat(&out, "%s%s %.2f s", i == 0 ? "\nslowest: " : ", ",
                          counts.slowest[i].second, counts.slowest[i].first / 1000.0);
  }
  return out;
}

ResultPrinter::ResultPrinter(const DeviceList& devices, PrintOptions options,
                             std::ostream* out, std::ostream* err)
    : devices_(devices),
      options_(std::move(options)),
      out_(out),
      err_(err),
      progress_(err, static_cast<int>(devices.size()), options_.progress && err != nullptr) {
}

std::string ResultPrinter::Record(const Device& device, const v1::DeviceResult& result) {
  switch (options_.format) {
    case OutputFormat::kJsonl:
      return JsonlRecord(device, result, options_.parse);
    case OutputFormat::kJson: {
      std::string record = JsonlRecord(device, result, options_.parse);
      record.pop_back();  // its newline
      std::string out = "  ";
      AppendJsonString(&out, device.name);  // unique: the inventory sees to it
      absl::StrAppend(&out, ": ", record);
      return out;
    }
    case OutputFormat::kText:
      if (options_.gather) return "";
      if (options_.output_dir.empty()) return TextRecord(device, result, options_.parse);
      // The outputs are in the files; the terminal shows who is done.
      v1::DeviceResult status = result;
      status.clear_outputs();
      return TextRecord(device, status);
  }
  return "";
}

void ResultPrinter::Count(const Device& device, const v1::DeviceResult& result) {
  if (result.has_error()) {
    ++counts_.failed;
    ++counts_.by_error[ErrorCodeName(result.error().code())];
  } else {
    ++counts_.ok;
  }
  auto& slowest = counts_.slowest;
  std::pair<uint64_t, std::string> entry(result.elapsed_ms(), device.name);
  auto at = std::upper_bound(slowest.begin(), slowest.end(), entry,
                             [](const auto& a, const auto& b) { return a.first > b.first; });
  if (static_cast<size_t>(at - slowest.begin()) < kSlowestShown) {
    slowest.insert(at, std::move(entry));
    if (slowest.size() > kSlowestShown) slowest.pop_back();
  }
}

void ResultPrinter::Accept(v1::DeviceResult result) {
  const Device& device = devices_[result.job_id()];
  std::string record = Record(device, result);
  std::string file_error;
  if (!options_.output_dir.empty()) {
    absl::StatusOr<std::string> written =
        WriteDeviceFiles(options_.output_dir, device, result);
    if (!written.ok()) file_error = std::string(written.status().message());
  }
  MutexLock lock(&mu_);
  Count(device, result);
  if (options_.gather) gathered_.Add(device, result);
  if (options_.wipe_progress && !record.empty()) progress_.Wipe();
  if (!file_error.empty() && err_ != nullptr) {
    progress_.Wipe();
    *err_ << "coord: --output-dir: " << file_error << std::endl;
  }
  if (options_.format == OutputFormat::kJson) {
    *out_ << (first_json_ ? "{\n" : ",\n") << record;
    first_json_ = false;
  } else {
    *out_ << record;
  }
  out_->flush();
  progress_.Update(counts_.ok + counts_.failed, counts_.ok, counts_.failed);
}

void ResultPrinter::Finish() {
  MutexLock lock(&mu_);
  progress_.Wipe();
  if (options_.format == OutputFormat::kJson) *out_ << (first_json_ ? "{}\n" : "\n}\n");
  if (options_.gather) *out_ << gathered_.Text();
  out_->flush();
}

RunCounts ResultPrinter::counts() const {
  MutexLock lock(&mu_);
  return counts_;
}

}  // namespace netshard
