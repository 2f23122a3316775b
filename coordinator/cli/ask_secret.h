// Asking the person at the terminal for a password, without echo, so it
// never sits in a file, argv or shell history (`coord run --ask-pass`).
#ifndef NETSHARD_COORDINATOR_CLI_ASK_SECRET_H_
#define NETSHARD_COORDINATOR_CLI_ASK_SECRET_H_

#include <string>

#include "absl/status/statusor.h"

namespace netshard {

// Writes `prompt` to the controlling terminal (/dev/tty, not stdout, which
// may be a pipe of results), reads one line with echo off, restores the
// terminal. An error when there is no terminal or it closes first.
absl::StatusOr<std::string> AskSecret(const std::string& prompt);

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_CLI_ASK_SECRET_H_
