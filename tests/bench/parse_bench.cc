// netshard's TextFSM on every ntc-templates fixture, over and over for a
// few seconds: records per second and MB of `show` output per second, the
// templates loaded once (as a run does). tests/bench/compare_parsers.sh
// puts it beside python3-textfsm on the same inputs.
//
//   parse_bench NTC_TEMPLATES_DIR [SECONDS]
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "common/file_text.h"
#include "common/textfsm/textfsm_library.h"

namespace {

namespace fs = std::filesystem;

struct Input {
  std::string platform, command, text;
};

// Every fixture under DIR/tests (tests/PLATFORM/COMMAND/NAME.raw). The
// error_code forms of std::filesystem: a missing or unreadable directory is
// an error naming it, not an uncaught filesystem_error.
absl::StatusOr<std::vector<Input>> Fixtures(const std::string& root) {
  std::string tests = root + "/tests";
  std::error_code error;
  if (!fs::is_directory(tests, error)) {
    return absl::NotFoundError(absl::StrCat(
        tests, ": no such directory (NTC_TEMPLATES_DIR must hold ntc-templates' tests/ and "
               "templates/)"));
  }
  std::vector<Input> inputs;
  for (fs::recursive_directory_iterator it(tests, error), end; !error && it != end;
       it.increment(error)) {
    if (it->path().extension() != ".raw") continue;
    fs::path relative = it->path().lexically_relative(tests);
    std::vector<std::string> parts;
    for (const auto& part : relative) parts.push_back(part.string());
    if (parts.size() != 3) continue;
    inputs.push_back({parts[0], absl::StrReplaceAll(parts[1], {{"_", " "}}),
                      netshard::ReadFileText(it->path().string()).value_or("")});
  }
  if (error) return absl::UnavailableError(absl::StrCat(tests, ": ", error.message()));
  return inputs;
}

int Fail(absl::string_view message) {
  std::fprintf(stderr, "parse_bench: %s\n", std::string(message).c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Fail("usage: parse_bench NTC_TEMPLATES_DIR [SECONDS]");
  std::string root = argv[1];
  double seconds = 3;
  if (argc > 2 && (!absl::SimpleAtod(argv[2], &seconds) || seconds < 0)) {
    return Fail(absl::StrCat("SECONDS: expected a number of seconds, got '", argv[2], "'"));
  }
  absl::StatusOr<std::vector<Input>> inputs = Fixtures(root);
  if (!inputs.ok()) return Fail(inputs.status().message());
  auto library = netshard::TemplateLibrary::Open(root + "/templates");
  if (!library.ok()) return Fail(library.status().message());
  absl::Time start = absl::Now();
  size_t records = 0, bytes = 0, passes = 0;
  do {
    for (const Input& input : *inputs) {
      auto table = (*library)->Parse(input.platform, input.command, input.text);
      if (table.ok()) records += table->records.size();
      bytes += input.text.size();
    }
    ++passes;
  } while (absl::Now() - start < absl::Seconds(seconds));
  double elapsed = absl::ToDoubleSeconds(absl::Now() - start);
  std::printf("outputs %zu passes %zu records_per_s %.0f mb_per_s %.2f\n", inputs->size(), passes,
              records / elapsed, bytes / elapsed / 1e6);
  return 0;
}
