// Platforms are data, not a class per vendor: how to find a device's prompt,
// turn paging off, reach privileged mode and recognise a rejected command.
#ifndef NETSHARD_COMMON_PLATFORM_H_
#define NETSHARD_COMMON_PLATFORM_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

#include "re2/re2.h"

namespace netshard {

struct Platform {
  std::string name;
  // Matched against the last, unterminated line the device sent. Group 1 is
  // the device's base name, from which the per-command prompt is built.
  std::unique_ptr<RE2> prompt;
  // A line the device prints just before each prompt (Junos "[edit]");
  // null: none. Not output.
  std::unique_ptr<RE2> prompt_preamble;
  // Characters that may end a prompt, as an RE2 character class body.
  std::string prompt_terminators;
  std::string paging_command;  // empty: nothing to send
  std::string enable_command;  // empty: the platform has no enable step
  char privileged_terminator = '#';
  // Configuration mode; empty config_command: the platform has none.
  std::string config_command;  // "configure terminal", "configure"
  std::string commit_command;  // staged platforms (XR, Junos): "commit"
  std::string config_exit_command;  // "end", "exit configuration-mode"
  // Leave config mode dropping staged changes, after a rejected line.
  std::vector<std::string> config_abort_commands;
  std::string save_command;  // "write memory"; empty: commit is the save
  // A line of command output matching one of these means the device
  // rejected the command; the matched line is the device's message.
  std::vector<std::unique_ptr<RE2>> rejection_patterns;
};

// A pager waiting for a key, matched against the last line: " --More-- ",
// "-- More --", "---(more 52%)---". Safe to share between threads.
const RE2& PagerPrompt();

// The platform for an inventory `device_type`, accepting Netmiko's spellings
// (`cisco_ios_ssh`, `cisco_xe`, ...). Null when unknown. Platforms live for
// the whole program and are safe to share between threads.
const Platform* FindPlatform(absl::string_view device_type);

// The accepted `device_type` names, for error messages.
std::vector<std::string> KnownPlatformNames();

}  // namespace netshard

#endif  // NETSHARD_COMMON_PLATFORM_H_
