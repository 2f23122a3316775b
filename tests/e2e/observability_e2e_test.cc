// An agent's metrics and logs during and after a real run: Prometheus
// counters scraped over HTTP add up to the run's results, and the debug log
// has one structured line per device, with the run id and no secret.
#include <atomic>
#include <map>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "tests/e2e/e2e_fixture.h"
#include "tests/testing/loopback.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;
using testing::ReadFile;

// "name{labels} value" lines of a Prometheus text exposition.
std::map<std::string, double> ParseMetrics(const std::string& text) {
  std::map<std::string, double> metrics;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    if (absl::StartsWith(line, "#")) continue;
    size_t space = line.rfind(' ');
    double value = 0;
    if (space == absl::string_view::npos || !absl::SimpleAtod(line.substr(space + 1), &value)) {
      ADD_FAILURE() << "not a sample: " << line;
      continue;
    }
    metrics[std::string(line.substr(0, space))] = value;
  }
  return metrics;
}

class ObservabilityE2eTest : public E2eFixture {};

TEST_F(ObservabilityE2eTest, MetricsAddUpToTheRunAndLogsNameEveryDevice) {
  int metrics_port = testing::FreeLoopbackPort();
  std::string address = LoopbackAddress();
  auto agent = StartAgent(address, "agent-a", "50",
                          {"--metrics-listen", absl::StrCat("127.0.0.1:", metrics_port),
                           "--log-level", "debug"});
  ASSERT_TRUE(agent != nullptr);
  httplib::Client client("127.0.0.1", metrics_port);
  client.set_connection_timeout(5, 0);
  client.set_read_timeout(5, 0);

  // Scrape all through the run, as Prometheus would.
  std::atomic<bool> done{false};
  std::atomic<double> most_running{0};
  std::atomic<int> scrapes{0};
  std::thread scraper([&] {
    while (!done.load()) {
      if (auto response = client.Get("/metrics"); response && response->status == 200) {
        ++scrapes;
        double running = ParseMetrics(response->body)["netshard_agent_jobs_running"];
        if (running > most_running.load()) most_running = running;
      }
      absl::SleepFor(absl::Milliseconds(5));
    }
  });
  EXPECT_EQ(Coord({"run", "-i", dir_ + "/fleet.yaml", "--agent", address, "--cmd", "sh clock",
                   "--format", "jsonl"}),
            1);
  done = true;
  scraper.join();
  std::vector<Record> records = ParseJsonl(ReadFile(dir_ + "/coord.out"));
  ExpectFleetResults(records, /*input_order=*/false);
  EXPECT_GT(scrapes.load(), 1);
  EXPECT_GT(most_running.load(), 0) << "no scrape saw a session open";

  auto response = client.Get("/metrics");
  ASSERT_TRUE(response && response->status == 200);
  EXPECT_THAT(response->get_header_value("Content-Type"), HasSubstr("text/plain"));
  std::map<std::string, double> metrics = ParseMetrics(response->body);
  EXPECT_EQ(metrics["netshard_agent_results_total{code=\"OK\"}"], kDevices - 1);
  EXPECT_EQ(metrics["netshard_agent_results_total{code=\"AUTH_FAILED\"}"], 1);
  EXPECT_EQ(metrics["netshard_agent_logins_total{outcome=\"ok\"}"], kDevices - 1);
  EXPECT_EQ(metrics["netshard_agent_logins_total{outcome=\"failed\"}"], 1);
  EXPECT_EQ(metrics["netshard_agent_login_seconds_count"], kDevices - 1);
  EXPECT_EQ(metrics["netshard_agent_login_seconds_bucket{le=\"+Inf\"}"], kDevices - 1);
  EXPECT_EQ(metrics["netshard_agent_command_seconds_count"], kDevices - 1);
  EXPECT_EQ(metrics["netshard_agent_jobs_running"], 0);
  EXPECT_EQ(metrics["netshard_agent_jobs_queued"], 0);
  EXPECT_EQ(metrics["netshard_agent_capacity"], 50);
  double output_bytes = 0;
  for (const Record& record : records) output_bytes += record.output.size();
  EXPECT_EQ(metrics["netshard_agent_output_bytes_total"], output_bytes);

  // One job_done line per device, each with the run id; no password.
  std::string log = ReadFile(dir_ + "/agent-a.log");
  std::vector<std::string> done_lines;
  for (absl::string_view line : absl::StrSplit(log, '\n')) {
    if (absl::StrContains(line, " event=job_done ")) done_lines.emplace_back(line);
  }
  ASSERT_EQ(done_lines.size(), static_cast<size_t>(kDevices)) << log;
  EXPECT_THAT(done_lines[0], ::testing::MatchesRegex(
                                 "ts=\\S+ level=(debug|info) event=job_done run=[0-9a-f]{16} "
                                 "device=sim[0-9]+ code=\\S+ .*"));
  EXPECT_THAT(log, HasSubstr("event=run_start"));
  EXPECT_THAT(log, HasSubstr("code=AUTH_FAILED stage=STAGE_AUTH"));
  EXPECT_THAT(log, ::testing::Not(HasSubstr("password=")));
  EXPECT_THAT(log, ::testing::Not(HasSubstr("=cisco")));  // devsim's password as a value
}

}  // namespace
}  // namespace netshard
