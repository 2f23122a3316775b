// An interactive SSH session with one network device, driven like a person
// at a terminal: PTY shell, prompt, paging off, enable, one command at a
// time, each read until the prompt returns (never a fixed sleep).
#ifndef NETSHARD_COMMON_DEVICE_SESSION_H_
#define NETSHARD_COMMON_DEVICE_SESSION_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/platform.h"
#include "netshard/v1/agent.pb.h"
#include "re2/re2.h"

struct ssh_session_struct;
struct ssh_channel_struct;

namespace netshard {

struct SessionOptions {
  std::string host;
  int port = 22;
  const Platform* platform = nullptr;  // required
  std::string username;
  std::string password;
  std::string secret;    // enable secret; empty: the password is tried
  std::string key_file;  // private key; empty: password authentication
  // Longest any one step (connect, login, prompt, one command) may wait.
  absl::Duration step_timeout = absl::Seconds(30);
  v1::HostKeyPolicy host_key_policy = v1::HOST_KEY_ACCEPT_NEW;
  std::string known_hosts_file;  // "": ~/.ssh/known_hosts
};

// Thread contract: a session is confined to the thread that opened it
// (libssh forbids sharing one); distinct sessions may run in parallel.
// Every failure is a DeviceFailure status (see device_error.h).
class DeviceSession {
 public:
  // Connects, checks the host key, authenticates, opens a shell, finds the prompt, turns paging
  // off and enters privileged mode where the platform has one.
  static absl::StatusOr<std::unique_ptr<DeviceSession>> Open(
      const SessionOptions& options);

  ~DeviceSession();
  DeviceSession(const DeviceSession&) = delete;
  DeviceSession& operator=(const DeviceSession&) = delete;

  // Sends `command` and returns its cleaned output. COMMAND_REJECTED when
  // the device refuses it, COMMAND_TIMEOUT when the prompt does not return.
  absl::StatusOr<std::string> Run(const std::string& command);

 private:
  explicit DeviceSession(const SessionOptions& options);

  absl::Status Connect();
  absl::Status VerifyHostKey();
  absl::Status Authenticate();
  absl::Status OpenShell();
  absl::Status Enable();
  // Sends `line` and Enter.
  absl::Status Send(absl::string_view line);
  absl::Status Write(absl::string_view bytes);
  // Reads until `done()` holds; `timeout_code` if `timeout` runs out, CHANNEL_CLOSED if the device hangs up.
  absl::Status ReadUntil(const std::function<bool()>& done, v1::Stage stage,
                         v1::ErrorCode timeout_code, absl::Duration timeout);
  bool AtPrompt() const;
  bool AtPager() const;

  const SessionOptions options_;
  ssh_session_struct* ssh_ = nullptr;
  ssh_channel_struct* channel_ = nullptr;
  std::string buffer_;  // bytes received since the last command was sent
  std::unique_ptr<RE2> prompt_;  // this device's prompt, once known
  std::string base_name_;
};

}  // namespace netshard

#endif  // NETSHARD_COMMON_DEVICE_SESSION_H_
