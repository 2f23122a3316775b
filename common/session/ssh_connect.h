// An authenticated libssh session to one SSH server: connect with a timeout,
// check the host key against a policy, log in. Shared by device sessions
// and the jump hosts in front of them.
#ifndef NETSHARD_COMMON_SESSION_SSH_CONNECT_H_
#define NETSHARD_COMMON_SESSION_SSH_CONNECT_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "netshard/v1/agent.pb.h"

struct ssh_session_struct;
struct ssh_channel_struct;

namespace netshard {

class CancelToken;

// Frees a session, first taking its socket off the cancel token watching it.
// Frees a session and closes the socket it was given (libssh 0.10 leaves a
// socket set with SSH_OPTIONS_FD open, except on error paths where it closes
// it itself: `inode` tells whether the fd still is that socket).
struct SshSessionDeleter {
  CancelToken* cancel = nullptr;
  int fd = -1;
  uint64_t inode = 0;
  void operator()(ssh_session_struct* session) const;
};
using SshSessionPtr = std::unique_ptr<ssh_session_struct, SshSessionDeleter>;

struct SshEndpoint {
  std::string host;
  int port = 22;
  std::string username;
  std::string password;        // password and keyboard-interactive answers
  std::string key_file;        // private key; tried before the password
  std::string key_passphrase;  // "": the key is not encrypted
  bool use_keys = false;       // also ssh-agent and the default ~/.ssh keys
  v1::Algorithms algorithms;   // empty lists: libssh's defaults
  std::string source_address;  // local address to connect from; "": any
};

struct HostKeyCheck {
  v1::HostKeyPolicy policy = v1::HOST_KEY_ACCEPT_NEW;
  std::string known_hosts_file;  // "": ~/.ssh/known_hosts
};

// Connects (over `socket_fd` when >= 0, e.g. a tunnel; it is then owned by
// the session), verifies the host key and authenticates. Failures are
// DeviceFailure statuses at STAGE_CONNECT or STAGE_AUTH; `what` prefixes
// their messages ("jump host 127.0.0.9:22: "). From the moment the socket
// exists until the session is freed, `cancel` (if any) can shut it down.
absl::StatusOr<SshSessionPtr> ConnectSsh(const SshEndpoint& endpoint, const HostKeyCheck& check,
                                         absl::Duration connect_timeout,
                                         absl::Duration auth_timeout, int socket_fd,
                                         const std::string& what = "",
                                         CancelToken* cancel = nullptr);

// Copies bytes between `channel` (of `session`) and `fd` until either side
// closes, `idle` passes without traffic, or `*stop` turns true. For tunnels:
// both ends only move bytes, never read them.
void PumpChannel(ssh_session_struct* session, ssh_channel_struct* channel, int fd,
                 absl::Duration idle, const std::atomic<bool>* stop);

}  // namespace netshard

#endif  // NETSHARD_COMMON_SESSION_SSH_CONNECT_H_
