#include "coordinator/dispatch/job_table.h"

#include <map>
#include <thread>

#include "coordinator/output/collecting_sink.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

std::vector<v1::Job> Jobs(int n, const std::vector<std::string>& segments = {}) {
  std::vector<v1::Job> jobs(n);
  for (int i = 0; i < n; ++i) {
    jobs[i].set_job_id(i);
    if (i < static_cast<int>(segments.size())) jobs[i].set_segment(segments[i]);
  }
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
  table.Announce(kAllSegments);
  EXPECT_EQ(table.TryTake(kAllSegments)->job_id(), 0u);
  EXPECT_EQ(table.TryTake(kAllSegments)->job_id(), 1u);
  EXPECT_EQ(table.TryTake(kAllSegments)->job_id(), 2u);
  EXPECT_FALSE(table.TryTake(kAllSegments).has_value());
}

// Jobs from a source that counts what it was asked to make.
class CountingJobs : public JobSource {
 public:
  CountingJobs(size_t size, int* made) : size_(size), made_(made) {}
  size_t size() const override { return size_; }
  const std::string& segment(uint64_t id) const override {
    static const std::string kNone, kLab = "lab";
    return id % 2 == 0 ? kNone : kLab;
  }
  v1::Job Make(uint64_t id) const override {
    ++*made_;
    v1::Job job;
    job.set_job_id(id);
    job.set_segment(segment(id));
    return job;
  }

 private:
  size_t size_;
  int* made_;
};

TEST(JobTableTest, AJobIsMadeOnlyWhenHandedOut) {
  // A million devices must not become a million jobs at once.
  int made = 0;
  CollectingSink sink;
  JobTable table(std::make_unique<CountingJobs>(1'000'000, &made), &sink, 1);
  EXPECT_EQ(made, 0);
  EXPECT_EQ(table.size(), 1'000'000);
  Segments lab = {"lab"};
  table.Announce(&lab);
  std::optional<v1::Job> job = table.TryTake(&lab);
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->segment(), "lab");  // segment jobs first, routed without being made
  EXPECT_EQ(made, 1);
}

TEST(JobTableTest, SecondResultForAJobIsDropped) {
  CollectingSink sink;
  JobTable table(Jobs(2), &sink, 1);
  table.Announce(kAllSegments);
  table.TryTake(kAllSegments);
  table.TryTake(kAllSegments);
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
  Segments none;
  JobTable table(Jobs(2), &sink, 2);
  table.Announce(&none);
  table.Announce(&none);
  table.TryTake(&none);
  table.TryTake(&none);
  table.Requeue({0, 1}, "agent a lost");
  table.TakerGone(&none, "agent a lost");
  EXPECT_TRUE(table.AwaitWorkOrDone(&none));
  table.Complete(Ok(table.TryTake(&none)->job_id()));
  table.Complete(Ok(table.TryTake(&none)->job_id()));
  EXPECT_FALSE(table.AwaitWorkOrDone(&none));
  EXPECT_THAT(sink.ids(), ElementsAre(0, 1));
  for (const auto& result : sink.results()) EXPECT_FALSE(result.has_error());
}

TEST(JobTableTest, LastTakerGoneEndsPendingJobsAsAgentLost) {
  CollectingSink sink;
  Segments none;
  JobTable table(Jobs(3), &sink, 1);
  table.Announce(&none);
  table.TryTake(&none);
  table.Requeue({0}, "agent x lost");
  table.TakerGone(&none, "agent x lost");
  table.AwaitDone();
  ASSERT_EQ(sink.results().size(), 3u);
  for (const auto& result : sink.results()) {
    EXPECT_EQ(result.error().code(), v1::AGENT_LOST);
    EXPECT_EQ(result.error().message(), "agent x lost");
  }
}

TEST(JobTableTest, TakerThatNeverAnnouncedStillCounts) {
  CollectingSink sink;
  JobTable table(Jobs(2), &sink, 2);
  table.TakerGone(std::nullopt, "agent a unreachable");
  EXPECT_TRUE(sink.results().empty());  // the other may still come
  table.TakerGone(std::nullopt, "agent b unreachable");
  table.AwaitDone();
  EXPECT_EQ(sink.results().size(), 2u);
  EXPECT_EQ(sink.results()[0].error().message(), "agent b unreachable");
}

TEST(JobTableTest, JobTriedMaxAttemptsTimesIsNotRequeuedAgain) {
  CollectingSink sink;
  JobTable table(Jobs(1), &sink, 1, /*max_attempts=*/2);
  table.Announce(kAllSegments);
  table.TryTake(kAllSegments);
  table.Requeue({0}, "lost once");
  table.TryTake(kAllSegments);
  table.Requeue({0}, "lost twice");
  table.AwaitDone();
  ASSERT_EQ(sink.results().size(), 1u);
  EXPECT_EQ(sink.results()[0].error().code(), v1::AGENT_LOST);
  EXPECT_EQ(sink.results()[0].error().message(), "lost twice");
}

TEST(JobTableTest, SingleAttemptJobLostOnceEndsWithTheNote) {
  CollectingSink sink;
  JobTable table(Jobs(1), &sink, 1, /*max_attempts=*/1, "; not re-sent");
  table.Announce(kAllSegments);
  table.TryTake(kAllSegments);
  table.Requeue({0}, "agent a lost");
  table.AwaitDone();
  ASSERT_EQ(sink.results().size(), 1u);
  EXPECT_EQ(sink.results()[0].error().code(), v1::AGENT_LOST);
  EXPECT_EQ(sink.results()[0].error().message(), "agent a lost; not re-sent");
}

TEST(JobTableTest, SegmentJobsGoOnlyToTakersServingThem) {
  CollectingSink sink;
  JobTable table(Jobs(4, {"dc1", "", "dc2", "dc1"}), &sink, 2);
  Segments dc1 = {"dc1"};
  Segments dc2 = {"dc2"};
  table.Announce(&dc1);
  table.Announce(&dc2);
  // Segment jobs first, then the unsegmented one, which anyone may take.
  EXPECT_EQ(table.TryTake(&dc2)->job_id(), 2u);
  EXPECT_EQ(table.TryTake(&dc2)->job_id(), 1u);
  EXPECT_FALSE(table.TryTake(&dc2).has_value());
  EXPECT_EQ(table.TryTake(&dc1)->job_id(), 0u);
  EXPECT_EQ(table.TryTake(&dc1)->job_id(), 3u);
  EXPECT_TRUE(sink.results().empty());
}

TEST(JobTableTest, SegmentNobodyServesEndsAsNoAgentForSegment) {
  CollectingSink sink;
  JobTable table(Jobs(3, {"lab", "", "lab"}), &sink, 1);
  Segments dc1 = {"dc1"};
  table.Announce(&dc1);  // once every taker announced, "lab" is hopeless
  ASSERT_EQ(sink.results().size(), 2u);
  for (const auto& result : sink.results()) {
    EXPECT_EQ(result.error().code(), v1::NO_AGENT_FOR_SEGMENT);
    EXPECT_EQ(result.error().message(), "no live agent serves segment 'lab'");
  }
  EXPECT_EQ(table.TryTake(&dc1)->job_id(), 1u);
}

TEST(JobTableTest, LosingTheOnlyAgentOfASegmentEndsItsJobs) {
  CollectingSink sink;
  JobTable table(Jobs(3, {"dc1", "dc1", ""}), &sink, 2);
  Segments dc1 = {"dc1"};
  Segments none;
  table.Announce(&dc1);
  table.Announce(&none);
  table.TryTake(&dc1);
  table.Requeue({0}, "agent a lost");
  table.TakerGone(&dc1, "agent a lost");
  ASSERT_EQ(sink.results().size(), 2u);
  for (const auto& result : sink.results()) {
    EXPECT_EQ(result.error().code(), v1::NO_AGENT_FOR_SEGMENT);
    EXPECT_EQ(result.error().message(), "no live agent serves segment 'dc1' (agent a lost)");
  }
  EXPECT_EQ(table.TryTake(&none)->job_id(), 2u);  // the unsegmented job lives on
}

TEST(JobTableTest, CancelEndsPendingAndHandedBackJobsButLetsRunningOnesReport) {
  CollectingSink sink;
  JobTable table(Jobs(4), &sink, 1);
  table.Announce(kAllSegments);
  table.TryTake(kAllSegments);  // job 0 running
  table.TryTake(kAllSegments);  // job 1 running
  table.Cancel("run cancelled (Interrupt)");
  EXPECT_THAT(sink.ids(), UnorderedElementsAre(2, 3));
  EXPECT_FALSE(table.TryTake(kAllSegments).has_value());
  table.Complete(Ok(0));
  table.Requeue({1}, "agent lost");  // handed back after the cancel: not run again
  table.AwaitDone();
  std::vector<v1::DeviceResult> results = sink.results();
  ASSERT_EQ(results.size(), 4u);
  for (const auto& result : results) {
    if (result.job_id() == 0) {
      EXPECT_FALSE(result.has_error());
    } else {
      EXPECT_EQ(result.error().code(), v1::CANCELLED);
      EXPECT_EQ(result.error().message(), "run cancelled (Interrupt)");
    }
  }
}

TEST(JobTableTest, RunWideLimitHoldsJobsBackUntilOneFinishes) {
  CollectingSink sink;
  DispatchLimits limits;
  limits.max_in_flight = 2;
  JobTable table(Jobs(4), &sink, 2, 3, "", limits);
  Segments none;
  table.Announce(&none);
  table.Announce(&none);
  EXPECT_EQ(table.TryTake(&none)->job_id(), 0u);
  EXPECT_EQ(table.TryTake(&none)->job_id(), 1u);
  EXPECT_FALSE(table.TryTake(&none).has_value());  // two out: the limit, whoever asks
  std::thread waiter([&] { EXPECT_TRUE(table.AwaitWorkOrDone(&none)); });
  table.Complete(Ok(0));
  waiter.join();
  EXPECT_EQ(table.TryTake(&none)->job_id(), 2u);
  EXPECT_FALSE(table.TryTake(&none).has_value());
  table.Requeue({1}, "agent lost");  // a lost job frees its place too
  EXPECT_EQ(table.TryTake(&none)->job_id(), 3u);
  EXPECT_FALSE(table.TryTake(&none).has_value());  // 2 and 3 out; 1 waits its turn
  table.Complete(Ok(2));
  EXPECT_EQ(table.TryTake(&none)->job_id(), 1u);
}

TEST(JobTableTest, AHeldTableHandsOutNothingUntilReleased) {
  CollectingSink sink;
  JobTable table(Jobs(3), &sink, 1);
  table.Announce(kAllSegments);
  EXPECT_EQ(table.TryTake(kAllSegments)->job_id(), 0u);
  table.Hold(true);
  EXPECT_FALSE(table.TryTake(kAllSegments).has_value());
  table.Complete(Ok(0));  // results still come in while held
  EXPECT_EQ(sink.ids(), std::vector<uint64_t>{0});
  std::thread waiter([&] { EXPECT_TRUE(table.AwaitWorkOrDone(kAllSegments)); });
  table.Hold(false);  // wakes whoever waits for work
  waiter.join();
  EXPECT_EQ(table.TryTake(kAllSegments)->job_id(), 1u);
}

TEST(JobTableTest, LoginPacingSpacesStartsPerSegment) {
  CollectingSink sink;
  DispatchLimits limits;
  limits.logins_per_second = 10;  // one login every 100 ms per segment
  absl::Time now = absl::FromUnixSeconds(1000);  // the tables' clock: still, unless moved
  JobTable table(Jobs(5, {"dc1", "dc1", "dc1", "dc2", ""}), &sink, 1, 3, "", limits,
                 [&now] { return now; });
  table.Announce(kAllSegments);
  std::map<std::string, std::vector<int64_t>> delays;
  while (std::optional<v1::Job> job = table.TryTake(kAllSegments)) {
    delays[job->segment()].push_back(job->start_delay_ms());
  }
  EXPECT_THAT(delays["dc1"], ElementsAre(0, 100, 200));
  EXPECT_THAT(delays["dc2"], ElementsAre(0));  // its own AAA, its own pace
  EXPECT_THAT(delays[""], ElementsAre(0));
  // Time passing counts: 50 ms after a login the next waits 50; a second
  // of quiet and the pace has caught up, the one after waits its 100 again.
  JobTable later(Jobs(4, {"dc1", "dc1", "dc1", "dc1"}), &sink, 1, 3, "", limits,
                 [&now] { return now; });
  later.Announce(kAllSegments);
  EXPECT_EQ(later.TryTake(kAllSegments)->start_delay_ms(), 0u);
  now += absl::Milliseconds(50);
  EXPECT_EQ(later.TryTake(kAllSegments)->start_delay_ms(), 50u);
  now += absl::Seconds(1);
  EXPECT_EQ(later.TryTake(kAllSegments)->start_delay_ms(), 0u);
  EXPECT_EQ(later.TryTake(kAllSegments)->start_delay_ms(), 100u);
}

TEST(JobTableTest, NoPacingMeansNoDelay) {
  CollectingSink sink;
  JobTable table(Jobs(3), &sink, 1);
  table.Announce(kAllSegments);
  while (std::optional<v1::Job> job = table.TryTake(kAllSegments)) {
    EXPECT_EQ(job->start_delay_ms(), 0u);
  }
}

TEST(JobTableTest, ManyThreadsEachJobExactlyOnce) {
  constexpr int kJobs = 5000;
  CollectingSink sink;
  JobTable table(Jobs(kJobs), &sink, 4);
  std::vector<std::thread> takers;
  for (int t = 0; t < 4; ++t) {
    takers.emplace_back([&, t] {
      table.Announce(kAllSegments);
      int n = 0;
      while (std::optional<v1::Job> job = table.TryTake(kAllSegments)) {
        // Every third job of one taker is "lost" once and retried elsewhere.
        if (t == 0 && ++n % 3 == 0) {
          table.Requeue({job->job_id()}, "flaky");
          continue;
        }
        table.Complete(Ok(job->job_id()));
        table.Complete(Ok(job->job_id()));
      }
      while (table.AwaitWorkOrDone(kAllSegments)) {
        if (auto job = table.TryTake(kAllSegments)) table.Complete(Ok(job->job_id()));
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
