#include "common/textfsm/textfsm_index.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/file_text.h"

namespace netshard {

std::string ExpandCompletions(absl::string_view command) {
  std::string out;
  size_t at = 0;
  while (at < command.size()) {
    size_t open = command.find("[[", at);
    // clitable's [[.+?]]: the shortest non-empty run to the next "]]".
    size_t close = open == absl::string_view::npos ? open : command.find("]]", open + 3);
    if (close == absl::string_view::npos) {
      absl::StrAppend(&out, command.substr(at));
      break;
    }
    absl::StrAppend(&out, command.substr(at, open - at));
    absl::string_view word = command.substr(open + 2, close - open - 2);
    out += '(';
    for (size_t i = 0; i < word.size(); ++i) {
      if (i > 0) out += '(';
      out += word[i];
    }
    for (size_t i = 0; i < word.size(); ++i) out += ")?";
    at = close + 2;
  }
  return out;
}

absl::StatusOr<std::unique_ptr<TemplateIndex>> TemplateIndex::Load(const std::string& dir) {
  std::string path = dir + "/index";
  std::optional<std::string> text = ReadFileText(path);
  if (!text) return absl::NotFoundError(absl::StrCat(path, ": cannot read the template index"));
  return Parse(*text, path);
}

absl::StatusOr<std::unique_ptr<TemplateIndex>> TemplateIndex::Parse(absl::string_view text,
                                                                    absl::string_view source) {
  auto index = std::unique_ptr<TemplateIndex>(new TemplateIndex);
  std::vector<std::string> header;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    if (header.empty()) {
      absl::string_view columns = absl::StripAsciiWhitespace(line.substr(0, line.find('#')));
      if (columns.empty()) continue;
      for (absl::string_view column : absl::StrSplit(columns, ',')) {
        header.emplace_back(absl::StripAsciiWhitespace(column));
      }
      continue;
    }
    if (absl::StartsWith(line, "#")) continue;
    std::vector<absl::string_view> fields = absl::StrSplit(line, ',');
    if (fields.size() != header.size()) continue;  // blank lines too, as clitable skips them
    Row row;
    for (size_t i = 0; i < fields.size(); ++i) {
      absl::string_view field = absl::StripAsciiWhitespace(fields[i]);
      if (header[i] == "Template") {
        row.template_file = std::string(field);
        continue;
      }
      if (field.empty() || (header[i] != "Platform" && header[i] != "Command")) continue;
      std::string pattern = header[i] == "Command" ? ExpandCompletions(field) : std::string(field);
      absl::StatusOr<std::unique_ptr<PythonRegex>> regex = PythonRegex::Compile(pattern);
      if (!regex.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(source, ":", line_number, ": ", header[i],
                                                       ": ", regex.status().message()));
      }
      (header[i] == "Command" ? row.command : row.platform) = *std::move(regex);
    }
    if (row.template_file.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, ":", line_number, ": Template: missing"));
    }
    index->rows_.push_back(std::move(row));
  }
  if (header.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": no header line"));
  }
  return index;
}

std::optional<std::string> TemplateIndex::Find(absl::string_view platform,
                                               absl::string_view command) const {
  for (const Row& row : rows_) {
    if (row.platform != nullptr && !row.platform->Match(platform)) continue;
    if (row.command != nullptr && !row.command->Match(command)) continue;
    return row.template_file;
  }
  return std::nullopt;
}

}  // namespace netshard
