#include "common/cancel_token.h"

#include <sys/socket.h>

namespace netshard {

void CancelToken::Cancel() {
  MutexLock lock(&mu_);
  cancelled_ = true;
  cancelled_flag_.store(true, std::memory_order_release);
  for (int fd : watched_) shutdown(fd, SHUT_RDWR);
}

bool CancelToken::WaitFor(absl::Duration timeout) {
  if (timeout <= absl::ZeroDuration()) return cancelled();
  MutexLock lock(&mu_);
  return mu_.AwaitWithTimeout([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return cancelled_; },
                              timeout);
}

void CancelToken::Watch(int fd) {
  MutexLock lock(&mu_);
  if (cancelled_) shutdown(fd, SHUT_RDWR);
  watched_.insert(fd);
}

void CancelToken::Unwatch(int fd) {
  MutexLock lock(&mu_);
  watched_.erase(fd);
}

}  // namespace netshard
