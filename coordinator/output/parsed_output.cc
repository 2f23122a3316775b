#include "coordinator/output/parsed_output.h"

#include <filesystem>
#include <system_error>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "coordinator/output/json_string.h"

namespace netshard {

std::string RecordsJson(const FsmTable& table) {
  std::string out = "[";
  for (size_t r = 0; r < table.records.size(); ++r) {
    if (r > 0) out += ',';
    out += '{';
    for (size_t c = 0; c < table.header.size(); ++c) {
      if (c > 0) out += ',';
      AppendJsonString(&out, absl::AsciiStrToLower(table.header[c]));
      out += ':';
      const FsmCell& cell = table.records[r][c];
      if (cell.kind != FsmCell::Kind::kList) {
        AppendJsonString(&out, cell.text);
        continue;
      }
      out += '[';
      for (size_t i = 0; i < cell.items.size(); ++i) {
        if (i > 0) out += ',';
        AppendJsonString(&out, cell.items[i].text.value_or("None"));
      }
      out += ']';
    }
    out += '}';
  }
  out += ']';
  return out;
}

absl::StatusOr<std::string> TemplatesDir(const std::string& flag, const EnvLookup& env,
                                         const std::string& data_dir) {
  if (!flag.empty()) return flag;
  if (std::optional<std::string> dir = env("NETSHARD_TEMPLATES"); dir && !dir->empty()) {
    return *dir;
  }
  std::error_code error;
  std::string installed = data_dir.empty() ? "" : data_dir + "/templates";
  if (!installed.empty() && std::filesystem::exists(installed + "/index", error)) return installed;
  return absl::InvalidArgumentError(absl::StrCat(
      "no template library: give --templates DIR or set NETSHARD_TEMPLATES to a directory with "
      "an index and its templates (ntc-templates' ntc_templates/templates)",
      installed.empty() ? "" : ", or put them in " + installed));
}

ParsedField ParseOutput(TemplateLibrary& library, const std::string& platform,
                        const std::string& command, const std::string& output) {
  absl::StatusOr<FsmTable> table = library.Parse(platform, command, output);
  if (table.ok()) return {"parsed", RecordsJson(*table)};
  ParsedField note{"parse_note", ""};
  AppendJsonString(&note.json, table.status().message());
  return note;
}

ParsedField ParseCommandOutput(TemplateLibrary& library, const std::string& platform,
                               const v1::CommandOutput& output) {
  if (output.rejected()) {
    return {"parse_note", "\"not parsed: the device rejected the command\""};
  }
  return ParseOutput(library, platform, output.command(), output.output());
}

std::string ParsePlatform(const Device& device, const v1::DeviceResult& result) {
  return result.platform().empty() ? device.device_type : result.platform();
}

}  // namespace netshard
