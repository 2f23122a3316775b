// How each simulated platform looks from a terminal: prompts, enable, paging,
// config mode, error strings. Data, like common/platform.h on the client
// side, but written from the devices' documentation and captures rather than
// shared with it, so a client bug is not mirrored into the simulator.
#ifndef NETSHARD_TESTS_DEVSIM_SIM_PLATFORM_H_
#define NETSHARD_TESTS_DEVSIM_SIM_PLATFORM_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace netshard::devsim {

enum class ConfigStyle {
  kNone,    // a shell: no configuration mode
  kCisco,   // each line applies at once; `end` leaves
  kCommit,  // IOS XR: lines are staged until `commit`
  kJunos,   // `configure`, `set`/`delete`, `commit`, `exit configuration-mode`
};

struct SimPlatform {
  std::string name;
  // Prompt: prefix + [user "@"] + hostname + (mode) + terminator.
  std::string prompt_prefix;  // "RP/0/RSP0/CPU0:" on IOS XR
  bool user_in_prompt = false;
  std::string user_terminator;
  std::string privileged_terminator;
  bool starts_privileged = false;
  // Typed words that ask for privileged mode; empty: no such step.
  std::vector<std::string> enable_words;
  std::string enable_password_prompt;
  std::string bad_secret;  // printed when the enable password is wrong
  std::vector<std::string> paging_words;  // followed by a number
  std::vector<std::string> width_words;   // followed by a number
  std::string pager;                       // shown between pages
  ConfigStyle config = ConfigStyle::kNone;
  std::vector<std::string> config_words;
  std::vector<std::string> save_words;  // empty: commit is the save
  std::string save_output;
  // Errors; a caret line under the offending word comes first when
  // `caret` is set.
  bool caret = true;
  std::string invalid;      // unknown word
  std::string incomplete;   // a command missing words
  std::string ambiguous;    // "%s": the line typed
  std::string version;      // `show version`, "%s": the hostname
  std::string interfaces_command;  // the brief interface table's command
  std::string config_command;      // shows the running configuration
  bool shell = false;  // linux/generic: commands are programs, no abbreviation
};

// Null when `name` is not simulated.
const SimPlatform* FindSimPlatform(absl::string_view name);
std::vector<std::string> SimPlatformNames();

}  // namespace netshard::devsim

#endif  // NETSHARD_TESTS_DEVSIM_SIM_PLATFORM_H_
