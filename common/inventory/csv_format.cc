// A spreadsheet export: a header row naming the fields (any device field,
// `group`, `vars.NAME`, `jump_host.FIELD`), then a device a row. Commas,
// else semicolons or tabs, as the header uses them; RFC 4180 quoting; an
// empty cell gives nothing, and a row of them is skipped. Read a row at a
// time.
#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/inventory/inventory_builder.h"
#include "common/status_macros.h"

namespace netshard {
namespace {

class CsvReader {
 public:
  CsvReader(std::istream& in, const std::string* file) : in_(in), file_(file) {}

  // The next record's cells and its first line; false at the end.
  absl::StatusOr<bool> Next(std::vector<std::string>* cells, int* line) {
    cells->clear();
    std::string text;
    do {
      if (!ReadLine(&text)) return false;
      if (line_ == 1 && absl::StartsWith(text, "\xEF\xBB\xBF")) text.erase(0, 3);  // Excel's BOM
    } while (absl::StripAsciiWhitespace(text).empty());
    *line = line_;
    if (delimiter_ == '\0') {
      delimiter_ = text.find(',') != std::string::npos   ? ','
                   : text.find(';') != std::string::npos ? ';'
                   : text.find('\t') != std::string::npos ? '\t'
                                                          : ',';
    }
    std::string cell;
    bool quoted = false;
    // Only a quote that starts a cell (blanks aside) opens one; elsewhere it
    // is text (19" rack), as Excel and Python's csv read it.
    bool cell_start = true;
    for (size_t i = 0;; ++i) {
      if (i == text.size()) {
        if (!quoted) break;
        // A quoted cell goes on over the line break.
        std::string more;
        if (!ReadLine(&more)) {
          return FieldError({file_, *line}, "", "a quoted cell is never closed");
        }
        text += "\n" + more;
      }
      char c = text[i];
      if (quoted) {
        if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
          cell += '"';
          ++i;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell += c;
        }
      } else if (c == '"' && cell_start) {
        quoted = true;
      } else if (c == delimiter_) {
        cells->push_back(std::move(cell));
        cell.clear();
      } else {
        cell += c;
      }
      cell_start = !quoted && (c == delimiter_ || (cell_start && (c == ' ' || c == '\t')));
    }
    cells->push_back(std::move(cell));
    return true;
  }

 private:
  // The next line, without the CR of a CRLF line end (Excel's), which
  // would otherwise stay in a cell that spans lines.
  bool ReadLine(std::string* text) {
    if (!std::getline(in_, *text)) return false;
    ++line_;
    if (!text->empty() && text->back() == '\r') text->pop_back();
    return true;
  }

  std::istream& in_;
  const std::string* file_;
  int line_ = 0;
  char delimiter_ = '\0';
};

}  // namespace

absl::Status ReadCsvInventory(const InventoryInput& input, InventoryBuilder& builder) {
  const std::string* file = builder.File(input.path);
  std::ifstream from_file;
  std::istringstream from_text;
  if (input.text) {
    from_text.str(*input.text);
  } else {
    from_file.open(input.path, std::ios::binary);
    if (!from_file) return absl::NotFoundError(absl::StrCat(input.path, ": cannot open"));
  }
  CsvReader reader(input.text ? static_cast<std::istream&>(from_text) : from_file, file);
  std::vector<std::string> header;
  int header_line = 0;
  ASSIGN_OR_RETURN(bool any, reader.Next(&header, &header_line));
  if (!any) return FieldError({file, 1}, "", "empty: expected a header row such as name,ip,device_type,username");
  for (size_t i = 0; i < header.size(); ++i) {
    std::string& column = header[i];
    column = std::string(absl::StripAsciiWhitespace(column));
    if (column.empty()) {
      return FieldError({file, header_line}, "", absl::StrCat("column ", i + 1, " has no name"));
    }
    // A second column of one field would be dropped without a word.
    auto first = std::find(header.begin(), header.begin() + i, column);
    if (first != header.begin() + i) {
      return FieldError(
          {file, header_line}, column,
          absl::StrCat("column ", i + 1, " repeats column ", first - header.begin() + 1));
    }
    if (column == "group" || absl::StartsWith(column, "vars.")) continue;
    RETURN_IF_ERROR(CheckFieldName(column, {file, header_line}));
    if (column == "jump_host" || column == "vars") {
      return FieldError({file, header_line}, column,
                        absl::StrCat("give its parts as columns: ", column, ".NAME"));
    }
  }
  std::vector<std::string> cells;
  int line = 0;
  while (true) {
    ASSIGN_OR_RETURN(bool more, reader.Next(&cells, &line));
    if (!more) break;
    // A spreadsheet exports a row it once used as bare delimiters.
    if (std::all_of(cells.begin(), cells.end(), [](const std::string& cell) {
          return absl::StripAsciiWhitespace(cell).empty();
        })) {
      continue;
    }
    if (cells.size() != header.size()) {
      return FieldError({file, line}, "",
                        absl::StrCat("row has ", cells.size(), " cells, the header ",
                                     header.size()));
    }
    DeviceFields fields;
    fields.origin = {file, line};
    fields.group = kUngrouped;
    FieldLevel level;
    for (size_t i = 0; i < cells.size(); ++i) {
      std::string value(absl::StripAsciiWhitespace(cells[i]));
      if (value.empty()) continue;
      if (header[i] == "group") {
        fields.group = value;
      } else if (absl::StartsWith(header[i], "vars.")) {
        fields.vars[header[i].substr(5)] = value;
      } else {
        level.emplace_back(header[i], FieldValue{std::move(value), {file, line}, "", false});
      }
    }
    fields.Apply(std::move(level));
    RETURN_IF_ERROR(builder.Add(fields));
  }
  return absl::OkStatus();
}

}  // namespace netshard
