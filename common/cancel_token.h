// A run's cancellation, which wakes whatever waits on it at once: sleepers
// (a login slot, a retry backoff), and device sessions blocked in a read, a
// key exchange or a login — by shutting their sockets down — so no session
// has to poll for it.
#ifndef NETSHARD_COMMON_CANCEL_TOKEN_H_
#define NETSHARD_COMMON_CANCEL_TOKEN_H_

#include <atomic>

#include "absl/container/flat_hash_set.h"
#include "absl/time/time.h"
#include "common/mutex.h"

namespace netshard {

class CancelToken {
 public:
  CancelToken() = default;
  CancelToken(const CancelToken&) = delete;
  CancelToken& operator=(const CancelToken&) = delete;

  // Idempotent. Every watched socket is shut down (not closed: its owner
  // still closes it).
  void Cancel();
  // Lock-free: every session asks before each read.
  bool cancelled() const { return cancelled_flag_.load(std::memory_order_acquire); }
  // Sleeps `timeout` unless cancelled first; returns cancelled().
  bool WaitFor(absl::Duration timeout);

  // Cancel shuts `fd` down while it is watched (at once if already
  // cancelled). Unwatch before closing it, so a reused number is never hit.
  void Watch(int fd);
  void Unwatch(int fd);

 private:
  Mutex mu_;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  absl::flat_hash_set<int> watched_ ABSL_GUARDED_BY(mu_);
  std::atomic<bool> cancelled_flag_{false};  // cancelled_, for readers without the lock
};

}  // namespace netshard

#endif  // NETSHARD_COMMON_CANCEL_TOKEN_H_
