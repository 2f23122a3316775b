// Ctrl-C for a run, in three steps as a user presses it: the first SIGINT
// or SIGTERM stops the run gently (`stop`: no new device starts); when
// `grace` has passed, or at a second signal, devices in progress are
// cancelled (`cancel`); a third signal quits at once with `quit_status`.
#ifndef NETSHARD_COORDINATOR_CLI_STOP_SIGNALS_H_
#define NETSHARD_COORDINATOR_CLI_STOP_SIGNALS_H_

#include <functional>
#include <thread>

#include "absl/time/time.h"
#include "common/mutex.h"

namespace netshard {

// Owns the thread that waits for the signals; destroying the watcher stops
// and joins it (within a tenth of a second), so the callbacks never outlive
// what they refer to. REQUIRES: BlockStopSignals() before any thread started.
class StopSignalWatcher {
 public:
  // `stop` and `cancel` get the signal's name; they run on the watcher's thread.
  StopSignalWatcher(std::function<void(const char* signal)> stop,
                    std::function<void(bool again)> cancel, absl::Duration grace,
                    int quit_status);
  ~StopSignalWatcher();
  StopSignalWatcher(const StopSignalWatcher&) = delete;
  StopSignalWatcher& operator=(const StopSignalWatcher&) = delete;

 private:
  void Watch();
  // A stop signal within `timeout`, or 0 (none, or the watcher is ending).
  int AwaitSignal(absl::Duration timeout);

  const std::function<void(const char*)> stop_;
  const std::function<void(bool)> cancel_;
  const absl::Duration grace_;
  const int quit_status_;
  Notification done_;
  std::thread thread_;
};

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_CLI_STOP_SIGNALS_H_
