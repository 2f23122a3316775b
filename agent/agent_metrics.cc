#include "agent/agent_metrics.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/device_error.h"

namespace netshard {
namespace {

void Header(std::string* out, const char* name, const char* type, const char* help) {
  absl::StrAppend(out, "# HELP ", name, " ", help, "\n# TYPE ", name, " ", type, "\n");
}

}  // namespace

void AgentMetrics::Histogram::Observe(double seconds) {
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++le[i];
  }
  ++count;
  sum += seconds;
}

void AgentMetrics::JobQueued() {
  MutexLock lock(&mu_);
  ++queued_;
}

void AgentMetrics::JobStarted() {
  MutexLock lock(&mu_);
  --queued_;
  ++running_;
}

void AgentMetrics::ResultSent(const v1::DeviceResult& result, bool ran) {
  MutexLock lock(&mu_);
  if (ran) --running_;
  ++results_[result.has_error() ? v1::ErrorCode_Name(result.error().code()) : "OK"];
  if (result.login_ms() > 0) {
    ++logins_ok_;
    login_.Observe(result.login_ms() / 1000.0);
  } else if (result.has_error() && result.error().stage() == v1::STAGE_AUTH) {
    ++logins_failed_;
  }
  for (const v1::CommandOutput& output : result.outputs()) {
    command_.Observe(output.elapsed_ms() / 1000.0);
    output_bytes_ += output.output().size();
  }
}

void AgentMetrics::OutputStreamed(size_t bytes) {
  MutexLock lock(&mu_);
  output_bytes_ += bytes;
}

std::string AgentMetrics::Render() const {
  MutexLock lock(&mu_);
  std::string out;
  Header(&out, "netshard_agent_capacity", "gauge", "Device sessions this agent runs at once.");
  absl::StrAppend(&out, "netshard_agent_capacity ", capacity_, "\n");
  Header(&out, "netshard_agent_jobs_queued", "gauge", "Jobs received, waiting for a worker.");
  absl::StrAppend(&out, "netshard_agent_jobs_queued ", queued_, "\n");
  Header(&out, "netshard_agent_jobs_running", "gauge",
         "Jobs running: device sessions open or opening.");
  absl::StrAppend(&out, "netshard_agent_jobs_running ", running_, "\n");
  Header(&out, "netshard_agent_results_total", "counter",
         "Device results sent, by error code (OK: success).");
  for (const auto& [code, count] : results_) {
    absl::StrAppend(&out, "netshard_agent_results_total{code=\"", code, "\"} ", count, "\n");
  }
  Header(&out, "netshard_agent_logins_total", "counter", "Device logins, by outcome.");
  absl::StrAppend(&out, "netshard_agent_logins_total{outcome=\"ok\"} ", logins_ok_, "\n",
                  "netshard_agent_logins_total{outcome=\"failed\"} ", logins_failed_, "\n");
  Header(&out, "netshard_agent_output_bytes_total", "counter", "Device output bytes streamed back.");
  absl::StrAppend(&out, "netshard_agent_output_bytes_total ", output_bytes_, "\n");
  for (const auto& [name, histogram, help] :
       {std::tuple{"netshard_agent_login_seconds", &login_,
                   "Connect, log in and reach a privileged prompt."},
        std::tuple{"netshard_agent_command_seconds", &command_,
                   "One command or configuration line, sent to prompt."}}) {
    Header(&out, name, "histogram", help);
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      absl::StrAppend(&out, name, "_bucket{le=\"", kBuckets[i], "\"} ", histogram->le[i], "\n");
    }
    absl::StrAppend(&out, name, "_bucket{le=\"+Inf\"} ", histogram->count, "\n", name, "_sum ",
                    absl::StrFormat("%.3f", histogram->sum), "\n", name, "_count ",
                    histogram->count, "\n");
  }
  return out;
}

}  // namespace netshard
