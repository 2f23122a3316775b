// One Run stream's sending side. Workers, the heartbeat and SIGTERM's drain
// notice enqueue and return at once; one writer thread keeps one Write in
// flight. So a coordinator that stops reading (SIGSTOP, a hung host) pins
// no worker: its stream is bounded by memory and by time, then cancelled,
// while every other stream on the agent keeps its full speed.
#ifndef NETSHARD_AGENT_STREAM_OUTBOX_H_
#define NETSHARD_AGENT_STREAM_OUTBOX_H_

#include <cstddef>
#include <deque>
#include <functional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"
#include "common/mutex.h"
#include "grpcpp/support/sync_stream.h"
#include "netshard/v1/agent.pb.h"

namespace netshard {

struct OutboxLimits {
  // Unsent bytes past this fail the stream: the coordinator is not reading.
  size_t max_bytes = size_t{128} << 20;
  // Bulk output (AwaitRoom) waits while more than this is unsent, so a slow
  // link slows the sessions feeding it instead of failing the stream.
  size_t room_bytes = size_t{16} << 20;
  // One Write taking longer than this fails the stream.
  absl::Duration stall = absl::Seconds(60);
};

// Thread-safe.
class StreamOutbox {
 public:
  using Stream = grpc::internal::WriterInterface<v1::AgentMessage>;

  // When the stream fails, `cancel` is called (the RPC's TryCancel, which
  // unblocks the Write in flight and the stream's reader), then
  // `on_failure` with why; once, under the outbox's lock.
  StreamOutbox(Stream* stream, std::function<void()> cancel, OutboxLimits limits,
               std::function<void(const std::string& why)> on_failure);
  // Close().
  ~StreamOutbox();

  // Queues `message`; false once the stream has failed or closed.
  bool Send(v1::AgentMessage message);

  // Waits until at most room_bytes are unsent (true) or the stream failed.
  bool AwaitRoom();

  // Nothing unsent and no Write in flight.
  bool Idle();

  // Fails the stream if one Write has been in flight longer than the stall
  // limit. Called periodically (the heartbeat does).
  void CheckStall();

  // Sends what is queued, waiting at most the stall limit, then stops the
  // writer. Sends after this are refused.
  void Close();

  // Why the stream failed; "" if it has not.
  std::string failure();

 private:
  void Write();
  void FailLocked(std::string why) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  Stream* const stream_;
  const std::function<void()> cancel_;
  const OutboxLimits limits_;
  const std::function<void(const std::string&)> on_failure_;
  Mutex mu_;
  std::deque<v1::AgentMessage> queue_ ABSL_GUARDED_BY(mu_);
  size_t bytes_ ABSL_GUARDED_BY(mu_) = 0;  // queued and in flight
  // When the Write in flight began; InfiniteFuture: none is.
  absl::Time writing_since_ ABSL_GUARDED_BY(mu_) = absl::InfiniteFuture();
  bool closing_ ABSL_GUARDED_BY(mu_) = false;
  std::string failure_ ABSL_GUARDED_BY(mu_);
  std::thread writer_;  // last: started once the rest exists
};

}  // namespace netshard

#endif  // NETSHARD_AGENT_STREAM_OUTBOX_H_
