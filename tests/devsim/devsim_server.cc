#include "tests/devsim/devsim_server.h"

#include <arpa/inet.h>
#include <libssh/libssh.h>
#include <openssl/crypto.h>
#include <libssh/server.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/session/ssh_connect.h"
#include "tests/devsim/simulated_device.h"

namespace netshard::devsim {
namespace {

// Whether `user` is the fleet's login name `name`, perhaps followed by
// options the platform strips (RouterOS: "cisco+cetw511h4098").
bool IsUser(const char* user, const std::string& name, const std::string& option_marks) {
  if (user == nullptr) return false;
  absl::string_view typed(user);
  if (typed == name) return true;
  return typed.size() > name.size() && absl::StartsWith(typed, name) &&
         option_marks.find(typed[name.size()]) != std::string::npos;
}

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

// Whether a publickey request offers `allowed`, and if so whether it is a
// query (STATE_NONE) or a signature that checked out (STATE_VALID).
bool OffersKey(ssh_message message, ssh_key allowed, ssh_publickey_state_e* state) {
  if (allowed == nullptr ||
      ssh_key_cmp(ssh_message_auth_pubkey(message), allowed, SSH_KEY_CMP_PUBLIC) != 0) {
    return false;
  }
  *state = ssh_message_auth_publickey_state(message);
  return true;
}
#pragma GCC diagnostic pop

// The key in `file`, or a new one of `type` saved there ("": not saved).
absl::StatusOr<ssh_key> LoadOrCreateKey(const std::string& file, enum ssh_keytypes_e type,
                                        int bits) {
  ssh_key key = nullptr;
  if (!file.empty() && access(file.c_str(), F_OK) == 0) {
    if (ssh_pki_import_privkey_file(file.c_str(), nullptr, nullptr, nullptr, &key) != SSH_OK) {
      return absl::InvalidArgumentError(
          absl::StrCat("--host-key: ", file, " is not a private key libssh can read"));
    }
    return key;
  }
  if (ssh_pki_generate(type, bits, &key) != SSH_OK) {
    return absl::InternalError("cannot generate a host key");
  }
  if (!file.empty() &&
      ssh_pki_export_privkey_file(key, nullptr, nullptr, nullptr, file.c_str()) != SSH_OK) {
    ssh_key_free(key);
    return absl::InvalidArgumentError(absl::StrCat("--host-key: cannot write ", file));
  }
  return key;
}

// Applies a device's SSH algorithm lists to a session before key exchange.
bool RestrictAlgorithms(ssh_session session, const DeviceBehaviour& b) {
  bool ok = true;
  if (!b.key_exchange.empty()) {
    ok &= ssh_options_set(session, SSH_OPTIONS_KEY_EXCHANGE, b.key_exchange.c_str()) == SSH_OK;
  }
  if (!b.host_key_types.empty()) {
    ok &= ssh_options_set(session, SSH_OPTIONS_HOSTKEYS, b.host_key_types.c_str()) == SSH_OK;
  }
  if (!b.ciphers.empty()) {
    ok &= ssh_options_set(session, SSH_OPTIONS_CIPHERS_C_S, b.ciphers.c_str()) == SSH_OK;
    ok &= ssh_options_set(session, SSH_OPTIONS_CIPHERS_S_C, b.ciphers.c_str()) == SSH_OK;
  }
  return ok;
}

// A TCP connection to `host`:`port`, which must be in 127.0.0.0/8: devsim
// never sends traffic anywhere else. -1 on failure.
int ConnectLoopback(const char* host, int port) {
  in_addr parsed{};
  if (host == nullptr || inet_pton(AF_INET, host, &parsed) != 1 ||
      !IsLoopback(ntohl(parsed.s_addr)) || port <= 0 || port > 65535) {
    return -1;
  }
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr = parsed;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Makes closing `fd` send a TCP reset instead of a clean FIN.
void ResetOnClose(int fd) {
  linger abort{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort, sizeof(abort));
}

// Whether the connection's source address passes the device's allow_from.
bool SourceAllowed(int fd, const DeviceBehaviour& behaviour) {
  if (behaviour.allow_from.empty()) return true;
  sockaddr_in peer{};
  socklen_t len = sizeof(peer);
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &len) != 0) return false;
  uint32_t source = ntohl(peer.sin_addr.s_addr);
  for (auto [first, last] : behaviour.allow_from) {
    if (source >= first && source <= last) return true;
  }
  return false;
}

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
    devices.push_back({FormatAddress(address), absl::StrFormat("sim%d", i + 1), address});
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
  bool wants_rsa = false;
  for (size_t i = 0; i < server->devices_.size(); ++i) {
    const SimulatedAddress& device = server->devices_[i];
    server->index_by_address_[device.host_order] = static_cast<int>(i);
    server->behaviours_.push_back(
        ResolveBehaviour(options.config, static_cast<int>(i) + 1, device.host_order));
    wants_rsa |= absl::StrContains(server->behaviours_.back().host_key_types, "rsa");
  }

  auto key = LoadOrCreateKey(options.host_key_file, SSH_KEYTYPE_ED25519, 0);
  if (!key.ok()) return key.status();
  server->bind_ = ssh_bind_new();
  if (ssh_bind_options_set(server->bind_, SSH_BIND_OPTIONS_IMPORT_KEY, *key) != SSH_OK) {
    ssh_key_free(*key);
    return absl::InternalError("cannot load the host key");
  }
  if (wants_rsa) {
    // Old gear offers only ssh-rsa host keys; made only when a device does.
    auto rsa = LoadOrCreateKey(
        options.host_key_file.empty() ? "" : options.host_key_file + ".rsa", SSH_KEYTYPE_RSA,
        2048);
    if (!rsa.ok()) return rsa.status();
    if (ssh_bind_options_set(server->bind_, SSH_BIND_OPTIONS_IMPORT_KEY, *rsa) != SSH_OK) {
      ssh_key_free(*rsa);
      return absl::InternalError("cannot load the RSA host key");
    }
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
    const DeviceBehaviour& behaviour = behaviours_[device->second];
    if (behaviour.refuse || !SourceAllowed(fd, behaviour)) {
      ResetOnClose(fd);  // as a box with no free VTY line does
      close(fd);
      continue;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    // A device whose key changes gets a fresh key, hence a bind, per connection.
    ssh_bind own_bind = nullptr;
    if (behaviour.changing_host_key) {
      auto key = LoadOrCreateKey("", SSH_KEYTYPE_ED25519, 0);
      own_bind = ssh_bind_new();
      if (!key.ok() || ssh_bind_options_set(own_bind, SSH_BIND_OPTIONS_IMPORT_KEY, *key) != SSH_OK) {
        ssh_bind_free(own_bind);
        close(fd);
        continue;
      }
    }
    ssh_session session = ssh_new();
    if (ssh_bind_accept_fd(own_bind != nullptr ? own_bind : bind_, session, fd) != SSH_OK ||
        !RestrictAlgorithms(session, behaviour)) {
      ssh_free(session);
      if (own_bind != nullptr) ssh_bind_free(own_bind);
      close(fd);
      continue;
    }
    SpawnSession(session, device->second, own_bind);
  }
}

void DevsimServer::SpawnSession(ssh_session session, int device_index, ssh_bind own_bind) {
  struct Start {
    DevsimServer* server;
    ssh_session session;
    int device_index;
    ssh_bind own_bind;
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
  auto* start = new Start{this, session, device_index, own_bind};
  int rc = pthread_create(
      &thread, &attr,
      +[](void* arg) -> void* {
        std::unique_ptr<Start> s(static_cast<Start*>(arg));
        DevsimServer* server = s->server;
        server->Serve(s->session, s->device_index);
        if (s->own_bind != nullptr) ssh_bind_free(s->own_bind);
        s.reset();
        // OpenSSL's per-thread state (its random generator) goes now, not
        // in a thread-exit hook that may run after Stop has returned and
        // the process ended: LeakSanitizer saw it as a leak.
        OPENSSL_thread_stop();
        MutexLock lock(&server->mu_);
        --server->sessions_open_;
        return nullptr;
      },
      start);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    delete start;
    MutexLock lock(&mu_);
    session_fds_.erase(ssh_get_fd(session));
    ssh_free(session);
    if (own_bind != nullptr) ssh_bind_free(own_bind);
    --sessions_open_;
  }
}

void DevsimServer::Pause(absl::Duration delay) const {
  absl::Time end = absl::Now() + delay;
  while (!stopping_.load() && absl::Now() < end) {
    absl::SleepFor(std::min(absl::Milliseconds(20), end - absl::Now()));
  }
}

bool DevsimServer::Authenticate(ssh_session session, const DeviceBehaviour& behaviour) {
  const std::string password = behaviour.password.value_or(options_.password);
  // A box that asks for the login in the shell takes no password over SSH.
  const bool in_shell = behaviour.platform->ssh_auth_none;
  const bool password_auth = behaviour.password_auth && !in_shell;
  const bool keyboard_interactive_auth = behaviour.keyboard_interactive_auth && !in_shell;
  int methods = (password_auth ? SSH_AUTH_METHOD_PASSWORD : 0) |
                (keyboard_interactive_auth ? SSH_AUTH_METHOD_INTERACTIVE : 0);
  ssh_key allowed = nullptr;
  if (!behaviour.authorized_key.empty() &&
      ssh_pki_import_pubkey_file(behaviour.authorized_key.c_str(), &allowed) == SSH_OK) {
    methods |= SSH_AUTH_METHOD_PUBLICKEY;
  }
  int failures = 0;
  std::string interactive_user;
  bool ok = AwaitMessage(session, [&](ssh_message m) {
    if (ssh_message_type(m) != SSH_REQUEST_AUTH) return Reply::kDefault;
    const char* user = ssh_message_auth_user(m);
    bool user_ok = IsUser(user, options_.username, behaviour.platform->username_options);
    bool success = false;
    switch (ssh_message_subtype(m)) {
      case SSH_AUTH_METHOD_PASSWORD:
        success = password_auth && user_ok && MessagePassword(m) == password;
        break;
      case SSH_AUTH_METHOD_INTERACTIVE:
        if (!keyboard_interactive_auth) break;
        if (!ssh_message_auth_kbdint_is_response(m)) {
          // A TACACS-style single "Password:" question.
          interactive_user = user_ok ? user : "";
          const char* prompts[] = {"Password: "};
          char echo[] = {0};
          ssh_message_auth_interactive_request(m, "", "", 1, prompts, echo);
          return Reply::kAnswered;
        }
        success = !interactive_user.empty() && ssh_userauth_kbdint_getnanswers(session) == 1 &&
                  password == ssh_userauth_kbdint_getanswer(session, 0);
        break;
      case SSH_AUTH_METHOD_PUBLICKEY: {
        ssh_publickey_state_e state = SSH_PUBLICKEY_STATE_ERROR;
        if (!user_ok || !OffersKey(m, allowed, &state)) break;
        if (state == SSH_PUBLICKEY_STATE_NONE) {
          ssh_message_auth_reply_pk_ok_simple(m);
          return Reply::kAnswered;
        }
        success = state == SSH_PUBLICKEY_STATE_VALID;
        break;
      }
      case SSH_AUTH_METHOD_NONE:
        // Either the client asks which methods exist, or (a box that asks
        // in the shell) this is the login; the shell checks the user.
        success = in_shell;
        break;
      default:
        break;
    }
    if (success) {
      ssh_message_auth_reply_success(m, 0);
      return Reply::kDone;
    }
    if (ssh_message_subtype(m) != SSH_AUTH_METHOD_NONE && ++failures >= kMaxAuthAttempts) {
      ssh_disconnect(session);
    }
    ssh_message_auth_set_methods(m, methods);
    return Reply::kDefault;
  });
  ssh_key_free(allowed);
  return ok;
}

void DevsimServer::Serve(ssh_session session, int device_index) {
  const SimulatedAddress& where = devices_[device_index];
  const DeviceBehaviour& behaviour = behaviours_[device_index];
  int fd = ssh_get_fd(session);
  long timeout_s = absl::ToInt64Seconds(options_.idle_timeout);
  ssh_options_set(session, SSH_OPTIONS_TIMEOUT, &timeout_s);
  ssh_channel channel = nullptr;
  bool shell = false;
  std::string exec_command;
  int forward_fd = -1;

  Pause(behaviour.banner_delay);
  bool ok = !stopping_.load() && ssh_handle_key_exchange(session) == SSH_OK &&
            Authenticate(session, behaviour);
  ok = ok && AwaitMessage(session, [&](ssh_message m) {
    if (ssh_message_type(m) != SSH_REQUEST_CHANNEL_OPEN) return Reply::kDefault;
    if (ssh_message_subtype(m) == SSH_CHANNEL_DIRECT_TCPIP && behaviour.jump_host) {
      forward_fd = ConnectLoopback(ssh_message_channel_request_open_destination(m),
                                   ssh_message_channel_request_open_destination_port(m));
      if (forward_fd < 0) return Reply::kDefault;
    } else if (ssh_message_subtype(m) != SSH_CHANNEL_SESSION) {
      return Reply::kDefault;
    }
    channel = ssh_message_channel_request_open_reply_accept(m);
    return channel != nullptr ? Reply::kDone : Reply::kAnswered;
  });
  ok = ok && (forward_fd >= 0 || AwaitMessage(session, [&](ssh_message m) {
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
  }));

  bool dropped = false;
  if (ok && forward_fd >= 0) {
    PumpChannel(session, channel, forward_fd, options_.idle_timeout, &stopping_);
  } else if (ok) {
    DeviceProfile profile;
    profile.hostname = where.hostname;
    profile.address = where.address;
    profile.username = options_.username;
    profile.password = behaviour.password.value_or(options_.password);
    profile.secret = behaviour.secret.value_or(options_.secret);
    profile.platform = behaviour.platform;
    profile.pager_ignores_terminal_length = behaviour.pager_ignores_terminal_length;
    profile.hang_after_login = behaviour.hang_after_login;
    profile.drop_mid_command = behaviour.drop_mid_command;
    if (behaviour.tech_support_bytes) profile.tech_support_bytes = *behaviour.tech_support_bytes;
    SimulatedDevice device(std::move(profile));
    if (!shell) {
      Pause(options_.latency + behaviour.command_delay);
      std::string out = device.Execute(exec_command);
      ssh_channel_write(channel, out.data(), out.size());
      ssh_channel_request_send_exit_status(channel, 0);
    } else {
      std::string greeting = device.Greeting();
      ssh_channel_write(channel, greeting.data(), greeting.size());
      char buffer[4096];
      int idle_ms = static_cast<int>(absl::ToInt64Milliseconds(options_.idle_timeout));
      while (!device.closed() && !stopping_.load()) {
        int n = ssh_channel_read_timeout(channel, buffer, sizeof(buffer), 0, idle_ms);
        if (n <= 0) break;  // error, EOF or an idle client
        int commands_before = device.commands_run();
        int outputs_before = device.outputs_sent();
        std::string out = device.Type(absl::string_view(buffer, n));
        if (device.commands_run() != commands_before) Pause(options_.latency);
        if (device.outputs_sent() != outputs_before) Pause(behaviour.command_delay);
        if (!out.empty() && ssh_channel_write(channel, out.data(), out.size()) == SSH_ERROR) break;
      }
      dropped = device.dropped();
    }
  }
  if (ok && !dropped) {
    ssh_channel_send_eof(channel);
    // After an exec, as sshd does, let the client close its side first and
    // then say goodbye: OpenSSH's client exits 255 ("Broken pipe") when its
    // close or disconnect meets a socket the server already tore down.
    for (int i = 0; !shell && i < 20 && !ssh_channel_is_closed(channel); ++i) {
      char ignored[256];
      if (ssh_channel_read_timeout(channel, ignored, sizeof(ignored), 0, 100) < 0) break;
    }
    ssh_channel_close(channel);
    // Then wait (bounded) for it to hang up, reading what it still says, so
    // closing our socket never resets one it is writing its goodbye to.
    absl::Time until = absl::Now() + absl::Seconds(1);
    while (!shell && absl::Now() < until) {
      pollfd goodbye = {fd, POLLIN, 0};
      if (poll(&goodbye, 1, 100) <= 0) continue;
      char ignored[512];
      if (recv(fd, ignored, sizeof(ignored), 0) <= 0) break;
    }
  }
  if (forward_fd >= 0) close(forward_fd);
  {
    // Forget the socket before it closes, so Stop never touches a reused fd.
    MutexLock lock(&mu_);
    session_fds_.erase(fd);
  }
  // The channel belongs to the session, which frees it. A dropped session
  // just loses its socket, as when a box reloads mid-command.
  if (dropped) {
    ResetOnClose(fd);  // ssh_free closes it
  } else {
    ssh_disconnect(session);
  }
  ssh_free(session);
}

}  // namespace netshard::devsim
