#include "coordinator/output/result_queue.h"

#include <vector>

#include "common/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

using ::testing::ElementsAre;

v1::DeviceResult Result(uint64_t id, size_t output_bytes = 0) {
  v1::DeviceResult result;
  result.set_job_id(id);
  if (output_bytes > 0) result.add_outputs()->set_output(std::string(output_bytes, 'x'));
  return result;
}

// Blocks every Accept until opened, as stdout does when its reader stops.
class GatedSink final : public ResultSink {
 public:
  void Accept(v1::DeviceResult result) override {
    MutexLock lock(&mu_);
    mu_.Await([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return open_; });
    ids_.push_back(result.job_id());
  }
  void Open() {
    MutexLock lock(&mu_);
    open_ = true;
  }
  std::vector<uint64_t> ids() {
    MutexLock lock(&mu_);
    return ids_;
  }

 private:
  Mutex mu_;
  bool open_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<uint64_t> ids_ ABSL_GUARDED_BY(mu_);
};

TEST(ResultQueueTest, AcceptNeverBlocksOnASlowSinkAndOrderIsKept) {
  GatedSink sink;
  std::vector<bool> told;
  ResultQueue queue(&sink, [&](bool full) { told.push_back(full); }, {.results = 4});
  // With the sink stuck, every Accept still returns; the fourth fills it.
  for (uint64_t id = 0; id < 6; ++id) queue.Accept(Result(id));
  EXPECT_THAT(told, ElementsAre(true));
  sink.Open();
  queue.Finish();
  EXPECT_THAT(sink.ids(), ElementsAre(0, 1, 2, 3, 4, 5));
  // Room again once drained to half: told exactly once each way.
  EXPECT_THAT(told, ElementsAre(true, false));
  EXPECT_GE(queue.high_water(), 5u);
}

TEST(ResultQueueTest, BytesFillItToo) {
  GatedSink sink;
  std::vector<bool> told;
  ResultQueue queue(&sink, [&](bool full) { told.push_back(full); },
                    {.results = 1000, .bytes = 10000});
  queue.Accept(Result(0, 4000));
  queue.Accept(Result(1, 4000));
  EXPECT_TRUE(told.empty());
  // The output thread may hold one of them (stuck in the sink): four make
  // at least 12,000 bytes waiting either way.
  queue.Accept(Result(2, 4000));
  queue.Accept(Result(3, 4000));
  EXPECT_THAT(told, ElementsAre(true));
  sink.Open();
  queue.Finish();
  EXPECT_THAT(told, ElementsAre(true, false));
}

TEST(ResultQueueTest, FinishWithNothingAcceptedReturns) {
  GatedSink sink;
  ResultQueue queue(&sink, nullptr);
  queue.Finish();
  queue.Finish();  // and again, as the destructor does
  EXPECT_TRUE(sink.ids().empty());
}

}  // namespace
}  // namespace netshard
