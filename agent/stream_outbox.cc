#include "agent/stream_outbox.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace netshard {

StreamOutbox::StreamOutbox(Stream* stream, std::function<void()> cancel, OutboxLimits limits,
                           std::function<void(const std::string& why)> on_failure)
    : stream_(stream),
      cancel_(std::move(cancel)),
      limits_(limits),
      on_failure_(std::move(on_failure)),
      writer_([this] { Write(); }) {}

StreamOutbox::~StreamOutbox() { Close(); }

bool StreamOutbox::Send(v1::AgentMessage message) {
  MutexLock lock(&mu_);
  if (closing_ || !failure_.empty()) return false;
  bytes_ += message.ByteSizeLong();
  queue_.push_back(std::move(message));
  if (bytes_ > limits_.max_bytes) {
    FailLocked(absl::StrCat("the coordinator is not reading: ", bytes_ >> 20,
                            " MiB unsent, more than the limit of ", limits_.max_bytes >> 20,
                            " MiB"));
    return false;
  }
  return true;
}

bool StreamOutbox::AwaitRoom() {
  MutexLock lock(&mu_);
  mu_.Await([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return bytes_ <= limits_.room_bytes || !failure_.empty() || closing_;
  });
  return failure_.empty() && !closing_;
}

bool StreamOutbox::Idle() {
  MutexLock lock(&mu_);
  return bytes_ == 0;
}

void StreamOutbox::CheckStall() {
  MutexLock lock(&mu_);
  if (failure_.empty() && absl::Now() - writing_since_ > limits_.stall) {
    FailLocked(absl::StrCat("the coordinator has not read for ",
                            absl::FormatDuration(limits_.stall)));
  }
}

void StreamOutbox::Close() {
  {
    MutexLock lock(&mu_);
    closing_ = true;
    bool sent = mu_.AwaitWithTimeout(
        [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return bytes_ == 0 || !failure_.empty(); },
        limits_.stall);
    if (!sent) FailLocked("the coordinator did not take the run's last messages");
  }
  if (writer_.joinable()) writer_.join();
}

std::string StreamOutbox::failure() {
  MutexLock lock(&mu_);
  return failure_;
}

void StreamOutbox::Write() {
  while (true) {
    v1::AgentMessage message;
    size_t size = 0;
    {
      MutexLock lock(&mu_);
      mu_.Await([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return !queue_.empty() || closing_ || !failure_.empty();
      });
      if (!failure_.empty() || queue_.empty()) return;  // failed, or closed and sent
      message = std::move(queue_.front());
      queue_.pop_front();
      size = message.ByteSizeLong();
      writing_since_ = absl::Now();
    }
    bool written = stream_->Write(message);
    MutexLock lock(&mu_);
    writing_since_ = absl::InfiniteFuture();
    bytes_ -= std::min(bytes_, size);
    if (!written && failure_.empty()) FailLocked("the coordinator is gone");
  }
}

void StreamOutbox::FailLocked(std::string why) {
  failure_ = std::move(why);
  queue_.clear();
  bytes_ = 0;
  cancel_();
  if (on_failure_) on_failure_(failure_);
}

}  // namespace netshard
