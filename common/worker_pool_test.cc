#include "common/worker_pool.h"

#include <atomic>

#include "absl/synchronization/notification.h"
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
  WorkerPool pool(3);
  absl::Notification release;
  absl::Mutex mu;
  int started = 0;
  for (int i = 0; i < 5; ++i) {
    pool.Schedule([&] {
      {
        absl::MutexLock lock(&mu);
        ++started;
      }
      release.WaitForNotification();
    });
  }
  {
    absl::MutexLock lock(&mu);
    auto three = [&]() { return started >= 3; };
    ASSERT_TRUE(mu.AwaitWithTimeout(absl::Condition(&three), absl::Seconds(30)));
    EXPECT_EQ(started, 3);
  }
  EXPECT_EQ(pool.running(), 3);
  EXPECT_EQ(pool.queued(), 2);
  release.Notify();
}

}  // namespace
}  // namespace netshard
