// netshard's TextFSM on every ntc-templates fixture, over and over for a
// few seconds: records per second and MB of `show` output per second, the
// templates loaded once (as a run does). tests/bench/compare_parsers.sh
// puts it beside python3-textfsm on the same inputs.
//
//   parse_bench NTC_TEMPLATES_DIR [SECONDS]
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "common/file_text.h"
#include "coordinator/textfsm_library.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: parse_bench NTC_TEMPLATES_DIR [SECONDS]\n");
    return 2;
  }
  namespace fs = std::filesystem;
  std::string root = argv[1];
  double seconds = argc > 2 ? std::stod(argv[2]) : 3;
  struct Input {
    std::string platform, command, text;
  };
  std::vector<Input> inputs;
  for (const auto& entry : fs::recursive_directory_iterator(root + "/tests")) {
    if (entry.path().extension() != ".raw") continue;
    fs::path relative = fs::relative(entry.path(), root + "/tests");
    std::vector<std::string> parts;
    for (const auto& part : relative) parts.push_back(part.string());
    if (parts.size() != 3) continue;
    inputs.push_back({parts[0], absl::StrReplaceAll(parts[1], {{"_", " "}}),
                      netshard::ReadFileText(entry.path().string()).value_or("")});
  }
  auto library = netshard::TemplateLibrary::Open(root + "/templates");
  if (!library.ok()) {
    std::fprintf(stderr, "parse_bench: %s\n", std::string(library.status().message()).c_str());
    return 2;
  }
  absl::Time start = absl::Now();
  size_t records = 0, bytes = 0, passes = 0;
  do {
    for (const Input& input : inputs) {
      auto table = (*library)->Parse(input.platform, input.command, input.text);
      if (table.ok()) records += table->records.size();
      bytes += input.text.size();
    }
    ++passes;
  } while (absl::Now() - start < absl::Seconds(seconds));
  double elapsed = absl::ToDoubleSeconds(absl::Now() - start);
  std::printf("outputs %zu passes %zu records_per_s %.0f mb_per_s %.2f\n", inputs.size(), passes,
              records / elapsed, bytes / elapsed / 1e6);
  return 0;
}
