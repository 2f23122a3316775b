// How each simulated platform looks from a terminal: prompts, enable, paging,
// configuration mode, error strings, command outputs. Data read from the
// YAML files in tests/devsim/platforms/ (docs/devsim-platforms.md), written
// from the devices' documentation and captures rather than shared with
// common/platforms/, so a client bug is not mirrored into the simulator.
//
// Texts keep their placeholders ({host}, {clock}, ...); the parser turns
// each "\n" into the "\r\n" a PTY sends.
#ifndef NETSHARD_TESTS_DEVSIM_SIM_PLATFORM_H_
#define NETSHARD_TESTS_DEVSIM_SIM_PLATFORM_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace netshard::devsim {

// Texts by key, in file order (command -> output, first word -> submode).
using TextPairs = std::vector<std::pair<std::string, std::string>>;

enum class ConfigStyle {
  kImmediate,  // each line applies at once (IOS `configure terminal`)
  kCommit,     // lines are staged until `commit` (IOS XR)
  kJunos,      // staged; `abort` (rollback) stays in configuration mode
  kFlat,       // no mode: lines typed at the exec prompt apply at once (EXOS, AOS)
};

struct SimPlatform {
  // A question asked before the first prompt.
  struct LoginQuestion {
    enum class Expects {
      kAnyKey,    // any single key answers (HP's "Press any key to continue")
      kUsername,  // a typed line, checked against the fleet's login name
      kPassword,  // a typed line, checked against the fleet's password
    };
    std::string text;
    Expects expects = Expects::kAnyKey;
    bool secret = false;  // the typed line is not echoed
  };
  struct Prompts {
    std::string user, privileged, config, config_sub;
    std::string config_preamble;  // lines before each configuration prompt
    std::string root_user;        // {user} once privileged; empty: the login name
  };
  struct Enable {
    std::string command, password_prompt, bad_secret;
    std::string disable;         // empty: no way back to user mode
    std::string disable_output;  // shown when `disable` leaves privileged mode
  };
  struct Save {
    std::string command, confirm, output;
    bool in_config = false;  // typed in configuration mode, not at exec (VyOS `save`)
  };
  struct Config {
    ConfigStyle style = ConfigStyle::kImmediate;
    std::string enter, enter_output;
    std::vector<std::string> exit, up;
    std::string commit, commit_output;
    std::string abort, abort_output;
    std::string exit_output;              // shown on leaving configuration mode
    std::string uncommitted;              // asked on leaving with staged lines; empty: drop them
    std::string exec_prefix;              // runs the rest of the line as an exec command ("do")
    TextPairs submodes;                   // first word -> {sub} template
    std::vector<std::string> words;       // first words of configuration lines
    std::vector<std::string> standalone;  // of those, complete without more words
    TextPairs commands;                   // configuration-mode commands -> output
    std::string show, running_header, running_footer, running_line;
    std::optional<Save> save;
  };
  struct Errors {
    bool caret = false;
    std::string invalid, incomplete, ambiguous, config_invalid;
  };
  // What the tests expect of the platform; unused by the simulator itself.
  struct Checks {
    std::string netmiko, show, show_marker, long_command, refusal, applied, saved;
    std::vector<std::string> config;
    // Netmiko 2.4.2's save_config works here (some drivers never answer
    // the device's question or send another platform's command).
    bool netmiko_save = true;
    // Netmiko 2.4.2's send_config_set works here (some drivers enter
    // configuration mode with Cisco's `config term`, which the device lacks).
    bool netmiko_config = true;
    // Netmiko 2.4.2 keeps a short refusal: its RouterOS driver cuts a fixed
    // length, sized for a repaint of the typed line devsim does not do.
    bool netmiko_refusal = true;
  };

  std::string name;
  std::string source;  // the file it came from, for messages
  std::string banner;
  std::vector<LoginQuestion> login_questions;
  // Shown when a typed login answer is wrong, before the questions again.
  std::string login_failure;
  // The SSH server lets anyone in with SSH "none" authentication; the
  // login questions check the user (PowerConnect, Calix B6).
  bool ssh_auth_none = false;
  // Characters after which a login name carries options the device ignores.
  std::string username_options;
  Prompts prompts;
  bool starts_privileged = false;
  std::optional<Enable> enable;
  std::vector<std::string> accepts;  // "<n>": 0..512, "<arg>": any one word
  std::vector<std::string> paging;   // of `accepts`, those that turn paging off
  std::string pager;                 // empty: never pages
  std::vector<std::string> logout;   // exec commands that end the session
  std::optional<Config> config;
  Errors errors;
  TextPairs commands;          // exec command -> output
  TextPairs confirm_commands;  // exec command -> question; any answer goes on
  std::vector<std::string> privileged_commands;
  std::string clock_format;  // absl::FormatTime
  bool shell = false;        // commands are programs: no abbreviations
  Checks checks;
};

// The platform called `name`, or null. The first call loads the files
// compiled into devsim; one that does not load is left out, with a message
// on stderr naming its file, line and field. The platform lives for the
// rest of the process, even after AddSimPlatformDir replaces it.
// Thread-safe.
const SimPlatform* FindSimPlatform(absl::string_view name);

// Every platform's name, sorted. Thread-safe.
std::vector<std::string> SimPlatformNames();

// Adds each DIR/*.yaml (and *.yml), replacing a platform of the same name.
// All or nothing: on an error (naming file, line and field) nothing is
// added. Thread-safe; call it before devices look platforms up so that
// every device sees the same set.
absl::Status AddSimPlatformDir(const std::string& dir);

}  // namespace netshard::devsim

#endif  // NETSHARD_TESTS_DEVSIM_SIM_PLATFORM_H_
