// Platforms are data, not a class per vendor: how to find a device's prompt,
// turn paging off, reach privileged mode, configure it, recognise a rejected
// command and recognise the platform itself. Each is one YAML file
// (common/platforms/*.yaml; docs/platform-files.md describes the fields).
#ifndef NETSHARD_COMMON_PLATFORM_PLATFORM_H_
#define NETSHARD_COMMON_PLATFORM_PLATFORM_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "re2/re2.h"

namespace netshard {

// A question the device asks and what to type back.
struct PlatformAnswer {
  std::unique_ptr<RE2> prompt;  // matched against the last line
  std::string answer;           // sent as is
};

struct Platform {
  std::string name;
  std::string vendor;
  std::string os;
  std::vector<std::string> aliases;
  std::string source;      // the file it came from, for errors and listings
  std::string definition;  // that file's text, as given

  // Matched against the learned prompt; group 1 is the device's base name.
  // Null: the base name comes from the prompt's shape alone.
  std::unique_ptr<RE2> prompt;
  // A line the device prints just before each prompt (Junos "[edit]");
  // null: none. Not output.
  std::unique_ptr<RE2> prompt_preamble;
  std::string prompt_terminators;  // characters any prompt ends with
  std::string prompt_openers;      // characters that may come before the name
  bool prompt_mode_spaces = false;  // "FGT (global) #": blanks after the name
  int prompt_max_mode = 48;  // bytes between name and terminator ("(config-if)")
  std::string newline = "\n";      // what ends a typed line
  std::string username_suffix;     // appended to the login name
  // Asked before the first prompt; "{username}" and "{password}" in an
  // answer are the device's (a WLC's in-shell "User:").
  std::vector<PlatformAnswer> login_answers;

  std::vector<std::string> paging_commands;  // a refusal is no failure
  std::vector<std::string> setup_commands;   // likewise, after paging
  std::string enable_command;  // empty: the platform has no enable step
  std::string privileged_suffix = "#";  // a privileged prompt ends so (">>" on MRV LX)
  std::unique_ptr<RE2> enable_password_prompt;  // null: a line ending "password:"
  bool enable_before_paging = false;

  // Configuration: none unless has_config. An empty config_command (and
  // exit) types the lines at the prompt itself (EXOS, AOS, SAOS).
  bool has_config = false;
  std::string config_command;       // "configure terminal", "system-view"
  std::string commit_command;       // staged platforms (XR, Junos): "commit"
  std::string config_exit_command;  // "end", "exit configuration-mode"
  // Leave config mode dropping staged changes, after a rejected line.
  std::vector<std::string> config_abort_commands;
  std::string save_command;  // "write memory"; empty: commit is the save
  bool save_in_config = false;  // saved before leaving (VyOS "save"), not after
  std::vector<PlatformAnswer> save_answers;

  // A line of command output matching one of these means the device
  // rejected the command; the matched line is the device's message.
  std::vector<std::unique_ptr<RE2>> rejection_patterns;
  // Pager prompts beyond PagerPrompt()'s.
  std::vector<std::unique_ptr<RE2>> pager_patterns;

  // How autodetect recognises the platform: any pattern found in the
  // output of any command. No commands: never detected.
  std::vector<std::string> detect_commands;
  std::vector<std::unique_ptr<RE2>> detect_patterns;
  int detect_priority = 50;
};

// Parses one platform file; `source` names it in errors, which give the
// line and field ("huawei.yaml:12: rejections: ...").
absl::StatusOr<std::unique_ptr<Platform>> ParsePlatform(absl::string_view text,
                                                        absl::string_view source);

// A pager waiting for a key, matched against the last line: " --More-- ",
// "-- More --", "---(more 52%)---". Safe to share between threads.
const RE2& PagerPrompt();

// The device_type that asks the session to find the platform itself.
inline constexpr absl::string_view kAutodetect = "autodetect";

}  // namespace netshard

#endif  // NETSHARD_COMMON_PLATFORM_PLATFORM_H_
