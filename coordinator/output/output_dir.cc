#include "coordinator/output/output_dir.h"

#include <cstdio>
#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/device_error.h"

namespace netshard {
namespace {

absl::Status WriteWhole(const std::string& path, const std::string& text) {
  std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) return absl::UnavailableError(absl::StrCat("cannot write ", temporary));
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    return absl::UnavailableError(absl::StrCat("cannot rename ", temporary, " to ", path));
  }
  return absl::OkStatus();
}

std::string Sanitize(const std::string& text) {
  std::string name;
  for (char c : text) {
    bool keep = absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
                c == '_' || c == '@';
    name.push_back(keep ? c : '_');
  }
  return name;
}

}  // namespace

std::string DeviceFileName(const Device& device) {
  std::string name = Sanitize(device.name);
  if (name.find_first_not_of('.') == std::string::npos) {
    name = Sanitize(absl::StrCat(device.address, "_", device.port));
  }
  return name;
}

absl::StatusOr<std::string> WriteDeviceFiles(const std::string& dir, const Device& device,
                                             const v1::DeviceResult& result) {
  std::string base = absl::StrCat(dir, "/", DeviceFileName(device));
  std::string text;
  if (result.outputs_size() == 1 && !result.has_error()) {
    text = result.outputs(0).output();
    if (!text.empty() && text.back() != '\n') text += '\n';
  } else {
    for (const v1::CommandOutput& output : result.outputs()) {
      absl::StrAppend(&text, "--- ", output.command(), "\n", output.output());
      if (!output.output().empty() && output.output().back() != '\n') text += '\n';
    }
  }
  std::string error_file = base + ".error";
  if (result.has_error()) {
    const v1::DeviceError& error = result.error();
    text = absl::StrCat(ErrorCodeName(error.code()), " at ", StageName(error.stage()), ": ",
                        error.message(), "\n", text);
    if (absl::Status status = WriteWhole(error_file, text); !status.ok()) return status;
    return error_file;
  }
  if (absl::Status status = WriteWhole(base + ".txt", text); !status.ok()) return status;
  std::remove(error_file.c_str());  // from an earlier, failed run
  return base + ".txt";
}

}  // namespace netshard
