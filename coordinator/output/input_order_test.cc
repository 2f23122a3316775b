#include "coordinator/output/input_order.h"

#include <random>
#include <thread>

#include "coordinator/output/collecting_sink.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

v1::DeviceResult Result(uint64_t id) {
  v1::DeviceResult result;
  result.set_job_id(id);
  return result;
}

TEST(InputOrderTest, EmitsEachResultAsSoonAsEverythingBeforeItIsDone) {
  CollectingSink out;
  InputOrder order(&out);
  order.Accept(Result(1));
  order.Accept(Result(2));
  EXPECT_THAT(out.ids(), IsEmpty());  // waiting for 0
  EXPECT_EQ(order.buffered(), 2u);
  order.Accept(Result(0));
  EXPECT_THAT(out.ids(), ElementsAre(0, 1, 2));
  order.Accept(Result(4));
  EXPECT_THAT(out.ids(), ElementsAre(0, 1, 2));
  order.Accept(Result(3));
  EXPECT_THAT(out.ids(), ElementsAre(0, 1, 2, 3, 4));
  EXPECT_EQ(order.buffered(), 0u);
}

TEST(InputOrderTest, InOrderArrivalsNeverBuffer) {
  CollectingSink out;
  InputOrder order(&out);
  for (uint64_t id = 0; id < 100; ++id) {
    order.Accept(Result(id));
    EXPECT_EQ(order.buffered(), 0u);
  }
  EXPECT_EQ(out.ids().size(), 100u);
}

TEST(InputOrderTest, ShuffledArrivalsFromManyThreadsComeOutInOrder) {
  constexpr int kResults = 4000;
  std::vector<uint64_t> ids(kResults);
  for (int i = 0; i < kResults; ++i) ids[i] = i;
  std::shuffle(ids.begin(), ids.end(), std::mt19937(42));
  CollectingSink out;
  InputOrder order(&out);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; i < kResults; i += 4) order.Accept(Result(ids[i]));
    });
  }
  for (auto& thread : threads) thread.join();
  std::vector<uint64_t> got = out.ids();
  ASSERT_EQ(got.size(), static_cast<size_t>(kResults));
  for (int i = 0; i < kResults; ++i) ASSERT_EQ(got[i], static_cast<uint64_t>(i));
}

}  // namespace
}  // namespace netshard
