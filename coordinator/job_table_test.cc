#include "coordinator/job_table.h"

#include <thread>

#include "coordinator/collecting_sink.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

std::vector<v1::Job> Jobs(int n) {
  std::vector<v1::Job> jobs(n);
  for (int i = 0; i < n; ++i) jobs[i].set_job_id(i);
  return jobs;
}

v1::DeviceResult Ok(uint64_t id) {
  v1::DeviceResult result;
  result.set_job_id(id);
  return result;
}

TEST(JobTableTest, HandsOutJobsInOrderOnce) {
  CollectingSink sink;
  JobTable table(Jobs(3), &sink, 1);
  EXPECT_EQ(table.TryTake()->job_id(), 0u);
  EXPECT_EQ(table.TryTake()->job_id(), 1u);
  EXPECT_EQ(table.TryTake()->job_id(), 2u);
  EXPECT_FALSE(table.TryTake().has_value());
}

TEST(JobTableTest, SecondResultForAJobIsDropped) {
  CollectingSink sink;
  JobTable table(Jobs(2), &sink, 1);
  table.TryTake();
  table.TryTake();
  table.Complete(Ok(1));
  table.Complete(Ok(1));
  table.Complete(Ok(7));  // never handed out
  table.Complete(Ok(0));
  table.AwaitDone();
  EXPECT_THAT(sink.ids(), ElementsAre(1, 0));
  EXPECT_EQ(table.duplicates_dropped(), 2);
}

TEST(JobTableTest, RequeuedJobsGoToAnotherTaker) {
  CollectingSink sink;
  JobTable table(Jobs(2), &sink, 2);
  table.TryTake();
  table.TryTake();
  table.Requeue({0, 1}, "agent a lost");
  table.TakerGone("agent a lost");
  EXPECT_TRUE(table.AwaitWorkOrDone());
  table.Complete(Ok(table.TryTake()->job_id()));
  table.Complete(Ok(table.TryTake()->job_id()));
  EXPECT_FALSE(table.AwaitWorkOrDone());
  EXPECT_THAT(sink.ids(), ElementsAre(0, 1));
  for (const auto& result : sink.results()) EXPECT_FALSE(result.has_error());
}

TEST(JobTableTest, LastTakerGoneEndsPendingJobsAsAgentLost) {
  CollectingSink sink;
  JobTable table(Jobs(3), &sink, 1);
  table.TryTake();
  table.Requeue({0}, "agent x lost");
  table.TakerGone("agent x lost");
  table.AwaitDone();
  ASSERT_EQ(sink.results().size(), 3u);
  for (const auto& result : sink.results()) {
    EXPECT_EQ(result.error().code(), v1::AGENT_LOST);
    EXPECT_EQ(result.error().message(), "agent x lost");
  }
}

TEST(JobTableTest, JobTriedMaxAttemptsTimesIsNotRequeuedAgain) {
  CollectingSink sink;
  JobTable table(Jobs(1), &sink, 5, /*max_attempts=*/2);
  table.TryTake();
  table.Requeue({0}, "lost once");
  table.TryTake();
  table.Requeue({0}, "lost twice");
  table.AwaitDone();
  ASSERT_EQ(sink.results().size(), 1u);
  EXPECT_EQ(sink.results()[0].error().code(), v1::AGENT_LOST);
  EXPECT_EQ(sink.results()[0].error().message(), "lost twice");
}

TEST(JobTableTest, ManyThreadsEachJobExactlyOnce) {
  constexpr int kJobs = 5000;
  CollectingSink sink;
  JobTable table(Jobs(kJobs), &sink, 4);
  std::vector<std::thread> takers;
  for (int t = 0; t < 4; ++t) {
    takers.emplace_back([&, t] {
      int n = 0;
      while (std::optional<v1::Job> job = table.TryTake()) {
        // Every third job of one taker is "lost" once and retried elsewhere.
        if (t == 0 && ++n % 3 == 0) {
          table.Requeue({job->job_id()}, "flaky");
          continue;
        }
        table.Complete(Ok(job->job_id()));
        table.Complete(Ok(job->job_id()));
      }
      while (table.AwaitWorkOrDone()) {
        if (auto job = table.TryTake()) table.Complete(Ok(job->job_id()));
      }
    });
  }
  for (auto& taker : takers) taker.join();
  table.AwaitDone();
  std::vector<uint64_t> ids = sink.ids();
  ASSERT_EQ(ids.size(), static_cast<size_t>(kJobs));
  std::sort(ids.begin(), ids.end());
  for (int i = 0; i < kJobs; ++i) ASSERT_EQ(ids[i], static_cast<uint64_t>(i));
}

}  // namespace
}  // namespace netshard
