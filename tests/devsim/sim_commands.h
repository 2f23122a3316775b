// The commands a simulated device answers in one mode, built from its
// SimPlatform, and how a typed line finds one: abbreviated or whole words,
// with or without arguments after them.
#ifndef NETSHARD_TESTS_DEVSIM_SIM_COMMANDS_H_
#define NETSHARD_TESTS_DEVSIM_SIM_COMMANDS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "tests/devsim/sim_platform.h"

namespace netshard::devsim {

enum class CommandAction {
  // Exec mode.
  kOutput,  // prints `text` (also configuration-mode commands)
  kAccept,  // just the prompt; `paging` sets the page length
  kEnable,
  kDisable,
  kLogout,
  kConfigure,  // enters configuration mode
  kSave,
  kConfirm,  // asks `text`; any answer goes on
  kHang,     // test hook: the device stops answering
  kUnbroken,  // test hook: prints as many bytes as its argument says on one line
  // Configuration mode.
  kConfigLine,  // a configuration line, perhaps entering a submode
  kExit,        // leaves configuration mode
  kUp,          // leaves a submode, or configuration mode at the top
  kCommit,
  kAbort,
  kExec,  // runs the rest of the line as an exec command ("do")
};

struct SimCommand {
  std::vector<std::string> words;  // "<n>": a number 0..512, "<arg>": any one word
  CommandAction action = CommandAction::kOutput;
  std::string text;
  bool privileged = false;  // only offered once privileged
  bool paging = false;      // kAccept: a paging command
};

struct CommandMatch {
  const SimCommand* command = nullptr;  // null: none, or several
  bool ambiguous = false;
  bool incomplete = false;  // the words begin a command but stop short
  size_t unknown = 0;       // index of the first typed word no command knows
  // What was typed from the command's first placeholder on, or after its
  // words: a view into the line.
  absl::string_view arg;
};

// Thread contract: immutable after construction, any thread.
class CommandTable {
 public:
  struct Rules {
    bool abbreviations;  // a word may be typed as any prefix of itself
    bool arguments;      // words after a command's own are its arguments
  };

  CommandTable(Rules rules, std::vector<SimCommand> commands)
      : rules_(rules), commands_(std::move(commands)) {}

  // The command `line` names; `privileged`: privileged-only ones count.
  // The command with the most words wins, then one typed in full, then the
  // first of identical ones; any other tie is ambiguous.
  CommandMatch Find(absl::string_view line, bool privileged) const;

 private:
  bool Fits(absl::string_view typed, const std::string& word) const;
  // The first of `typed` that no command's words (abbreviated) take there.
  size_t FirstUnknown(const std::vector<absl::string_view>& typed, bool privileged) const;

  Rules rules_;
  std::vector<SimCommand> commands_;
};

// Exec-mode commands: abbreviated on network CLIs, whole words taking
// arguments on shells.
CommandTable ExecCommands(const SimPlatform& platform);
// Configuration-mode commands: abbreviated first words taking arguments.
// With style flat these are the lines the exec prompt also takes.
// REQUIRES: platform.config.
CommandTable ConfigCommands(const SimPlatform& platform);

// The words of `line`, as views into it.
std::vector<absl::string_view> Words(absl::string_view line);

}  // namespace netshard::devsim

#endif  // NETSHARD_TESTS_DEVSIM_SIM_COMMANDS_H_
