#include "coordinator/cli/stop_signals.h"

#include <cstdlib>
#include <cstring>

#include "absl/time/clock.h"
#include "common/process_setup.h"

namespace netshard {
namespace {

// How long the thread may take to notice the watcher ends.
constexpr absl::Duration kPoll = absl::Milliseconds(100);

}  // namespace

StopSignalWatcher::StopSignalWatcher(std::function<void(const char*)> stop,
                                     std::function<void(bool)> cancel, absl::Duration grace,
                                     int quit_status)
    : stop_(std::move(stop)), cancel_(std::move(cancel)), grace_(grace),
      quit_status_(quit_status) {
  thread_ = std::thread([this] { Watch(); });
}

StopSignalWatcher::~StopSignalWatcher() {
  done_.Notify();
  thread_.join();
}

int StopSignalWatcher::AwaitSignal(absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  while (!done_.HasBeenNotified()) {
    absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) return 0;
    if (int signal_number = AwaitStopSignalFor(std::min(left, kPoll)); signal_number != 0) {
      return signal_number;
    }
  }
  return 0;
}

void StopSignalWatcher::Watch() {
  int first = AwaitSignal(absl::InfiniteDuration());
  if (first == 0) return;
  stop_(strsignal(first));
  bool again = AwaitSignal(grace_) != 0;
  if (done_.HasBeenNotified()) return;
  cancel_(again);
  if (AwaitSignal(absl::InfiniteDuration()) != 0) std::_Exit(quit_status_);
}

}  // namespace netshard
