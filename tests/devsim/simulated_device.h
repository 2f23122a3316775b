// The command line of one simulated IOS-like device, as a terminal sees it:
// bytes typed in, bytes (echo, output, prompts) sent back. Pure logic, no
// I/O, so it is tested on its own and the SSH server only moves bytes.
#ifndef NETSHARD_TESTS_DEVSIM_SIMULATED_DEVICE_H_
#define NETSHARD_TESTS_DEVSIM_SIMULATED_DEVICE_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace netshard::devsim {

struct DeviceProfile {
  std::string hostname;
  std::string address;
  std::string secret;  // enable secret
  // Pages output at 24 lines whatever `terminal length` says, like boxes
  // whose paging cannot be turned off.
  bool pager_ignores_terminal_length = false;
};

// Thread contract: one instance per SSH session, used by one thread.
class SimulatedDevice {
 public:
  explicit SimulatedDevice(DeviceProfile profile);

  // The login banner and first prompt.
  std::string Greeting() const;

  // Feeds typed bytes; returns what the device sends back. A command's
  // output comes back whole once its line is complete.
  std::string Type(absl::string_view bytes);

  // Whether the user asked to leave (exit/logout).
  bool closed() const { return closed_; }
  // How many complete command lines were run; the server delays each.
  int commands_run() const { return commands_run_; }

  // The output of a command run directly, as an `exec` request.
  std::string Execute(absl::string_view line);

 private:
  std::string Prompt() const;
  std::string HandleLine(const std::string& line);
  std::string HandlePassword(const std::string& line);
  // `text` and the prompt, or its first page and a --More-- pager.
  std::string Page(std::string text);
  // A key typed at the pager: next page, or 'q' to stop.
  std::string AnswerPager(char key);

  const DeviceProfile profile_;
  std::string line_;          // the line being typed
  bool enabled_ = false;
  bool awaiting_secret_ = false;
  bool closed_ = false;
  bool hung_ = false;  // ignores all input from now on
  int terminal_length_ = 24;  // lines per page; 0: no paging
  std::string paged_;  // output still behind the --More-- pager
  bool last_was_cr_ = false;
  int commands_run_ = 0;
};

}  // namespace netshard::devsim

#endif  // NETSHARD_TESTS_DEVSIM_SIMULATED_DEVICE_H_
