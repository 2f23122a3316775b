#include "common/session/jump_tunnel.h"

#include <libssh/libssh.h>
#include <sys/socket.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "common/device_error.h"

namespace netshard {

absl::StatusOr<std::unique_ptr<JumpTunnel>> JumpTunnel::Open(
    const SshEndpoint& bastion, const HostKeyCheck& check, absl::Duration connect_timeout,
    absl::Duration auth_timeout, const std::string& host, int port, absl::Duration idle) {
  std::string what = absl::StrCat("jump host ", bastion.host, ":", bastion.port, ": ");
  std::unique_ptr<JumpTunnel> tunnel(new JumpTunnel());
  auto session = ConnectSsh(bastion, check, connect_timeout, auth_timeout, -1, what);
  if (!session.ok()) return session.status();
  tunnel->bastion_ = *std::move(session);
  tunnel->channel_ = ssh_channel_new(tunnel->bastion_.get());
  if (tunnel->channel_ == nullptr ||
      ssh_channel_open_forward(tunnel->channel_, host.c_str(), port, "127.0.0.1", 0) != SSH_OK) {
    return DeviceFailure(v1::CONNECT_FAILED, v1::STAGE_CONNECT,
                         absl::StrCat(what, "cannot reach ", host, ":", port, " through it: ",
                                      ssh_get_error(tunnel->bastion_.get())));
  }
  int sockets[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets) != 0) {
    return DeviceFailure(v1::INTERNAL, v1::STAGE_CONNECT, "socketpair failed");
  }
  tunnel->pump_socket_ = sockets[0];
  tunnel->device_socket_ = sockets[1];
  JumpTunnel* t = tunnel.get();
  tunnel->pump_ = std::thread([t, idle] {
    PumpChannel(t->bastion_.get(), t->channel_, t->pump_socket_, idle, &t->stop_);
    // The device session sees the stream end.
    shutdown(t->pump_socket_, SHUT_RDWR);
  });
  return tunnel;
}

JumpTunnel::~JumpTunnel() {
  stop_.store(true);
  if (pump_.joinable()) pump_.join();
  if (channel_ != nullptr) {
    ssh_channel_close(channel_);
    ssh_channel_free(channel_);
  }
  if (pump_socket_ >= 0) close(pump_socket_);
  if (device_socket_ >= 0) close(device_socket_);
}

int JumpTunnel::TakeDeviceSocket() {
  int fd = device_socket_;
  device_socket_ = -1;
  return fd;
}

}  // namespace netshard
