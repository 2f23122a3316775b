// The agent's gRPC service: a thin adapter between Run streams and a
// bounded pool of device sessions. Each job's result streams back the
// moment it exists.
#ifndef NETSHARD_AGENT_AGENT_SERVICE_H_
#define NETSHARD_AGENT_AGENT_SERVICE_H_

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "common/mutex.h"
#include "absl/time/time.h"
#include "agent/agent_credentials.h"
#include "agent/agent_metrics.h"
#include "agent/stream_outbox.h"
#include "common/event_log.h"
#include "common/session/job_runner.h"
#include "common/worker_pool.h"
#include "netshard/v1/agent.grpc.pb.h"

namespace netshard {

struct AgentOptions {
  std::string name;
  std::vector<std::string> segments;
  // Where this agent remembers device host keys ("": ~/.ssh/known_hosts);
  // used instead of any path a coordinator sends.
  std::string known_hosts_file;
  // Local address device connections leave from ("": the kernel's choice),
  // for segments whose devices admit only known sources.
  std::string source_address;
  // For jobs marked agent_credentials; null: such jobs fail AUTH_FAILED.
  std::shared_ptr<const AgentCredentials> credentials;
  int workers = 100;  // concurrent device sessions; the advertised capacity
  EventLog* log = nullptr;  // structured events; null: none. Not owned.
  // A stream with nothing else to say sends a heartbeat this often.
  absl::Duration heartbeat = absl::Seconds(2);
  // How long and how much a coordinator may leave unread before its stream
  // is cancelled.
  OutboxLimits outbox;
};

class RunStream;

// Thread-safe: gRPC calls Run and Info from its own threads.
class AgentService final : public v1::Agent::Service {
 public:
  explicit AgentService(AgentOptions options, JobFunction run_job = RunJob);
  ~AgentService() override;

  grpc::Status Run(grpc::ServerContext* context,
                   grpc::ServerReaderWriter<v1::AgentMessage,
                                            v1::CoordinatorMessage>* stream) override;
  grpc::Status Info(grpc::ServerContext* context, const v1::InfoRequest* request,
                    v1::InfoResponse* response) override;

  // Tells every open stream's coordinator to send no more jobs; the jobs
  // already received still run and report. Used on SIGTERM.
  void BeginDrain();

  const AgentMetrics& metrics() const { return metrics_; }

 private:
  // A job from `run`'s coordinator: its credentials filled in where the
  // agent keeps them, then queued for a worker (or failed at once).
  void Accept(RunStream& run, const v1::RunSpec& spec, v1::Job job);
  // Sends `job`'s result, counted and logged; `ran`: the job had started.
  void Send(RunStream& run, const v1::RunSpec& spec, const v1::Job& job, v1::DeviceResult result,
            bool ran);
  void Log(LogLevel level, absl::string_view event, const v1::RunSpec& spec, const v1::Job& job,
           const v1::DeviceResult* result);

  const AgentOptions options_;
  const JobFunction run_job_;
  AgentMetrics metrics_;
  Mutex mu_;
  bool draining_ ABSL_GUARDED_BY(mu_) = false;
  std::set<RunStream*> streams_ ABSL_GUARDED_BY(mu_);
  WorkerPool pool_;  // last: joined first, while the rest still exists
};

}  // namespace netshard

#endif  // NETSHARD_AGENT_AGENT_SERVICE_H_
