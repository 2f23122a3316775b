#include "coordinator/cli/config_lines.h"

#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace netshard {

absl::StatusOr<std::vector<std::string>> ConfigLines(const std::vector<std::string>& lines,
                                                     const std::string& file) {
  std::vector<std::string> out = lines;
  if (file.empty()) return out;
  std::ifstream in(file);
  if (!in) return absl::NotFoundError(absl::StrCat("--config-file ", file, ": cannot read"));
  size_t before = out.size();
  for (std::string line; std::getline(in, line);) {
    absl::string_view text = absl::StripAsciiWhitespace(line);
    if (text.empty() || text[0] == '!' || text[0] == '#') continue;
    // Indentation is kept: some CLIs show it, none need it, and it is harmless.
    out.push_back(std::string(absl::StripTrailingAsciiWhitespace(line)));
  }
  if (out.size() == before) {
    return absl::InvalidArgumentError(
        absl::StrCat("--config-file ", file, ": no configuration lines (only blanks or comments)"));
  }
  return out;
}

}  // namespace netshard
