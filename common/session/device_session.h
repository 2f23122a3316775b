// An SSH session with one network device. Interactive (the default), it is
// driven like a person at a terminal: PTY shell, prompt, paging off, enable,
// one command at a time, each read until the prompt returns (never a fixed
// sleep). In exec mode each command is an SSH exec read to its end.
#ifndef NETSHARD_COMMON_SESSION_DEVICE_SESSION_H_
#define NETSHARD_COMMON_SESSION_DEVICE_SESSION_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "common/session/jump_tunnel.h"
#include "common/cancel_token.h"
#include "common/platform/platform.h"
#include "common/session/prompt_scanner.h"
#include "common/session/session.h"
#include "common/session/ssh_connect.h"
#include "common/session/terminal_text.h"
#include "netshard/v1/agent.pb.h"
#include "re2/re2.h"

namespace netshard {

struct SessionTimeouts {
  absl::Duration connect = absl::Seconds(30);  // TCP, SSH banner, key exchange
  absl::Duration auth = absl::Seconds(30);
  absl::Duration banner = absl::Seconds(30);   // shell open to first prompt
  absl::Duration command = absl::Seconds(30);  // each command (and setup step)
  absl::Duration device = absl::InfiniteDuration();  // the whole session
};

// Output a session gathers at most unless told otherwise: a `show
// tech-support` of tens of MB fits, a device gone mad does not.
inline constexpr uint64_t kDefaultMaxOutputBytes = uint64_t{256} << 20;

struct SessionOptions {
  SshEndpoint device;
  // Required. The autodetect platform (FindPlatform("autodetect")) makes the
  // session pick one of `detect_candidates` from what the device says.
  const Platform* platform = nullptr;
  std::vector<const Platform*> detect_candidates;
  std::string secret;  // enable secret; empty: the password is tried
  SessionTimeouts timeouts;
  HostKeyCheck host_key;
  std::optional<SshEndpoint> jump_host;  // reach the device through it
  // Once cancelled, the session stops at once with CANCELLED, wherever it
  // is (its socket is shut down). Null: never cancelled. Not owned.
  CancelToken* cancelled = nullptr;
  // Each command over an SSH exec channel on its own connection (many
  // devices end the connection after one exec): no shell, paging or enable.
  bool exec = false;
  // Output (cleaned, every command's together) the session gathers before
  // it stops with OUTPUT_TOO_LARGE, keeping what came up to the cap.
  uint64_t max_output_bytes = kDefaultMaxOutputBytes;
};

// Thread contract: a session is confined to the thread that opened it
// (libssh forbids sharing one); distinct sessions may run in parallel.
// Every failure is a DeviceFailure status (see device_error.h).
class DeviceSession : public Session {
 public:
  // Connects, checks the host key, authenticates, opens a shell, finds the prompt, turns paging
  // off and enters privileged mode where the platform has one.
  static absl::StatusOr<std::unique_ptr<DeviceSession>> Open(const SessionOptions& options);

  ~DeviceSession() override;
  DeviceSession(const DeviceSession&) = delete;
  DeviceSession& operator=(const DeviceSession&) = delete;

  const Platform& platform() const override { return *platform_; }

 private:
  explicit DeviceSession(const SessionOptions& options);

  // Run (session.h) reads each command until the prompt returns or
  // `expect` matches: COMMAND_TIMEOUT when neither comes in time,
  // OUTPUT_TOO_LARGE when the session's output passes
  // options.max_output_bytes. With a sink, memory stays bounded whatever the
  // output's size.
  absl::StatusOr<CommandReply> RunCommand(const std::string& command, const RE2* expect,
                                          v1::Stage stage, const OutputSink* sink,
                                          const std::vector<PlatformAnswer>* answers) override;

  // Through the jump host if any: connected, host key checked, logged in.
  absl::Status Connect();
  absl::Status OpenShell();
  // Learns the device's prompt: the first prompt-shaped last line that the
  // reply to the next thing typed ends with again. Answers login questions.
  absl::Status FindPrompt();
  // Picks the platform from options_.detect_candidates by what the device
  // answers to their detect commands.
  absl::Status Detect();
  // Paging off, setup commands and enable, in the platform's order.
  absl::Status Prepare();
  // Sends each of `commands`, reading each to the prompt; refusals ignored.
  absl::Status SendSetup(const std::vector<std::string>& commands);
  // Runs `command` as an exec, its cleaned lines to cleaner_.
  absl::Status RunExec(const std::string& command, v1::Stage stage,
                       std::optional<std::string>* rejection);
  // Sends `command` and reads its reply to the prompt (or `expect`).
  absl::Status ReadReply(const std::string& command, const RE2* expect, v1::Stage stage,
                         const std::vector<PlatformAnswer>* answers);
  absl::Status Enable();
  // Sends `line` and Enter.
  absl::Status Send(absl::string_view line);
  absl::Status Write(absl::string_view bytes);
  // Reads until `done()` holds; `timeout_code` if `timeout` (or the device
  // deadline) runs out, or `until` comes first (the message names
  // `timeout` then too), CHANNEL_CLOSED if the device hangs up (in exec
  // mode the end of the channel sets channel_ended_ instead).
  absl::Status ReadUntil(const std::function<bool()>& done, v1::Stage stage,
                         v1::ErrorCode timeout_code, absl::Duration timeout,
                         absl::Time until = absl::InfiniteFuture());
  // Takes bytes read: to the running command's output, if any.
  void Received(absl::string_view bytes);
  absl::Status OutputTooLarge(v1::Stage stage) const;
  // Reads what the device still sends until it is quiet for a moment
  // (bounded: a few seconds at most).
  absl::Status ReadUntilQuiet(v1::Stage stage);
  bool Cancelled() const;
  static absl::Status CancelledAt(v1::Stage stage);
  // At this device's prompt, with nothing more already waiting: a
  // prompt-like line inside the output is followed by more bytes.
  bool AtPrompt() const;
  bool AtPager() const;
  // `text` with the device's password and secret masked, for messages.
  std::string Shown(std::string text) const;
  // The platforms whose pagers and login questions apply now.
  absl::Span<const Platform* const> Sources() const;
  // Whatever is left of `timeout` before the whole-device deadline.
  absl::Duration Within(absl::Duration timeout) const;

  const SessionOptions options_;
  const absl::Time deadline_;
  const Platform* platform_;
  // Declared before ssh_, so the device session closes before its tunnel.
  std::unique_ptr<JumpTunnel> tunnel_;
  SshSessionPtr ssh_;
  ssh_channel_struct* channel_ = nullptr;
  // The last line of what the device sent since the last thing was typed.
  PromptScanner scanner_;
  std::unique_ptr<OutputCleaner> cleaner_;  // the running command's
  bool saw_newline_ = false;  // the running command's reply has a newline
  int prompt_like_lines_ = 0;  // its complete lines that look like the prompt
  uint64_t output_bytes_ = 0;  // output gathered, all commands together
  bool output_cut_ = false;    // some was dropped: max_output_bytes reached
  bool channel_ended_ = false;  // exec: the device sent the end of the output
  bool connection_used_ = false;  // exec: a command ran on this connection
  std::unique_ptr<DevicePrompt> prompt_;  // this device's prompt, once known
  std::string prompt_line_;  // as learned, for a platform found later
  bool paging_sent_ = false;  // the first paging command confirmed the prompt
};

}  // namespace netshard

#endif  // NETSHARD_COMMON_SESSION_DEVICE_SESSION_H_
