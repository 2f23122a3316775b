// An agent's Prometheus metrics, fed by its Run streams from the jobs and
// results that pass through them, rendered in the text exposition format
// for `agent --metrics-listen`. Thread-safe.
//
//   netshard_agent_jobs_queued / _jobs_running     gauges (running = sessions open or opening)
//   netshard_agent_capacity                        gauge (--workers)
//   netshard_agent_results_total{code}             counter, code OK on success
//   netshard_agent_logins_total{outcome}           counter, ok | failed (rate() = logins/s)
//   netshard_agent_login_seconds                   histogram, connect to privileged prompt
//   netshard_agent_command_seconds                 histogram, each command or config line
//   netshard_agent_output_bytes_total              counter, device output streamed back
#ifndef NETSHARD_AGENT_AGENT_METRICS_H_
#define NETSHARD_AGENT_AGENT_METRICS_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "common/mutex.h"
#include "netshard/v1/agent.pb.h"

namespace netshard {

class AgentMetrics {
 public:
  explicit AgentMetrics(int capacity) : capacity_(capacity) {}

  void JobQueued();
  void JobStarted();
  // A result sent; `ran` when it came from a job that started (not one
  // refused before running).
  void ResultSent(const v1::DeviceResult& result, bool ran);
  void OutputStreamed(size_t bytes);

  std::string Render() const;

 private:
  static constexpr std::array<double, 13> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                                     1,     2.5,  5,     10,   30,  60};
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> le{};  // cumulative counts per bucket
    uint64_t count = 0;
    double sum = 0;
    void Observe(double seconds);
  };

  const int capacity_;
  mutable Mutex mu_;
  int64_t queued_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t running_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<std::string, uint64_t> results_ ABSL_GUARDED_BY(mu_);  // by code
  uint64_t logins_ok_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t logins_failed_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t output_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  Histogram login_ ABSL_GUARDED_BY(mu_);
  Histogram command_ ABSL_GUARDED_BY(mu_);
};

}  // namespace netshard

#endif  // NETSHARD_AGENT_AGENT_METRICS_H_
