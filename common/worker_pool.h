// A fixed set of threads running queued tasks in FIFO order.
//
//   WorkerPool pool(100);
//   pool.Schedule([] { ... });
//   // ~WorkerPool runs every queued task, then joins.
//
// Thread-safe: Schedule and the counters may be called from any thread.
#ifndef NETSHARD_COMMON_WORKER_POOL_H_
#define NETSHARD_COMMON_WORKER_POOL_H_

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "common/mutex.h"

namespace netshard {

class WorkerPool {
 public:
  // REQUIRES: workers > 0.
  explicit WorkerPool(int workers);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void Schedule(std::function<void()> task);

  int size() const { return static_cast<int>(threads_.size()); }
  int running() const;
  int queued() const;

 private:
  void Work();

  mutable Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  int running_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;  // constant after construction
};

}  // namespace netshard

#endif  // NETSHARD_COMMON_WORKER_POOL_H_
