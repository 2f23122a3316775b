#include "agent/agent_service.h"

#include <thread>

#include "common/device_error.h"
#include "common/mutex.h"

namespace netshard {

constexpr char kVersion[] = "0.1.0";

namespace {

v1::DeviceResult FailedResult(uint64_t job_id, const absl::Status& failure) {
  v1::DeviceResult result;
  result.set_job_id(job_id);
  *result.mutable_error() = ToDeviceError(failure);
  return result;
}

}  // namespace

using Stream =
    grpc::ServerReaderWriter<v1::AgentMessage, v1::CoordinatorMessage>;

// The state of one Run stream, shared by its reader (the gRPC thread), the
// workers running its jobs and its heartbeat thread.
class RunStream {
 public:
  explicit RunStream(Stream* stream) : stream_(stream) {}

  // Sync streams allow one Write at a time; the lock is that rule.
  bool Write(const v1::AgentMessage& message) {
    MutexLock lock(&write_mu_);
    return stream_->Write(message);
  }

  void JobStarted() {
    MutexLock lock(&mu_);
    ++outstanding_;
  }
  void JobFinished() {
    MutexLock lock(&mu_);
    --outstanding_;
  }
  int outstanding() {
    MutexLock lock(&mu_);
    return outstanding_;
  }
  void AwaitIdle() {
    MutexLock lock(&mu_);
    auto idle = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return outstanding_ == 0; };
    mu_.Await(idle);
  }

  // The coordinator cancelled the run or is gone: running jobs stop at
  // their next read, queued ones end CANCELLED without running.
  Notification cancelled;
  Notification finished;

 private:
  Stream* const stream_;
  Mutex write_mu_;
  Mutex mu_;
  int outstanding_ ABSL_GUARDED_BY(mu_) = 0;
};

AgentService::AgentService(AgentOptions options, JobFunction run_job)
    : options_(std::move(options)),
      run_job_(std::move(run_job)),
      pool_(options_.workers) {}

AgentService::~AgentService() = default;

grpc::Status AgentService::Run(grpc::ServerContext* context, Stream* stream) {
  v1::CoordinatorMessage in;
  if (!stream->Read(&in) || !in.has_spec()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "a run starts with its RunSpec");
  }
  v1::RunSpec spec = in.spec();
  spec.set_known_hosts_file(options_.known_hosts_file);
  spec.set_source_address(options_.source_address);
  RunStream run(stream);
  v1::AgentMessage hello;
  hello.mutable_hello()->set_agent_name(options_.name);
  hello.mutable_hello()->set_capacity(options_.workers);
  hello.mutable_hello()->set_version(kVersion);
  for (const std::string& segment : options_.segments) hello.mutable_hello()->add_segments(segment);
  if (!run.Write(hello)) return grpc::Status(grpc::StatusCode::CANCELLED, "coordinator gone");
  {
    MutexLock lock(&mu_);
    streams_.insert(&run);
    if (draining_) {
      v1::AgentMessage draining;
      draining.mutable_draining();
      run.Write(draining);
    }
  }

  std::thread heartbeat([this, &run] {
    while (!run.finished.WaitForNotificationWithTimeout(options_.heartbeat)) {
      v1::AgentMessage beat;
      beat.mutable_heartbeat()->set_jobs_running(run.outstanding());
      run.Write(beat);
    }
  });

  bool ended_cleanly = false;
  while (stream->Read(&in)) {
    if (in.has_end_of_jobs()) {
      ended_cleanly = true;
      break;
    }
    if (in.has_cancel()) {
      run.cancelled.Notify();
      continue;
    }
    if (!in.has_job()) continue;
    if (in.job().agent_credentials()) {
      absl::Status filled =
          options_.credentials != nullptr
              ? options_.credentials->Fill(in.mutable_job())
              : absl::NotFoundError("this agent was started without --credentials");
      if (!filled.ok()) {
        v1::AgentMessage out;
        *out.mutable_result() = FailedResult(
            in.job().job_id(), DeviceFailure(v1::AUTH_FAILED, v1::STAGE_AUTH, std::string(filled.message())));
        out.mutable_result()->set_agent(options_.name);
        run.Write(out);
        continue;
      }
    }
    run.JobStarted();
    pool_.Schedule([this, &run, &spec, job = in.job()] {
      // Large outputs stream as they arrive; the blocking Write holds the
      // session back while the coordinator catches up, bounding memory.
      OutputSpill spill = [&run, id = job.job_id()](int index, std::string data) {
        v1::AgentMessage chunk;
        chunk.mutable_output_chunk()->set_job_id(id);
        chunk.mutable_output_chunk()->set_output_index(index);
        chunk.mutable_output_chunk()->set_data(std::move(data));
        run.Write(chunk);
      };
      v1::AgentMessage out;
      *out.mutable_result() = run.cancelled.HasBeenNotified()
                                  ? FailedResult(job.job_id(),
                                                 DeviceFailure(v1::CANCELLED, v1::STAGE_DISPATCH,
                                                               "run cancelled before the device "
                                                               "started"))
                                  : run_job_(spec, job, spill, &run.cancelled);
      out.mutable_result()->set_agent(options_.name);
      run.Write(out);
      run.JobFinished();
    });
  }
  if ((!ended_cleanly || context->IsCancelled()) && !run.cancelled.HasBeenNotified()) {
    run.cancelled.Notify();
  }
  run.AwaitIdle();  // workers hold references to `run` and `spec`
  {
    MutexLock lock(&mu_);
    streams_.erase(&run);
  }
  run.finished.Notify();
  heartbeat.join();
  return grpc::Status::OK;
}

grpc::Status AgentService::Info(grpc::ServerContext*, const v1::InfoRequest*,
                                v1::InfoResponse* response) {
  response->set_name(options_.name);
  response->set_version(kVersion);
  for (const std::string& segment : options_.segments) response->add_segments(segment);
  response->set_capacity(options_.workers);
  response->set_jobs_running(pool_.running());
  response->set_jobs_queued(pool_.queued());
  return grpc::Status::OK;
}

void AgentService::BeginDrain() {
  MutexLock lock(&mu_);
  draining_ = true;
  v1::AgentMessage draining;
  draining.mutable_draining();
  for (RunStream* run : streams_) run->Write(draining);
}

}  // namespace netshard
