#include "agent/stream_outbox.h"

#include <vector>

#include "common/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;

v1::AgentMessage Beat(int running) {
  v1::AgentMessage message;
  message.mutable_heartbeat()->set_jobs_running(running);
  return message;
}

// A coordinator's end of the stream that reads only while open, and whose
// blocked Write returns false once cancelled (as gRPC's does).
class FakeStream final : public StreamOutbox::Stream {
 public:
  bool Write(const v1::AgentMessage& message, grpc::WriteOptions) override {
    MutexLock lock(&mu_);
    mu_.Await([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return reading_ || cancelled_; });
    if (cancelled_) return false;
    written_.push_back(message.heartbeat().jobs_running());
    return true;
  }
  void SetReading(bool reading) {
    MutexLock lock(&mu_);
    reading_ = reading;
  }
  void Cancel() {
    MutexLock lock(&mu_);
    cancelled_ = true;
  }
  std::vector<int> written() {
    MutexLock lock(&mu_);
    return written_;
  }

 private:
  Mutex mu_;
  bool reading_ ABSL_GUARDED_BY(mu_) = true;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<int> written_ ABSL_GUARDED_BY(mu_);
};

TEST(StreamOutboxTest, SendsInOrderAndCloseFlushes) {
  FakeStream stream;
  StreamOutbox outbox(&stream, [&] { stream.Cancel(); }, {}, nullptr);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(outbox.Send(Beat(i)));
  outbox.Close();
  std::vector<int> expected;
  for (int i = 0; i < 100; ++i) expected.push_back(i);
  EXPECT_EQ(stream.written(), expected);
  EXPECT_EQ(outbox.failure(), "");
  EXPECT_FALSE(outbox.Send(Beat(1)));  // closed
}

TEST(StreamOutboxTest, SendNeverBlocksOnACoordinatorThatStoppedReading) {
  FakeStream stream;
  stream.SetReading(false);
  std::vector<std::string> told;
  OutboxLimits limits;
  limits.stall = absl::Milliseconds(200);
  StreamOutbox outbox(&stream, [&] { stream.Cancel(); }, limits,
                      [&](const std::string& why) { told.push_back(why); });
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(outbox.Send(Beat(i)));
  EXPECT_FALSE(outbox.Idle());
  outbox.CheckStall();  // not yet stalled long enough
  EXPECT_EQ(outbox.failure(), "");
  absl::SleepFor(absl::Milliseconds(300));
  outbox.CheckStall();
  EXPECT_THAT(outbox.failure(), HasSubstr("has not read for 200ms"));
  EXPECT_FALSE(outbox.Send(Beat(1)));
  EXPECT_TRUE(outbox.Idle());  // what was queued is dropped
  outbox.Close();              // returns: the Write in flight was cancelled
  EXPECT_EQ(told.size(), 1u);
}

TEST(StreamOutboxTest, TooMuchUnsentFailsTheStream) {
  FakeStream stream;
  stream.SetReading(false);
  OutboxLimits limits;
  limits.max_bytes = 1000;
  StreamOutbox outbox(&stream, [&] { stream.Cancel(); }, limits, nullptr);
  bool refused = false;
  for (int i = 0; i < 1000 && !refused; ++i) refused = !outbox.Send(Beat(i));
  EXPECT_TRUE(refused);
  EXPECT_THAT(outbox.failure(), HasSubstr("the coordinator is not reading"));
  EXPECT_FALSE(outbox.AwaitRoom());  // a failed stream never makes a session wait
}

TEST(StreamOutboxTest, AwaitRoomWaitsForTheWriterToCatchUp) {
  FakeStream stream;
  stream.SetReading(false);
  OutboxLimits limits;
  limits.room_bytes = 10;
  StreamOutbox outbox(&stream, [&] { stream.Cancel(); }, limits, nullptr);
  for (int i = 0; i < 20; ++i) outbox.Send(Beat(i + 1));
  Notification roomy;
  std::thread waiter([&] {
    EXPECT_TRUE(outbox.AwaitRoom());
    roomy.Notify();
  });
  EXPECT_FALSE(roomy.WaitForNotificationWithTimeout(absl::Milliseconds(100)));
  stream.SetReading(true);
  EXPECT_TRUE(roomy.WaitForNotificationWithTimeout(absl::Seconds(10)));
  waiter.join();
  outbox.Close();
  EXPECT_EQ(stream.written().size(), 20u);
}

TEST(StreamOutboxTest, CloseGivesUpAfterTheStallLimit) {
  FakeStream stream;
  stream.SetReading(false);
  OutboxLimits limits;
  limits.stall = absl::Milliseconds(100);
  StreamOutbox outbox(&stream, [&] { stream.Cancel(); }, limits, nullptr);
  outbox.Send(Beat(1));
  outbox.Close();
  EXPECT_THAT(outbox.failure(), HasSubstr("did not take the run's last messages"));
}

}  // namespace
}  // namespace netshard
