#include "coordinator/cli/ask_secret.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace netshard {
namespace {

// Restores the terminal's settings however the read ends.
class EchoOff {
 public:
  explicit EchoOff(int fd) : fd_(fd) {
    if (tcgetattr(fd_, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    active_ = tcsetattr(fd_, TCSAFLUSH, &quiet) == 0;
  }
  ~EchoOff() {
    if (active_) tcsetattr(fd_, TCSAFLUSH, &saved_);
  }
  bool active() const { return active_; }

 private:
  const int fd_;
  termios saved_{};
  bool active_ = false;
};

}  // namespace

absl::StatusOr<std::string> AskSecret(const std::string& prompt) {
  int fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("no terminal to ask on (", strerror(errno), ")"));
  }
  std::string secret;
  absl::Status status = absl::OkStatus();
  {
    EchoOff echo_off(fd);
    if (!echo_off.active()) status = absl::FailedPreconditionError("cannot turn terminal echo off");
    if (status.ok() && write(fd, prompt.data(), prompt.size()) < 0) {
      status = absl::FailedPreconditionError("cannot write to the terminal");
    }
    // One line, bounded: a password is not a megabyte.
    char c = 0;
    while (status.ok() && secret.size() < 4096) {
      ssize_t n = read(fd, &c, 1);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        status = absl::FailedPreconditionError("the terminal closed before a line was entered");
        break;
      }
      if (c == '\n' || c == '\r') break;
      secret.push_back(c);
    }
  }
  close(fd);
  if (!status.ok()) return status;
  return secret;
}

}  // namespace netshard
