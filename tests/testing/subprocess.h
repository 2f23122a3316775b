// A child process for tests that span processes: started with an argv (no
// shell), output to files, always reaped. Stopping is by PID only.
#ifndef NETSHARD_TESTS_TESTING_SUBPROCESS_H_
#define NETSHARD_TESTS_TESTING_SUBPROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace netshard::testing {

class Subprocess {
 public:
  // Starts argv[0] (a path) with stdout and stderr sent to the given files
  // ("" : inherited).
  static absl::StatusOr<std::unique_ptr<Subprocess>> Start(
      const std::vector<std::string>& argv, const std::string& stdout_path = "",
      const std::string& stderr_path = "");

  // Kills (SIGKILL) and reaps the child if it still runs.
  ~Subprocess();

  pid_t pid() const { return pid_; }
  void Signal(int signal_number);

  // The exit status (128+N for death by signal N). On timeout the child is
  // killed and DeadlineExceeded returned.
  absl::StatusOr<int> Wait(absl::Duration timeout);

 private:
  explicit Subprocess(pid_t pid) : pid_(pid) {}
  pid_t pid_;
  bool reaped_ = false;
};

// Waits (bounded) until `path` exists.
absl::Status WaitForFile(const std::string& path, absl::Duration timeout);

// Waits (bounded) until the file at `path` holds `text` (a log line).
absl::Status WaitForText(const std::string& path, absl::string_view text, absl::Duration timeout);

// The whole file, or "" if it cannot be read.
std::string ReadFile(const std::string& path);

// A fresh directory under $TMPDIR (or /tmp) for one test.
std::string MakeTempDir();

// Where the build put the project's executables (NETSHARD_BIN_DIR).
std::string BinDir();

// The project's source tree (NETSHARD_SOURCE_DIR), for its scripts and data.
std::string SourceDir();

}  // namespace netshard::testing

#endif  // NETSHARD_TESTS_TESTING_SUBPROCESS_H_
