// Process-wide setup shared by coord, agent and devsim.
#ifndef NETSHARD_COMMON_PROCESS_SETUP_H_
#define NETSHARD_COMMON_PROCESS_SETUP_H_

#include "absl/time/time.h"

namespace netshard {

// Raises the soft RLIMIT_NOFILE to the hard limit and returns the limit in
// force: every SSH session holds a socket, and the usual soft limit of 1024
// would cap a run near a thousand devices.
long RaiseOpenFileLimit();

// Blocks SIGINT and SIGTERM so that only AwaitStopSignal sees them, and
// ignores SIGPIPE (a peer closing a socket is an error to handle, not a
// reason to die). Call before any thread starts: threads inherit the mask.
void BlockStopSignals();

// Waits for SIGINT or SIGTERM; returns which. REQUIRES: BlockStopSignals().
int AwaitStopSignal();

// As AwaitStopSignal, but returns 0 once `timeout` passes without one.
int AwaitStopSignalFor(absl::Duration timeout);

}  // namespace netshard

#endif  // NETSHARD_COMMON_PROCESS_SETUP_H_
