#include "common/cancel_token.h"

#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

TEST(CancelTokenTest, WaitForEndsAtTheCancelNotAtItsTimeout) {
  CancelToken token;
  EXPECT_FALSE(token.WaitFor(absl::Milliseconds(10)));
  absl::Time start = absl::Now();
  std::thread canceller([&] {
    absl::SleepFor(absl::Milliseconds(50));
    token.Cancel();
  });
  EXPECT_TRUE(token.WaitFor(absl::Seconds(30)));
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  canceller.join();
  EXPECT_TRUE(token.cancelled());
  token.Cancel();  // idempotent
  EXPECT_TRUE(token.WaitFor(absl::ZeroDuration()));
}

// A blocked read on a watched socket returns as soon as the token is
// cancelled; an unwatched one is left alone.
TEST(CancelTokenTest, CancelShutsWatchedSocketsDown) {
  int watched[2];
  int other[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, watched), 0);
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, other), 0);
  CancelToken token;
  token.Watch(watched[0]);
  token.Watch(other[0]);
  token.Unwatch(other[0]);
  std::thread canceller([&] {
    absl::SleepFor(absl::Milliseconds(50));
    token.Cancel();
  });
  char byte;
  EXPECT_EQ(read(watched[0], &byte, 1), 0);  // blocked until the shutdown: end of stream
  canceller.join();
  EXPECT_EQ(write(other[1], "x", 1), 1);
  EXPECT_EQ(read(other[0], &byte, 1), 1);  // still working
  // Watching after the cancel shuts down at once.
  int late[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, late), 0);
  token.Watch(late[0]);
  EXPECT_EQ(read(late[0], &byte, 1), 0);
  token.Unwatch(late[0]);
  for (int fd : {watched[0], watched[1], other[0], other[1], late[0], late[1]}) close(fd);
}

}  // namespace
}  // namespace netshard
