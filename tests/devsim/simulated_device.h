// The command line of one simulated device, as a terminal sees it: bytes
// typed in, bytes (echo, output, prompts) sent back. Pure logic, no I/O, so
// it is tested on its own and the SSH server only moves bytes. Everything
// the device says and accepts comes from its SimPlatform's data.
#ifndef NETSHARD_TESTS_DEVSIM_SIMULATED_DEVICE_H_
#define NETSHARD_TESTS_DEVSIM_SIMULATED_DEVICE_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "tests/devsim/sim_commands.h"
#include "tests/devsim/sim_platform.h"

namespace netshard::devsim {

struct DeviceProfile {
  std::string hostname;
  std::string address;
  std::string username = "cisco";
  std::string password;                   // what login questions expecting it check
  std::string secret;                     // enable (or sudo) password
  const SimPlatform* platform = nullptr;  // null: cisco_ios
  // Pages output at 24 lines whatever `terminal length` says, like boxes
  // whose paging cannot be turned off.
  bool pager_ignores_terminal_length = false;
  // Shows its banner after login, then never a prompt and ignores input.
  bool hang_after_login = false;
  // Sends half of the first show command's output, then hangs up.
  bool drop_mid_command = false;
  // Size of the platform's {tech_support} output (`show tech-support`).
  size_t tech_support_bytes = 64 << 10;
};

// Thread contract: one instance per SSH session, used by one thread.
class SimulatedDevice {
 public:
  explicit SimulatedDevice(DeviceProfile profile);

  // The login banner and the first prompt (or login question).
  std::string Greeting();

  // Feeds typed bytes; returns what the device sends back. A command's
  // output comes back whole once its line is complete.
  std::string Type(absl::string_view bytes);

  // Whether the session is over: the user left, or the device dropped it.
  bool closed() const { return closed_; }
  // Whether the device cut the session off mid-output (no clean close).
  bool dropped() const { return dropped_; }
  // How many complete command lines were run; the server delays each.
  int commands_run() const { return commands_run_; }
  // How many commands produced output (shows, not mode changes).
  int outputs_sent() const { return outputs_sent_; }

  // The output of a command run directly, as an `exec` request.
  std::string Execute(absl::string_view line);

 private:
  enum class Mode { kExec, kConfig, kConfigSub };
  // What the next input answers, when it is not a command.
  enum class Question { kNone, kLogin, kSecret, kUncommitted, kConfirm, kSave };
  // What placeholders about the line being handled stand for.
  struct Typed {
    absl::string_view line, word, arg;
  };

  std::string Prompt() const;
  // `text` with its placeholders filled; `generators`: {clock},
  // {running_config}, {candidate} and {tech_support} too.
  std::string Fill(absl::string_view text, const Typed& typed = {}, bool generators = false) const;
  // An exec command's output from its template `text`.
  std::string Output(absl::string_view text, const Typed& typed) const;
  std::optional<std::string> Placeholder(absl::string_view name, const Typed& typed,
                                         bool generators) const;
  const SimPlatform::LoginQuestion& LoginQuestion() const {
    return platform_.login_questions[login_answers_];
  }
  // A key typed at an any-key login question.
  std::string AnswerLogin();
  // A line typed at a login question that expects one.
  std::string AnswerLogin(const std::string& line);
  // The next login question; after the last, the prompt, or (an answer was
  // wrong) the failure line and the first question again.
  std::string NextLoginQuestion();
  std::string HandleLine(const std::string& line);
  std::string Answer(const std::string& line);
  std::string HandleExec(const std::string& line, size_t column);
  std::string Run(const CommandMatch& match, const std::string& line, size_t column);
  std::string HandleConfig(const std::string& line);
  std::string ConfigLine(const CommandMatch& match, const std::string& line);
  // Whether the exec prompt takes configuration lines now: style flat, and
  // privileged where the platform has an enable step.
  bool FlatConfig() const;
  // The save command's output, or its question.
  std::string Save();
  // Leaves configuration mode, asking first about staged lines.
  std::string LeaveConfig();
  // Leaves configuration mode now.
  std::string Left();
  // The device's error: a caret under `word` (at `column` of `line`) when
  // the platform draws one, the message, and the prompt.
  std::string Reject(const std::string& message, const std::string& line, absl::string_view word,
                     size_t column);
  std::string RunningConfig() const;
  std::string Candidate() const;
  // `text` and the prompt, or its first page and the pager.
  std::string Page(std::string text);
  // A key typed at the pager: next page, or 'q' to stop.
  std::string AnswerPager(char key);

  const DeviceProfile profile_;
  const SimPlatform& platform_;
  const CommandTable exec_;
  const std::optional<CommandTable> config_;
  std::string line_;  // the line being typed
  Mode mode_ = Mode::kExec;
  std::string submode_;  // {sub}: "config-if", ...
  bool privileged_ = false;
  Question question_ = Question::kNone;
  size_t login_answers_ = 0;  // login questions answered so far
  bool login_ok_ = true;      // every typed answer so far was right
  int login_failures_ = 0;
  bool closed_ = false;
  bool dropped_ = false;
  bool hung_ = false;         // ignores all input from now on
  int terminal_length_ = 24;  // lines per page; 0: no paging
  std::string paged_;         // output behind the pager, from paged_offset_
  size_t paged_offset_ = 0;
  bool last_was_cr_ = false;
  int commands_run_ = 0;
  int outputs_sent_ = 0;
  std::vector<std::string> running_;  // configuration lines applied
  std::vector<std::string> pending_;  // staged, waiting for commit
};

}  // namespace netshard::devsim

#endif  // NETSHARD_TESTS_DEVSIM_SIMULATED_DEVICE_H_
