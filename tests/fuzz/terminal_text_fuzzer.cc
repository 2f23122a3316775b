// libFuzzer target: whatever a device sends, prompt detection and output
// cleaning neither crash nor take more than linear time (the fuzzer's
// -timeout catches a hang, ASan a bad access).
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "common/platform/platform_set.h"
#include "absl/strings/str_cat.h"
#include "common/session/terminal_text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view input(reinterpret_cast<const char*>(data), size);
  // The first line doubles as the command that was typed and a prompt base.
  absl::string_view first_line = input.substr(0, input.find('\n'));
  std::string cleaned = netshard::CleanCommandOutput(input, first_line);
  // Streaming gives the same output however the bytes are split into reads.
  std::string streamed;
  bool first = true;
  netshard::OutputCleaner cleaner(first_line, [&](absl::string_view line) {
    streamed.append(first ? "" : "\n");
    streamed.append(line.data(), line.size());
    first = false;
  });
  std::string pending;
  size_t step = size == 0 ? 1 : 1 + data[0] % 7;
  for (size_t at = 0; at < size; at += step) {
    pending.append(input.substr(at, step).data(), std::min(step, size - at));
    cleaner.Consume(&pending);
  }
  if (streamed != cleaned) __builtin_trap();
  netshard::StripTerminalControl(input);
  for (const char* name : {"cisco_ios", "cisco_nxos", "cisco_xr", "arista_eos",
                           "juniper_junos", "linux", "generic"}) {
    const netshard::Platform& platform = *netshard::FindPlatform(name);
    std::string first = netshard::FirstPrompt(platform, netshard::TrailingLine(input));
    if (netshard::LooksLikePrompt(platform, first)) netshard::PromptBase(platform, first);
    netshard::FindRejection(platform, cleaned);
    // The hand-written device prompt agrees with the regex it replaced.
    std::string base(first_line.substr(0, 64));
    RE2::Options latin1;
    latin1.set_encoding(RE2::Options::EncodingLatin1);
    RE2 reference(absl::StrCat("^(", RE2::QuoteMeta(base), R"()\S{0,48}[)",
                               platform.prompt_terminators, "] ?$"),
                  latin1);
    std::string line = netshard::TrailingLine(input);
    bool expected = !line.empty() && RE2::FullMatch(line, reference);
    if (netshard::DevicePrompt(platform, base).AtEndOf(input) != expected) __builtin_trap();
  }
  return 0;
}
