// A TCP stream to a device through a bastion: SSH to the jump host, open a
// direct-tcpip channel to the device, and hand the device's SSH session a
// local socket whose bytes a pump thread carries over that channel.
#ifndef NETSHARD_COMMON_SESSION_JUMP_TUNNEL_H_
#define NETSHARD_COMMON_SESSION_JUMP_TUNNEL_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/session/ssh_connect.h"

namespace netshard {

// Thread contract: created and destroyed by the device session's thread;
// its pump thread alone touches the bastion session after Open.
class JumpTunnel {
 public:
  static absl::StatusOr<std::unique_ptr<JumpTunnel>> Open(
      const SshEndpoint& bastion, const HostKeyCheck& check, absl::Duration connect_timeout,
      absl::Duration auth_timeout, const std::string& host, int port, absl::Duration idle);
  ~JumpTunnel();
  JumpTunnel(const JumpTunnel&) = delete;
  JumpTunnel& operator=(const JumpTunnel&) = delete;

  // The local end for the device's SSH session; the caller owns it.
  int TakeDeviceSocket();

 private:
  JumpTunnel() = default;

  SshSessionPtr bastion_;
  ssh_channel_struct* channel_ = nullptr;
  int pump_socket_ = -1;
  int device_socket_ = -1;
  std::atomic<bool> stop_{false};
  std::thread pump_;
};

}  // namespace netshard

#endif  // NETSHARD_COMMON_SESSION_JUMP_TUNNEL_H_
