#include "common/worker_pool.h"

#include <atomic>

#include "common/mutex.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

TEST(WorkerPoolTest, RunsEveryTaskBeforeDestruction) {
  std::atomic<int> ran{0};
  {
    WorkerPool pool(4);
    for (int i = 0; i < 1000; ++i) pool.Schedule([&] { ++ran; });
  }
  EXPECT_EQ(ran.load(), 1000);
}

TEST(WorkerPoolTest, RunsAtMostItsSizeAtOnce) {
  // Declared before the pool: its workers use them until the pool joins.
  Notification release;
  Mutex mu;
  int started = 0;
  WorkerPool pool(3);
  for (int i = 0; i < 5; ++i) {
    pool.Schedule([&] {
      {
        MutexLock lock(&mu);
        ++started;
      }
      release.WaitForNotification();
    });
  }
  {
    MutexLock lock(&mu);
    auto three = [&]() { return started >= 3; };
    ASSERT_TRUE(mu.AwaitWithTimeout(three, absl::Seconds(30)));
    EXPECT_EQ(started, 3);
  }
  EXPECT_EQ(pool.running(), 3);
  EXPECT_EQ(pool.queued(), 2);
  release.Notify();
}

}  // namespace
}  // namespace netshard
