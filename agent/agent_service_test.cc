// Dispatch over real gRPC: agents in this process on kernel-chosen loopback
// ports, the coordinator's RunThroughAgents, and a fake job function in
// place of SSH so failures can be staged exactly.
#include "agent/agent_service.h"

#include <atomic>
#include <thread>

#include "absl/base/config.h"
#include "absl/strings/str_cat.h"
#include "common/mutex.h"
#include "coordinator/output/collecting_sink.h"
#include "coordinator/dispatch/run.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

struct TestAgent {
  TestAgent(const std::string& name, int workers, JobFunction run_job,
            absl::Duration heartbeat = absl::Seconds(2),
            std::vector<std::string> segments = {"lab"}) {
    AgentOptions options;
    options.name = name;
    options.workers = workers;
    options.heartbeat = heartbeat;
    options.segments = std::move(segments);
    service = std::make_unique<AgentService>(options, std::move(run_job));
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(service.get());
    server = builder.BuildAndStart();
  }
  ~TestAgent() { server->Shutdown(std::chrono::system_clock::now()); }
  std::string address() const { return absl::StrCat("127.0.0.1:", port); }

  int port = 0;
  std::unique_ptr<AgentService> service;
  std::unique_ptr<grpc::Server> server;
};

std::vector<v1::Job> Jobs(int n) {
  std::vector<v1::Job> jobs(n);
  for (int i = 0; i < n; ++i) jobs[i].set_job_id(i);
  return jobs;
}

JobFunction Echo(absl::Duration delay, std::atomic<int>* started = nullptr) {
  return [=](const v1::RunSpec& spec, const v1::Job& job, const OutputSpill&, CancelToken*) {
    if (started != nullptr) ++*started;
    absl::SleepFor(delay);
    v1::DeviceResult result;
    result.set_job_id(job.job_id());
    result.add_outputs()->set_command(spec.commands(0));
    return result;
  };
}

// Runs `jobs` through the agents at `addresses` into `sink`.
void RunThroughAgents(const v1::RunSpec& spec, std::vector<v1::Job> jobs,
                      const std::vector<std::string>& addresses,
                      const AgentStreamOptions& options, ResultSink* sink) {
  JobTable table(std::move(jobs), sink, static_cast<int>(addresses.size()));
  std::vector<AgentTarget> agents;
  for (const std::string& address : addresses) agents.push_back({address, address, std::nullopt, std::nullopt});
  netshard::RunThroughAgents(spec, agents, options, &table);
}

v1::RunSpec Spec() {
  v1::RunSpec spec;
  spec.add_commands("sh clock");
  return spec;
}

// Every job has exactly one result; returns how many each agent ran.
std::map<std::string, int> CheckExactlyOnce(const CollectingSink& sink, int jobs) {
  std::map<std::string, int> by_agent;
  std::vector<int> seen(jobs, 0);
  for (const auto& result : sink.results()) {
    EXPECT_LT(result.job_id(), static_cast<uint64_t>(jobs));
    ++seen[result.job_id()];
    ++by_agent[result.has_error() ? ErrorCode_Name(result.error().code()) : result.agent()];
  }
  for (int i = 0; i < jobs; ++i) EXPECT_EQ(seen[i], 1) << "job " << i;
  return by_agent;
}

TEST(AgentServiceTest, InfoReportsNameSegmentsAndCapacity) {
  TestAgent agent("a1", 7, Echo(absl::ZeroDuration()));
  auto stub = v1::Agent::NewStub(
      grpc::CreateChannel(agent.address(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  v1::InfoResponse info;
  ASSERT_TRUE(stub->Info(&context, v1::InfoRequest(), &info).ok());
  EXPECT_EQ(info.name(), "a1");
  EXPECT_EQ(info.capacity(), 7u);
  EXPECT_THAT(info.segments(), ::testing::ElementsAre("lab"));
}

TEST(AgentServiceTest, JobsSpreadOverAgentsByCapacityExactlyOnce) {
  TestAgent small("small", 2, Echo(absl::Milliseconds(5)));
  TestAgent big("big", 16, Echo(absl::Milliseconds(5)));
  CollectingSink sink;
  RunThroughAgents(Spec(), Jobs(400), {small.address(), big.address()},
                   AgentStreamOptions(), &sink);
  std::map<std::string, int> by_agent = CheckExactlyOnce(sink, 400);
  EXPECT_EQ(by_agent["small"] + by_agent["big"], 400);
  // Pull-based: the agent with 8x the workers takes far more of the work.
  EXPECT_GT(by_agent["big"], 2 * by_agent["small"]);
  EXPECT_GT(by_agent["small"], 0);
}

TEST(AgentServiceTest, LargeOutputsStreamInChunksAndArriveWhole) {
  // Each output spills 24 chunks of 256 KiB (6 MiB: more than gRPC's
  // default message limit, never in one message) and keeps a short tail;
  // the coordinator must put every output back together in order.
  constexpr int kChunks = 24;
#if defined(ABSL_HAVE_THREAD_SANITIZER)
  // TSan checks every byte that uninstrumented gRPC hands over: minutes per
  // MiB. The logic is the same at 4 KiB; other builds move the real volume.
  constexpr int kChunk = 4 << 10;
#else
  constexpr int kChunk = 256 << 10;
#endif
  auto chunky = [](const v1::RunSpec&, const v1::Job& job, const OutputSpill& spill, CancelToken*) {
    v1::DeviceResult result;
    result.set_job_id(job.job_id());
    for (int output = 0; output < 2; ++output) {
      result.add_outputs()->set_command(absl::StrCat("show tech ", output));
      for (int i = 0; i < kChunks; ++i) {
        spill(output, std::string(kChunk, static_cast<char>('a' + (i + output) % 26)));
      }
      result.mutable_outputs(output)->set_output("tail");
    }
    return result;
  };
  TestAgent agent("a", 2, chunky);
  CollectingSink sink;
  AgentStreamOptions options;
  options.silence_timeout = absl::Seconds(60);  // sanitizer builds move bytes slowly
  RunThroughAgents(Spec(), Jobs(2), {agent.address()}, options, &sink);
  CheckExactlyOnce(sink, 2);
  for (const auto& result : sink.results()) {
    ASSERT_EQ(result.outputs_size(), 2) << result.error().message();
    for (int output = 0; output < 2; ++output) {
      const std::string& text = result.outputs(output).output();
      ASSERT_EQ(text.size(), size_t{kChunks} * kChunk + 4);
      for (int i = 0; i < kChunks; ++i) {
        ASSERT_EQ(text[i * kChunk], static_cast<char>('a' + (i + output) % 26)) << i;
      }
      EXPECT_EQ(text.substr(text.size() - 4), "tail");
    }
  }
}

TEST(AgentServiceTest, SilentAgentsJobsMoveToTheOthers) {
  Notification release;
  std::atomic<int> hung_started{0};
  TestAgent hung("hung", 4,
                 [&](const v1::RunSpec&, const v1::Job& job, const OutputSpill&, CancelToken*) {
                   ++hung_started;
                   release.WaitForNotification();
                   v1::DeviceResult result;
                   result.set_job_id(job.job_id());
                   return result;
                 },
                 /*heartbeat=*/absl::Hours(1));
  TestAgent healthy("healthy", 4, Echo(absl::Milliseconds(1)));
  CollectingSink sink;
  AgentStreamOptions options;
  options.silence_timeout = absl::Seconds(1);
  RunThroughAgents(Spec(), Jobs(50), {hung.address(), healthy.address()}, options, &sink);
  release.Notify();
  std::map<std::string, int> by_agent = CheckExactlyOnce(sink, 50);
  EXPECT_GT(hung_started.load(), 0);
  EXPECT_EQ(by_agent["healthy"], 50);
}

// Regression: an agent left idle while another finished its jobs had sent
// heartbeats nobody read, and Finish waited for them until the silence
// timeout (here an hour: the test would time out) cancelled the stream.
TEST(AgentServiceTest, IdleAgentWithUnreadHeartbeatsEndsPromptly) {
  // One job each (no prefetch): "fast" finishes at once and idles, unread
  // heartbeats piling up, while "slow" works.
  TestAgent fast("fast", 1, Echo(absl::ZeroDuration()), /*heartbeat=*/absl::Milliseconds(5));
  TestAgent slow("slow", 1, Echo(absl::Milliseconds(500)), absl::Milliseconds(5));
  CollectingSink sink;
  AgentStreamOptions options;
  options.prefetch = 0;
  options.silence_timeout = absl::Hours(1);
  RunThroughAgents(Spec(), Jobs(2), {fast.address(), slow.address()}, options, &sink);
  CheckExactlyOnce(sink, 2);
}

TEST(AgentServiceTest, DevicesGoOnlyToAgentsServingTheirSegment) {
  TestAgent east("east", 4, Echo(absl::Milliseconds(1)), absl::Seconds(2), {"east"});
  TestAgent west("west", 4, Echo(absl::Milliseconds(1)), absl::Seconds(2), {"west", "dmz"});
  std::vector<v1::Job> jobs = Jobs(60);
  const char* segments[] = {"east", "west", "dmz", "", "mars"};
  for (int i = 0; i < 60; ++i) jobs[i].set_segment(segments[i % 5]);
  CollectingSink sink;
  RunThroughAgents(Spec(), jobs, {east.address(), west.address()}, AgentStreamOptions(), &sink);
  CheckExactlyOnce(sink, 60);
  for (const auto& result : sink.results()) {
    const std::string& segment = jobs[result.job_id()].segment();
    if (segment == "mars") {
      EXPECT_EQ(result.error().code(), v1::NO_AGENT_FOR_SEGMENT);
      EXPECT_EQ(result.error().message(), "no live agent serves segment 'mars'");
    } else if (segment == "east") {
      EXPECT_EQ(result.agent(), "east");
    } else if (!segment.empty()) {
      EXPECT_EQ(result.agent(), "west") << segment;
    } else {
      EXPECT_FALSE(result.has_error());
    }
  }
}

TEST(AgentServiceTest, UnreachableAgentLeavesJobsToTheOthers) {
  TestAgent healthy("healthy", 4, Echo(absl::ZeroDuration()));
  int closed_port = 0;
  {
    TestAgent gone("gone", 1, Echo(absl::ZeroDuration()));
    closed_port = gone.port;
  }
  CollectingSink sink;
  RunThroughAgents(Spec(), Jobs(20),
                   {absl::StrCat("127.0.0.1:", closed_port), healthy.address()},
                   AgentStreamOptions(), &sink);
  EXPECT_EQ(CheckExactlyOnce(sink, 20)["healthy"], 20);
}

TEST(AgentServiceTest, NoLiveAgentEndsEveryJobAsAgentLost) {
  int closed_port = 0;
  {
    TestAgent gone("gone", 1, Echo(absl::ZeroDuration()));
    closed_port = gone.port;
  }
  CollectingSink sink;
  RunThroughAgents(Spec(), Jobs(5), {absl::StrCat("127.0.0.1:", closed_port)},
                   AgentStreamOptions(), &sink);
  EXPECT_EQ(CheckExactlyOnce(sink, 5)["AGENT_LOST"], 5);
}

TEST(AgentServiceTest, DrainingAgentFinishesWhatItHoldsAndGetsNoMore) {
  std::atomic<int> draining_started{0};
  TestAgent draining("draining", 2, Echo(absl::Milliseconds(50), &draining_started));
  TestAgent other("other", 2, Echo(absl::Milliseconds(20)));
  CollectingSink sink;
  std::thread run([&] {
    RunThroughAgents(Spec(), Jobs(60), {draining.address(), other.address()},
                     AgentStreamOptions(), &sink);
  });
  for (int i = 0; i < 5000 && draining_started.load() == 0; ++i) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  draining.service->BeginDrain();
  run.join();
  std::map<std::string, int> by_agent = CheckExactlyOnce(sink, 60);
  // It holds at most capacity + prefetch jobs when told; those finish there.
  EXPECT_LE(by_agent["draining"], 2 + AgentStreamOptions().prefetch + 2);
  EXPECT_EQ(by_agent["draining"] + by_agent["other"], 60);
}

}  // namespace
}  // namespace netshard
