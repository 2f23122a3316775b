#include "tests/devsim/devsim_server.h"

#include <arpa/inet.h>
#include <libssh/libssh.h>
#include <libssh/server.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "tests/devsim/simulated_device.h"

namespace netshard::devsim {
namespace {

constexpr size_t kSessionStack = 512 << 10;
constexpr int kMaxAuthAttempts = 6;

bool IsLoopback(uint32_t host_order) { return (host_order >> 24) == 127; }

std::string FormatAddress(uint32_t host_order) {
  return absl::StrFormat("%d.%d.%d.%d", host_order >> 24, (host_order >> 16) & 255,
                         (host_order >> 8) & 255, host_order & 255);
}

// What a message handler did with a message.
enum class Reply { kDefault, kAnswered, kDone };

// Runs libssh's blocking message loop until `handle` is done; messages it
// leaves get libssh's default (refusing) reply. Bounded: a client that
// chatters without progressing is dropped.
template <typename F>
bool AwaitMessage(ssh_session session, F handle) {
  for (int i = 0; i < 64; ++i) {
    ssh_message message = ssh_message_get(session);
    if (message == nullptr) return false;
    Reply reply = handle(message);
    if (reply == Reply::kDefault) ssh_message_reply_default(message);
    ssh_message_free(message);
    if (reply == Reply::kDone) return true;
  }
  return false;
}

// libssh 0.10 marks the message API deprecated in favour of server
// callbacks, yet it is the documented way to run one blocking session per
// thread, which is what devsim does.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
std::string MessagePassword(ssh_message message) {
  const char* password = ssh_message_auth_password(message);
  return password == nullptr ? "" : password;
}
#pragma GCC diagnostic pop

}  // namespace

absl::StatusOr<std::vector<SimulatedAddress>> PlanFleet(const std::string& first,
                                                        int count) {
  in_addr parsed{};
  if (inet_pton(AF_INET, first.c_str(), &parsed) != 1) {
    return absl::InvalidArgumentError(absl::StrCat("--first-address: not an IPv4 address: ", first));
  }
  uint32_t address = ntohl(parsed.s_addr);
  std::vector<SimulatedAddress> devices;
  for (int i = 0; i < count; ++address) {
    if (!IsLoopback(address) || address == 0x7FFFFFFF) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--first-address/--count: the fleet must stay inside 127.0.0.0/8; ",
          first, " + ", count, " does not"));
    }
    uint32_t last_octet = address & 255;
    if (last_octet == 0 || last_octet == 255) continue;
    devices.push_back({FormatAddress(address), absl::StrFormat("sim%d", i + 1)});
    ++i;
  }
  return devices;
}

absl::StatusOr<std::unique_ptr<DevsimServer>> DevsimServer::Start(
    const FleetOptions& options) {
  std::unique_ptr<DevsimServer> server(new DevsimServer());
  server->options_ = options;
  auto devices = PlanFleet(options.first_address, options.count);
  if (!devices.ok()) return devices.status();
  server->devices_ = *std::move(devices);
  for (size_t i = 0; i < server->devices_.size(); ++i) {
    in_addr parsed{};
    inet_pton(AF_INET, server->devices_[i].address.c_str(), &parsed);
    server->index_by_address_[ntohl(parsed.s_addr)] = static_cast<int>(i);
  }

  ssh_key key = nullptr;
  const std::string& key_file = options.host_key_file;
  if (key_file.empty() || access(key_file.c_str(), F_OK) != 0) {
    if (ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &key) != SSH_OK) {
      return absl::InternalError("cannot generate a host key");
    }
    if (!key_file.empty() &&
        ssh_pki_export_privkey_file(key, nullptr, nullptr, nullptr, key_file.c_str()) != SSH_OK) {
      ssh_key_free(key);
      return absl::InvalidArgumentError(absl::StrCat("--host-key: cannot write ", key_file));
    }
  } else if (ssh_pki_import_privkey_file(key_file.c_str(), nullptr, nullptr, nullptr, &key) !=
             SSH_OK) {
    return absl::InvalidArgumentError(
        absl::StrCat("--host-key: ", key_file, " is not a private key libssh can read"));
  }
  server->bind_ = ssh_bind_new();
  if (ssh_bind_options_set(server->bind_, SSH_BIND_OPTIONS_IMPORT_KEY, key) != SSH_OK) {
    ssh_key_free(key);
    return absl::InternalError("cannot load the host key");
  }

  // One socket for every address: bound to the wildcard but tied to the
  // loopback interface, so only 127.0.0.0/8 traffic ever reaches it.
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  const char kLoopbackDevice[] = "lo";
  setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, kLoopbackDevice, sizeof(kLoopbackDevice));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(options.port));
  addr.sin_addr.s_addr = htonl(INADDR_ANY);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(fd, 4096) != 0) {
    std::string error = strerror(errno);
    close(fd);
    return absl::UnavailableError(absl::StrCat("cannot listen on port ", options.port, ": ", error));
  }
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  server->listen_fd_ = fd;
  server->port_ = ntohs(addr.sin_port);
  server->acceptor_ = std::thread([s = server.get()] { s->AcceptLoop(); });
  return server;
}

DevsimServer::~DevsimServer() {
  Stop();
  if (bind_ != nullptr) ssh_bind_free(bind_);
}

void DevsimServer::Stop() {
  if (stopping_.exchange(true)) return;
  shutdown(listen_fd_, SHUT_RDWR);
  if (acceptor_.joinable()) acceptor_.join();
  close(listen_fd_);
  MutexLock lock(&mu_);
  for (int fd : session_fds_) shutdown(fd, SHUT_RDWR);
  mu_.AwaitWithTimeout([this] { return sessions_open_.load() == 0; }, absl::Seconds(10));
}

void DevsimServer::AcceptLoop() {
  while (!stopping_.load()) {
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE) continue;
      return;  // the listening socket was shut down
    }
    sockaddr_in local{};
    socklen_t len = sizeof(local);
    getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len);
    uint32_t address = ntohl(local.sin_addr.s_addr);
    auto device = index_by_address_.find(address);
    if (!IsLoopback(address) || device == index_by_address_.end()) {
      close(fd);  // no simulated device lives at this address
      continue;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    ssh_session session = ssh_new();
    if (ssh_bind_accept_fd(bind_, session, fd) != SSH_OK) {
      ssh_free(session);
      close(fd);
      continue;
    }
    SpawnSession(session, device->second);
  }
}

void DevsimServer::SpawnSession(ssh_session session, int device_index) {
  struct Start {
    DevsimServer* server;
    ssh_session session;
    int device_index;
  };
  {
    MutexLock lock(&mu_);
    session_fds_.insert(ssh_get_fd(session));
  }
  int open = ++sessions_open_;
  for (int peak = peak_sessions_.load();
       open > peak && !peak_sessions_.compare_exchange_weak(peak, open);) {
  }
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, kSessionStack);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_t thread;
  auto* start = new Start{this, session, device_index};
  int rc = pthread_create(
      &thread, &attr,
      +[](void* arg) -> void* {
        std::unique_ptr<Start> s(static_cast<Start*>(arg));
        s->server->Serve(s->session, s->device_index);
        return nullptr;
      },
      start);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    delete start;
    MutexLock lock(&mu_);
    session_fds_.erase(ssh_get_fd(session));
    ssh_free(session);
    --sessions_open_;
  }
}

void DevsimServer::Serve(ssh_session session, int device_index) {
  const SimulatedAddress& where = devices_[device_index];
  int fd = ssh_get_fd(session);
  long timeout_s = absl::ToInt64Seconds(options_.idle_timeout);
  ssh_options_set(session, SSH_OPTIONS_TIMEOUT, &timeout_s);
  ssh_channel channel = nullptr;
  bool shell = false;
  std::string exec_command;

  bool ok = ssh_handle_key_exchange(session) == SSH_OK;
  int attempts = 0;
  ok = ok && AwaitMessage(session, [&](ssh_message m) {
    if (ssh_message_type(m) != SSH_REQUEST_AUTH) return Reply::kDefault;
    bool password = ssh_message_subtype(m) == SSH_AUTH_METHOD_PASSWORD;
    if (password && options_.username == ssh_message_auth_user(m) &&
        options_.password == MessagePassword(m)) {
      ssh_message_auth_reply_success(m, 0);
      return Reply::kDone;
    }
    if (password && ++attempts >= kMaxAuthAttempts) ssh_disconnect(session);
    ssh_message_auth_set_methods(m, SSH_AUTH_METHOD_PASSWORD);
    return Reply::kDefault;
  });
  ok = ok && AwaitMessage(session, [&](ssh_message m) {
    if (ssh_message_type(m) != SSH_REQUEST_CHANNEL_OPEN ||
        ssh_message_subtype(m) != SSH_CHANNEL_SESSION) {
      return Reply::kDefault;
    }
    channel = ssh_message_channel_request_open_reply_accept(m);
    return channel != nullptr ? Reply::kDone : Reply::kAnswered;
  });
  ok = ok && AwaitMessage(session, [&](ssh_message m) {
    if (ssh_message_type(m) != SSH_REQUEST_CHANNEL) return Reply::kDefault;
    switch (ssh_message_subtype(m)) {
      case SSH_CHANNEL_REQUEST_PTY:
      case SSH_CHANNEL_REQUEST_ENV:
      case SSH_CHANNEL_REQUEST_WINDOW_CHANGE:
        ssh_message_channel_request_reply_success(m);
        return Reply::kAnswered;
      case SSH_CHANNEL_REQUEST_SHELL:
        shell = true;
        ssh_message_channel_request_reply_success(m);
        return Reply::kDone;
      case SSH_CHANNEL_REQUEST_EXEC:
        exec_command = ssh_message_channel_request_command(m);
        ssh_message_channel_request_reply_success(m);
        return Reply::kDone;
      default:
        return Reply::kDefault;
    }
  });

  if (ok) {
    SimulatedDevice device({where.hostname, where.address, options_.secret,
                            options_.pager_ignores_terminal_length});
    if (!shell) {
      absl::SleepFor(options_.latency);
      std::string out = device.Execute(exec_command);
      ssh_channel_write(channel, out.data(), out.size());
      ssh_channel_request_send_exit_status(channel, 0);
    } else {
      std::string greeting = device.Greeting();
      ssh_channel_write(channel, greeting.data(), greeting.size());
      char buffer[4096];
      int idle_ms = static_cast<int>(absl::ToInt64Milliseconds(options_.idle_timeout));
      while (!device.closed()) {
        int n = ssh_channel_read_timeout(channel, buffer, sizeof(buffer), 0, idle_ms);
        if (n <= 0) break;  // error, EOF or an idle client
        int before = device.commands_run();
        std::string out = device.Type(absl::string_view(buffer, n));
        if (device.commands_run() != before) absl::SleepFor(options_.latency);
        if (!out.empty() && ssh_channel_write(channel, out.data(), out.size()) == SSH_ERROR) break;
      }
    }
    ssh_channel_send_eof(channel);
    ssh_channel_close(channel);
  }
  {
    // Forget the socket before it closes, so Stop never touches a reused fd.
    MutexLock lock(&mu_);
    session_fds_.erase(fd);
  }
  // The channel belongs to the session, which frees it.
  ssh_disconnect(session);
  ssh_free(session);
  MutexLock lock(&mu_);
  --sessions_open_;
}

}  // namespace netshard::devsim
