#include "agent/agent_service.h"

#include <thread>

#include "absl/strings/str_cat.h"

#include "common/device_error.h"
#include "common/cancel_token.h"
#include "common/mutex.h"
#include "common/version.h"

namespace netshard {

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
  // A failed stream (its coordinator stopped reading, or is gone) cancels
  // its jobs: their results would go nowhere.
  RunStream(Stream* stream, grpc::ServerContext* context, OutboxLimits limits)
      : outbox(stream, [context] { context->TryCancel(); }, limits,
               [this](const std::string&) { cancelled.Cancel(); }) {}

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
  CancelToken cancelled;
  Notification finished;
  StreamOutbox outbox;  // after `cancelled`, which it uses

 private:
  Mutex mu_;
  int outstanding_ ABSL_GUARDED_BY(mu_) = 0;
};

AgentService::AgentService(AgentOptions options, JobFunction run_job)
    : options_(std::move(options)),
      run_job_(std::move(run_job)),
      metrics_(options_.workers),
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
  RunStream run(stream, context, options_.outbox);
  v1::AgentMessage hello;
  hello.mutable_hello()->set_agent_name(options_.name);
  hello.mutable_hello()->set_capacity(options_.workers);
  hello.mutable_hello()->set_version(Version());
  for (const std::string& segment : options_.segments) hello.mutable_hello()->add_segments(segment);
  run.outbox.Send(std::move(hello));
  if (options_.log != nullptr) {
    options_.log->Log(LogLevel::kInfo, "run_start",
                      {{"run", spec.run_id()}, {"coordinator", context->peer()}});
  }
  {
    MutexLock lock(&mu_);
    streams_.insert(&run);
    if (draining_) {
      v1::AgentMessage draining;
      draining.mutable_draining();
      run.outbox.Send(std::move(draining));
    }
  }

  std::thread heartbeat([this, &run] {
    while (!run.finished.WaitForNotificationWithTimeout(options_.heartbeat)) {
      run.outbox.CheckStall();
      // A stream with messages on their way needs no heartbeat, and one
      // that stopped moving must not pile them up.
      if (!run.outbox.Idle()) continue;
      v1::AgentMessage beat;
      beat.mutable_heartbeat()->set_jobs_running(run.outstanding());
      run.outbox.Send(std::move(beat));
    }
  });

  bool ended_cleanly = false;
  while (stream->Read(&in)) {
    if (in.has_end_of_jobs()) {
      ended_cleanly = true;
      break;
    }
    if (in.has_cancel()) {
      run.cancelled.Cancel();
      continue;
    }
    if (in.has_job()) Accept(run, spec, std::move(*in.mutable_job()));
  }
  bool lost = !ended_cleanly || context->IsCancelled();
  if (lost && !run.cancelled.cancelled()) run.cancelled.Cancel();
  run.AwaitIdle();  // workers hold references to `run` and `spec`
  run.outbox.Close();
  if (options_.log != nullptr) {
    std::string failure = run.outbox.failure();
    options_.log->Log(lost || !failure.empty() ? LogLevel::kWarn : LogLevel::kInfo, "run_end",
                      {{"run", spec.run_id()},
                       {"ended", !failure.empty()            ? failure
                                 : lost                      ? "coordinator gone"
                                 : run.cancelled.cancelled() ? "cancelled"
                                                             : "done"}});
  }
  {
    MutexLock lock(&mu_);
    streams_.erase(&run);
  }
  run.finished.Notify();
  heartbeat.join();
  return grpc::Status::OK;
}

void AgentService::Log(LogLevel level, absl::string_view event, const v1::RunSpec& spec,
                       const v1::Job& job, const v1::DeviceResult* result) {
  if (options_.log == nullptr || !options_.log->enabled(level)) return;
  if (result == nullptr) {
    options_.log->Log(level, event, {{"run", spec.run_id()}, {"device", job.name()},
                                     {"host", absl::StrCat(job.host(), ":", job.port())}});
    return;
  }
  const v1::DeviceError& error = result->error();
  options_.log->Log(level, event,
                    {{"run", spec.run_id()},
                     {"device", job.name()},
                     {"code", result->has_error() ? v1::ErrorCode_Name(error.code()) : "OK"},
                     {"stage", result->has_error() ? v1::Stage_Name(error.stage()) : ""},
                     {"elapsed_ms", absl::StrCat(result->elapsed_ms())},
                     {"message", error.message()}});
}

void AgentService::Send(RunStream& run, const v1::RunSpec& spec, const v1::Job& job,
                        v1::DeviceResult result, bool ran) {
  result.set_agent(options_.name);
  metrics_.ResultSent(result, ran);
  Log(result.has_error() ? LogLevel::kInfo : LogLevel::kDebug, "job_done", spec, job, &result);
  v1::AgentMessage out;
  *out.mutable_result() = std::move(result);
  run.outbox.Send(std::move(out));
}

void AgentService::Accept(RunStream& run, const v1::RunSpec& spec, v1::Job job) {
  if (job.agent_credentials()) {
    absl::Status filled = options_.credentials != nullptr
                              ? options_.credentials->Fill(&job)
                              : absl::NotFoundError("this agent was started without --credentials");
    if (!filled.ok()) {
      Send(run, spec, job,
           FailedResult(job.job_id(), DeviceFailure(v1::AUTH_FAILED, v1::STAGE_AUTH,
                                                    std::string(filled.message()))),
           /*ran=*/false);
      return;
    }
  }
  run.JobStarted();
  metrics_.JobQueued();
  pool_.Schedule([this, &run, &spec, job = std::move(job)] {
    metrics_.JobStarted();
    // Large outputs stream as they arrive; waiting for room holds the
    // session back while a slow link catches up, bounding memory.
    OutputSpill spill = [this, &run, id = job.job_id()](int index, std::string data) {
      metrics_.OutputStreamed(data.size());
      run.outbox.AwaitRoom();
      v1::AgentMessage chunk;
      chunk.mutable_output_chunk()->set_job_id(id);
      chunk.mutable_output_chunk()->set_output_index(index);
      chunk.mutable_output_chunk()->set_data(std::move(data));
      run.outbox.Send(std::move(chunk));
    };
    Log(LogLevel::kDebug, "job_start", spec, job, nullptr);
    Send(run, spec, job,
         run.cancelled.cancelled()
             ? FailedResult(job.job_id(), DeviceFailure(v1::CANCELLED, v1::STAGE_DISPATCH,
                                                        "run cancelled before the device started"))
             : run_job_(spec, job, spill, &run.cancelled),
         /*ran=*/true);
    run.JobFinished();
  });
}

grpc::Status AgentService::Info(grpc::ServerContext*, const v1::InfoRequest*,
                                v1::InfoResponse* response) {
  response->set_name(options_.name);
  response->set_version(Version());
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
  for (RunStream* run : streams_) run->outbox.Send(draining);  // never blocks
}

}  // namespace netshard
