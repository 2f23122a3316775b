#include "coordinator/cli/stop_signals.h"

#include <signal.h>

#include <atomic>
#include <string>

#include "absl/time/clock.h"
#include "common/mutex.h"
#include "common/process_setup.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

class StopSignalsTest : public ::testing::Test {
 protected:
  // Signals go to this process; blocked, only the watcher's sigtimedwait sees them.
  static void SetUpTestSuite() { BlockStopSignals(); }

  std::function<void(const char*)> Stop() {
    return [this](const char* signal) {
      MutexLock lock(&mu_);
      stopped_by_ = signal;
    };
  }
  std::function<void(bool)> Cancel() {
    return [this](bool again) {
      MutexLock lock(&mu_);
      cancelled_ = true;
      again_ = again;
    };
  }
  // Waits (bounded) until `what` holds.
  bool Eventually(const std::function<bool()>& what) {
    absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (absl::Now() < deadline) {
      {
        MutexLock lock(&mu_);
        if (what()) return true;
      }
      absl::SleepFor(absl::Milliseconds(10));
    }
    return false;
  }

  Mutex mu_;
  std::string stopped_by_ ABSL_GUARDED_BY(mu_);
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool again_ ABSL_GUARDED_BY(mu_) = false;
};

TEST_F(StopSignalsTest, NoSignalMeansNoCallbackAndAPromptJoin) {
  absl::Time start = absl::Now();
  {
    StopSignalWatcher watcher(Stop(), Cancel(), absl::Seconds(30), 130);
  }
  // The destructor joined a thread waiting for signals: bounded by its poll.
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  MutexLock lock(&mu_);
  EXPECT_EQ(stopped_by_, "");
  EXPECT_FALSE(cancelled_);
}

TEST_F(StopSignalsTest, FirstSignalStopsGentlyAndTheGracePeriodEndsInCancel) {
  StopSignalWatcher watcher(Stop(), Cancel(), absl::Milliseconds(300), 130);
  ASSERT_EQ(kill(getpid(), SIGINT), 0);
  EXPECT_TRUE(Eventually([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !stopped_by_.empty();
  }));
  EXPECT_TRUE(Eventually([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return cancelled_; }));
  MutexLock lock(&mu_);
  EXPECT_EQ(stopped_by_, strsignal(SIGINT));
  EXPECT_FALSE(again_);  // the grace period ran out
}

TEST_F(StopSignalsTest, ASecondSignalCancelsBeforeTheGracePeriodEnds) {
  StopSignalWatcher watcher(Stop(), Cancel(), absl::Seconds(60), 130);
  ASSERT_EQ(kill(getpid(), SIGTERM), 0);
  ASSERT_TRUE(Eventually([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !stopped_by_.empty();
  }));
  ASSERT_EQ(kill(getpid(), SIGTERM), 0);
  EXPECT_TRUE(Eventually([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return cancelled_; }));
  MutexLock lock(&mu_);
  EXPECT_TRUE(again_);
}

TEST_F(StopSignalsTest, TheRunEndingDuringTheGracePeriodEndsTheWatcher) {
  absl::Time start = absl::Now();
  {
    StopSignalWatcher watcher(Stop(), Cancel(), absl::Seconds(60), 130);
    ASSERT_EQ(kill(getpid(), SIGINT), 0);
    ASSERT_TRUE(Eventually([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !stopped_by_.empty();
    }));
  }
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
  MutexLock lock(&mu_);
  EXPECT_FALSE(cancelled_);  // the run had ended: nothing left to cancel
}

}  // namespace
}  // namespace netshard
