#include "coordinator/dispatch/agent_stream.h"

#include <atomic>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/session/device_session.h"
#include "common/mutex.h"
#include "coordinator/dispatch/agent_channel.h"
#include "coordinator/dispatch/result_assembly.h"
#include "absl/time/clock.h"

namespace netshard {
namespace {

using Stream =
    grpc::ClientReaderWriterInterface<v1::CoordinatorMessage, v1::AgentMessage>;

// The stream's writing side, shared by the stream's own thread and the
// watchdog (which sends a CancelRun): gRPC allows one Write at a time.
class StreamWriter {
 public:
  explicit StreamWriter(Stream* stream) : stream_(stream) {}
  bool Write(const v1::CoordinatorMessage& message) {
    MutexLock lock(&mu_);
    return !closed_ && stream_->Write(message);
  }
  // No more writes: the stream is about to finish.
  void Stop() {
    MutexLock lock(&mu_);
    closed_ = true;
  }
  // Sends `message` as the last one.
  void Close(const v1::CoordinatorMessage& message) {
    MutexLock lock(&mu_);
    if (closed_) return;
    closed_ = true;
    stream_->Write(message);
    stream_->WritesDone();
  }

 private:
  Stream* const stream_;
  Mutex mu_;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

// Cancels the stream when the agent stays silent too long; a blocked Read
// or Write then returns, so a hung agent can never hang the run. Also
// passes the run's cancellation on to the agent.
class SilenceWatchdog {
 public:
  SilenceWatchdog(grpc::ClientContext* context, absl::Duration limit, CancelToken* cancel,
                  StreamWriter* writer)
      : context_(context),
        limit_(limit),
        cancel_(cancel),
        writer_(writer),
        last_heard_ns_(absl::GetCurrentTimeNanos()) {
    thread_ = std::thread([this] { Watch(); });
  }
  ~SilenceWatchdog() {
    stop_.Notify();
    thread_.join();
  }
  void Heard() { last_heard_ns_.store(absl::GetCurrentTimeNanos()); }
  // While we wait for work of our own, the agent owes us nothing.
  void SetIdle(bool idle) {
    Heard();
    idle_.store(idle);
  }
  bool fired() const { return fired_.load(); }

 private:
  void Watch() {
    absl::Duration tick = std::min(limit_ / 4, absl::Milliseconds(250));
    bool cancel_sent = false;
    while (!stop_.WaitForNotificationWithTimeout(tick)) {
      if (!cancel_sent && cancel_ != nullptr && cancel_->cancelled()) {
        cancel_sent = true;
        v1::CoordinatorMessage message;
        message.mutable_cancel()->set_reason("run cancelled by the user");
        writer_->Write(message);
      }
      if (!idle_.load() &&
          absl::Nanoseconds(absl::GetCurrentTimeNanos() - last_heard_ns_.load()) > limit_) {
        fired_ = true;
        context_->TryCancel();
        return;
      }
    }
  }

  grpc::ClientContext* const context_;
  const absl::Duration limit_;
  CancelToken* const cancel_;
  StreamWriter* const writer_;
  std::atomic<int64_t> last_heard_ns_;
  std::atomic<bool> fired_{false};
  std::atomic<bool> idle_{false};
  Notification stop_;
  std::thread thread_;
};

}  // namespace

void RunAgentStream(v1::Agent::StubInterface* stub, const v1::RunSpec& spec,
                    const AgentStreamOptions& options, JobTable* table) {
  grpc::ClientContext context;
  std::unique_ptr<Stream> stream = stub->Run(&context);
  StreamWriter writer(stream.get());
  SilenceWatchdog watchdog(&context, options.silence_timeout, options.cancel, &writer);
  std::set<uint64_t> in_flight;
  ResultAssemblyLimits limits;
  // A device may send up to the run's cap (and the platform's framing
  // beside it); past that, the agent is at fault.
  uint64_t cap = spec.max_output_bytes() != 0 ? spec.max_output_bytes() : kDefaultMaxOutputBytes;
  limits.max_job_bytes = std::max(limits.max_job_bytes, cap + (uint64_t{1} << 20));
  ResultAssembly assembly(limits);  // chunks of outputs still arriving
  std::string lost_why;
  v1::CoordinatorMessage out;
  v1::AgentMessage in;

  *out.mutable_spec() = spec;
  size_t credit = 0;
  std::optional<Segments> segments;
  if (!writer.Write(out) || !stream->Read(&in) || !in.has_hello()) {
    lost_why = "no hello";
  } else {
    watchdog.Heard();
    credit = in.hello().capacity() + options.prefetch;
    segments = options.segments ? *options.segments
                                : Segments(in.hello().segments().begin(),
                                           in.hello().segments().end());
    table->Announce(&*segments);
  }
  while (lost_why.empty()) {
    while (in_flight.size() < credit) {
      std::optional<v1::Job> job = table->TryTake(&*segments);
      if (!job) break;
      in_flight.insert(job->job_id());
      *out.mutable_job() = *std::move(job);
      if (!writer.Write(out)) {
        lost_why = "write failed";
        break;
      }
    }
    if (!lost_why.empty()) break;
    if (in_flight.empty()) {
      // Idle: wait for work (another agent's lost jobs) or the run's end.
      watchdog.SetIdle(true);
      bool more = credit > 0 && table->AwaitWorkOrDone(&*segments);
      watchdog.SetIdle(false);
      if (more) continue;
      out.mutable_end_of_jobs();
      writer.Close(out);
      // Heartbeats sent while we idled are still unread, and Finish waits
      // for them to be read: drain until the agent closes its side.
      while (stream->Read(&in)) watchdog.Heard();
      break;
    }
    if (!stream->Read(&in)) {
      lost_why = "stream ended";
      break;
    }
    watchdog.Heard();
    if (in.has_output_chunk()) {
      if (in_flight.count(in.output_chunk().job_id()) == 1) {
        assembly.AddChunk(std::move(*in.mutable_output_chunk()));
      }
    } else if (in.has_result()) {
      // Only a job this stream sent: a confused agent cannot complete (and so
      // steal) another agent's job.
      if (in_flight.erase(in.result().job_id()) == 1) {
        if (!options.name.empty()) in.mutable_result()->set_agent(options.name);
        table->Complete(assembly.Complete(std::move(*in.mutable_result())));
      }
    } else if (in.has_draining()) {
      credit = 0;  // finish what it holds, send it nothing new
    }
  }
  writer.Stop();
  grpc::Status status = stream->Finish();
  std::string why;
  if (!lost_why.empty()) {
    why = absl::StrCat("agent ", options.address, " lost (", lost_why,
                       watchdog.fired() ? ", silent too long" : "", ": ",
                       DescribeAgentError(status, options.tls), ")");
    table->Requeue(std::vector<uint64_t>(in_flight.begin(), in_flight.end()), why);
    if (options.on_event) {
      options.on_event(absl::StrCat(why, "; ", in_flight.size(),
                                    " jobs it held go back to the queue"));
    }
  } else {
    why = absl::StrCat("agent ", options.address, " stopped taking jobs");
  }
  table->TakerGone(segments ? std::optional<const Segments*>(&*segments) : std::nullopt, why);
}

}  // namespace netshard
