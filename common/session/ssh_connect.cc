#include "common/session/ssh_connect.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <libssh/libssh.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/cancel_token.h"
#include "common/device_error.h"
#include "common/session/known_hosts.h"
#include "common/status_macros.h"

namespace netshard {
namespace {

absl::Status ConnectError(const std::string& what, absl::string_view detail) {
  std::string message = absl::StrCat(what, detail);
  // A reset before the SSH banner is a device turning us away (no free
  // VTY line, an ACL), as good as a refusal.
  if (absl::StrContains(detail, "refused") || absl::StrContains(detail, "reset by peer")) {
    return DeviceFailure(v1::CONNECT_REFUSED, v1::STAGE_CONNECT, message);
  }
  if (absl::StrContains(detail, "imeout") || absl::StrContains(detail, "timed out")) {
    return DeviceFailure(v1::CONNECT_TIMEOUT, v1::STAGE_CONNECT, message);
  }
  return DeviceFailure(v1::CONNECT_FAILED, v1::STAGE_CONNECT, message);
}

// Binds `fd` (of `family`) to `source`, a numeric address.
bool BindSource(int fd, int family, const std::string& source) {
  sockaddr_storage address{};
  socklen_t length = 0;
  if (family == AF_INET) {
    auto* in = reinterpret_cast<sockaddr_in*>(&address);
    in->sin_family = AF_INET;
    if (inet_pton(AF_INET, source.c_str(), &in->sin_addr) != 1) return false;
    length = sizeof(*in);
  } else {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&address);
    in6->sin6_family = AF_INET6;
    if (inet_pton(AF_INET6, source.c_str(), &in6->sin6_addr) != 1) return false;
    length = sizeof(*in6);
  }
  return bind(fd, reinterpret_cast<sockaddr*>(&address), length) == 0;
}

// A TCP connection to the endpoint within `timeout`, tried address by
// address. Ours rather than libssh's, so `cancel` watches the socket from
// the start (libssh's own connect cannot be interrupted).
absl::StatusOr<int> ConnectTcp(const SshEndpoint& endpoint, absl::Duration timeout,
                               CancelToken* cancel, const std::string& what) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  // An address needs no resolver, nor its interface scan per call.
  in6_addr parsed;
  if (inet_pton(AF_INET, endpoint.host.c_str(), &parsed) == 1 ||
      inet_pton(AF_INET6, endpoint.host.c_str(), &parsed) == 1) {
    hints.ai_flags |= AI_NUMERICHOST;
  }
  addrinfo* found = nullptr;
  std::string port = std::to_string(endpoint.port);
  if (int rc = getaddrinfo(endpoint.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    return ConnectError(what, absl::StrCat("cannot resolve ", endpoint.host, ": ",
                                           gai_strerror(rc)));
  }
  absl::Time deadline = absl::Now() + timeout;
  std::string error = "no address";
  int connected = -1;
  for (addrinfo* at = found; at != nullptr && connected < 0; at = at->ai_next) {
    int fd = socket(at->ai_family, at->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                    at->ai_protocol);
    if (fd < 0) {
      error = std::strerror(errno);
      continue;
    }
    if (cancel != nullptr) cancel->Watch(fd);
    int code = 0;
    if (!endpoint.source_address.empty() &&
        !BindSource(fd, at->ai_family, endpoint.source_address)) {
      code = errno != 0 ? errno : EINVAL;
      error = absl::StrCat("cannot bind source address ", endpoint.source_address, ": ",
                           std::strerror(code));
    } else if (connect(fd, at->ai_addr, at->ai_addrlen) != 0 && errno != EINPROGRESS) {
      code = errno;
      error = std::strerror(code);
    } else {
      pollfd wait = {fd, POLLOUT, 0};
      int ready = -1;
      do {
        int64_t ms = std::max<int64_t>(0, absl::ToInt64Milliseconds(deadline - absl::Now()));
        ready = poll(&wait, 1, static_cast<int>(std::min<int64_t>(ms, 1 << 30)));
      } while (ready < 0 && errno == EINTR);
      socklen_t length = sizeof(code);
      if (ready == 0) {
        code = ETIMEDOUT;
      } else if (ready < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length) != 0) {
        code = errno;
      } else if (code == 0 && (wait.revents & (POLLERR | POLLHUP)) != 0) {
        code = ECONNABORTED;  // shut down by a cancel
      }
      if (code != 0) error = std::strerror(code);
    }
    if (code != 0) {
      if (cancel != nullptr) cancel->Unwatch(fd);
      close(fd);
      if (code == ETIMEDOUT) break;  // the time is spent, whatever address is next
      continue;
    }
    // Left non-blocking, as libssh's own connect leaves its sockets.
    int nodelay = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &nodelay, sizeof(nodelay));
    connected = fd;
  }
  freeaddrinfo(found);
  if (connected < 0) return ConnectError(what, absl::StrCat("connect to ", endpoint.host, ":",
                                                            endpoint.port, ": ", error));
  return connected;
}

void SetTimeout(ssh_session ssh, absl::Duration timeout) {
  int64_t us = std::max<int64_t>(absl::ToInt64Microseconds(timeout), 1000);
  long seconds = us / 1000000;
  long rest_us = us % 1000000;
  ssh_options_set(ssh, SSH_OPTIONS_TIMEOUT, &seconds);
  ssh_options_set(ssh, SSH_OPTIONS_TIMEOUT_USEC, &rest_us);
}

absl::Status SetAlgorithms(ssh_session ssh, const v1::Algorithms& algorithms,
                           const std::string& what) {
  struct List {
    const std::string& value;
    std::vector<ssh_options_e> options;
    const char* field;
  };
  const List lists[] = {
      {algorithms.key_exchange(), {SSH_OPTIONS_KEY_EXCHANGE}, "kex"},
      // A host key type old gear signs with is also what it accepts for
      // public keys.
      {algorithms.host_keys(), {SSH_OPTIONS_HOSTKEYS, SSH_OPTIONS_PUBLICKEY_ACCEPTED_TYPES},
       "host_key_algorithms"},
      {algorithms.ciphers(), {SSH_OPTIONS_CIPHERS_C_S, SSH_OPTIONS_CIPHERS_S_C}, "ciphers"},
  };
  for (const List& list : lists) {
    if (list.value.empty()) continue;
    for (ssh_options_e option : list.options) {
      if (ssh_options_set(ssh, option, list.value.c_str()) != SSH_OK) {
        return DeviceFailure(v1::CONNECT_FAILED, v1::STAGE_CONNECT,
                             absl::StrCat(what, list.field, " '", list.value,
                                          "': no algorithm this SSH library supports"));
      }
    }
  }
  return absl::OkStatus();
}

// libssh's host key algorithms when none are configured, in its order.
constexpr char kDefaultHostKeyAlgorithms[] =
    "ssh-ed25519,ecdsa-sha2-nistp521,ecdsa-sha2-nistp384,ecdsa-sha2-nistp256,"
    "sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256";

// Offers first the key types known for the host, as libssh (and OpenSSH)
// would when reading known_hosts themselves: a device with several host
// keys then shows the one remembered.
void PreferKnownHostKeys(ssh_session ssh, KnownHosts& known, const SshEndpoint& endpoint) {
  if (!endpoint.algorithms.host_keys().empty()) return;  // the user's list rules
  std::vector<std::string> types = known.KnownTypes(endpoint.host, endpoint.port);
  if (types.empty()) return;
  std::string preferred;
  for (const std::string& type : types) {
    absl::StrAppend(&preferred, type == "ssh-rsa" ? "rsa-sha2-512,rsa-sha2-256" : type, ",");
  }
  absl::StrAppend(&preferred, kDefaultHostKeyAlgorithms);
  ssh_options_set(ssh, SSH_OPTIONS_HOSTKEYS, preferred.c_str());
}

absl::StatusOr<HostKey> ServerHostKey(ssh_session ssh) {
  ssh_key key = nullptr;
  if (ssh_get_server_publickey(ssh, &key) != SSH_OK) {
    return absl::InternalError(ssh_get_error(ssh));
  }
  char* base64 = nullptr;
  int rc = ssh_pki_export_pubkey_base64(key, &base64);
  HostKey host_key;
  if (rc == SSH_OK) host_key = {ssh_key_type_to_char(ssh_key_type(key)), base64};
  ssh_string_free_char(base64);
  ssh_key_free(key);
  if (rc != SSH_OK) return absl::InternalError("cannot encode the server's host key");
  return host_key;
}

absl::Status VerifyHostKey(ssh_session ssh, KnownHosts& known, const SshEndpoint& endpoint,
                           const HostKeyCheck& check, const std::string& what) {
  std::string where = absl::StrCat(endpoint.host, ":", endpoint.port);
  auto cannot_check = [&](absl::string_view detail) {
    return DeviceFailure(v1::HOST_KEY_UNKNOWN, v1::STAGE_CONNECT,
                         absl::StrCat(what, "cannot check the host key of ", where, " against ",
                                      known.path(), ": ", detail));
  };
  absl::StatusOr<HostKey> key = ServerHostKey(ssh);
  if (!key.ok()) return cannot_check(key.status().message());
  absl::StatusOr<KnownHosts::Verdict> verdict = known.Check(endpoint.host, endpoint.port, *key);
  if (!verdict.ok()) return cannot_check(verdict.status().message());
  switch (*verdict) {
    case KnownHosts::Verdict::kKnown:
      return absl::OkStatus();
    case KnownHosts::Verdict::kRevoked:
      return DeviceFailure(v1::HOST_KEY_MISMATCH, v1::STAGE_CONNECT,
                           absl::StrCat(what, "host key of ", where, " is marked @revoked in ",
                                        known.path()));
    case KnownHosts::Verdict::kChanged:
    case KnownHosts::Verdict::kOtherType:
      return DeviceFailure(
          v1::HOST_KEY_MISMATCH, v1::STAGE_CONNECT,
          absl::StrCat(what, "host key of ", where, " differs from the one in ", known.path(),
                       ": possible man-in-the-middle; if the device was replaced, remove "
                       "its old entry"));
    case KnownHosts::Verdict::kUnknown:
      break;
  }
  if (check.policy == v1::HOST_KEY_STRICT) {
    return DeviceFailure(v1::HOST_KEY_UNKNOWN, v1::STAGE_CONNECT,
                         absl::StrCat(what, "host key of ", where, " is not in ", known.path(),
                                      " (strict host key policy)"));
  }
  absl::Status remembered = known.Remember(endpoint.host, endpoint.port, *key);
  if (!remembered.ok()) {
    return DeviceFailure(v1::HOST_KEY_UNKNOWN, v1::STAGE_CONNECT,
                         absl::StrCat(what, "cannot remember the host key of ", where, ": ",
                                      remembered.message()));
  }
  return absl::OkStatus();
}

int KeyboardInteractive(ssh_session ssh, const std::string& password) {
  // TACACS setups ask "Password:" here; the password answers each prompt.
  int rc = ssh_userauth_kbdint(ssh, nullptr, nullptr);
  for (int round = 0; rc == SSH_AUTH_INFO && round < 8; ++round) {
    int prompts = ssh_userauth_kbdint_getnprompts(ssh);
    for (int i = 0; i < prompts; ++i) {
      ssh_userauth_kbdint_setanswer(ssh, i, password.c_str());
    }
    rc = ssh_userauth_kbdint(ssh, nullptr, nullptr);
  }
  return rc;
}

absl::Status Authenticate(ssh_session ssh, const SshEndpoint& endpoint, const std::string& what) {
  int rc = SSH_AUTH_DENIED;
  if (!endpoint.key_file.empty()) {
    ssh_key key = nullptr;
    const char* passphrase =
        endpoint.key_passphrase.empty() ? nullptr : endpoint.key_passphrase.c_str();
    if (ssh_pki_import_privkey_file(endpoint.key_file.c_str(), passphrase, nullptr, nullptr,
                                    &key) != SSH_OK) {
      return DeviceFailure(v1::AUTH_FAILED, v1::STAGE_AUTH,
                           absl::StrCat(what, "cannot read private key ", endpoint.key_file,
                                        passphrase == nullptr
                                            ? " (encrypted? give its passphrase)"
                                            : " (wrong passphrase?)"));
    }
    rc = ssh_userauth_publickey(ssh, nullptr, key);
    ssh_key_free(key);
  }
  if (rc == SSH_AUTH_DENIED && endpoint.use_keys) {
    const char* passphrase =
        endpoint.key_passphrase.empty() ? nullptr : endpoint.key_passphrase.c_str();
    rc = ssh_userauth_publickey_auto(ssh, nullptr, passphrase);
  }
  if (rc == SSH_AUTH_DENIED && !endpoint.password.empty()) {
    rc = ssh_userauth_password(ssh, nullptr, endpoint.password.c_str());
    if (rc == SSH_AUTH_DENIED && (ssh_userauth_list(ssh, nullptr) & SSH_AUTH_METHOD_INTERACTIVE)) {
      rc = KeyboardInteractive(ssh, endpoint.password);
    }
  }
  // Some boxes (PowerConnect, Calix) take the SSH login with no credentials
  // and ask for them inside the shell: tried last, it costs others nothing.
  if (rc == SSH_AUTH_DENIED) rc = ssh_userauth_none(ssh, nullptr);
  if (rc == SSH_AUTH_SUCCESS) return absl::OkStatus();
  if (rc == SSH_AUTH_ERROR) {
    std::string detail = ssh_get_error(ssh);
    bool timed_out = absl::StrContains(detail, "imeout");
    return DeviceFailure(timed_out ? v1::AUTH_FAILED : v1::CHANNEL_CLOSED, v1::STAGE_AUTH,
                         absl::StrCat(what, "authentication aborted: ", detail));
  }
  return DeviceFailure(v1::AUTH_FAILED, v1::STAGE_AUTH,
                       absl::StrCat(what, "authentication failed for user '",
                                    endpoint.username, "'"));
}

}  // namespace

void SshSessionDeleter::operator()(ssh_session_struct* session) const {
  if (cancel != nullptr && fd >= 0) cancel->Unwatch(fd);
  ssh_disconnect(session);
  ssh_free(session);
  struct stat now;
  if (fd >= 0 && fstat(fd, &now) == 0 && now.st_ino == inode) close(fd);
}

absl::StatusOr<SshSessionPtr> ConnectSsh(const SshEndpoint& endpoint, const HostKeyCheck& check,
                                         absl::Duration connect_timeout,
                                         absl::Duration auth_timeout, int socket_fd,
                                         const std::string& what, CancelToken* cancel) {
  SshSessionPtr ssh(ssh_new());
  if (ssh == nullptr) {
    if (socket_fd >= 0) close(socket_fd);
    return DeviceFailure(v1::INTERNAL, v1::STAGE_CONNECT, "ssh_new failed");
  }
  absl::Time connect_deadline = absl::Now() + connect_timeout;
  if (socket_fd < 0) {
    ASSIGN_OR_RETURN(socket_fd, ConnectTcp(endpoint, connect_timeout, cancel, what));
  } else if (cancel != nullptr) {
    cancel->Watch(socket_fd);
  }
  // From here the session owns the socket and, when freed, unwatches it.
  struct stat given;
  uint64_t inode = fstat(socket_fd, &given) == 0 ? given.st_ino : 0;
  ssh.get_deleter() = SshSessionDeleter{cancel, socket_fd, inode};
  unsigned int port = endpoint.port;
  int nodelay = 1;
  bool process_config = false;  // ~/.ssh/config must not change behaviour
  ssh_options_set(ssh.get(), SSH_OPTIONS_HOST, endpoint.host.c_str());
  ssh_options_set(ssh.get(), SSH_OPTIONS_PORT, &port);
  ssh_options_set(ssh.get(), SSH_OPTIONS_USER, endpoint.username.c_str());
  ssh_options_set(ssh.get(), SSH_OPTIONS_NODELAY, &nodelay);
  ssh_options_set(ssh.get(), SSH_OPTIONS_PROCESS_CONFIG, &process_config);
  socket_t fd = socket_fd;
  ssh_options_set(ssh.get(), SSH_OPTIONS_FD, &fd);
  // Host keys are checked against KnownHosts; libssh must not read the
  // files itself (it would, for every session).
  ssh_options_set(ssh.get(), SSH_OPTIONS_KNOWNHOSTS, "/dev/null");
  ssh_options_set(ssh.get(), SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null");
  RETURN_IF_ERROR(SetAlgorithms(ssh.get(), endpoint.algorithms, what));
  KnownHosts* known = nullptr;
  if (check.policy != v1::HOST_KEY_OFF) {
    known = &KnownHosts::ForFile(check.known_hosts_file);
    PreferKnownHostKeys(ssh.get(), *known, endpoint);
  }
  SetTimeout(ssh.get(), connect_deadline - absl::Now());  // the key exchange: what is left
  if (ssh_connect(ssh.get()) != SSH_OK) return ConnectError(what, ssh_get_error(ssh.get()));
  if (known != nullptr) RETURN_IF_ERROR(VerifyHostKey(ssh.get(), *known, endpoint, check, what));
  SetTimeout(ssh.get(), auth_timeout);
  RETURN_IF_ERROR(Authenticate(ssh.get(), endpoint, what));
  return ssh;
}

void PumpChannel(ssh_session_struct* session, ssh_channel_struct* channel, int fd,
                 absl::Duration idle, const std::atomic<bool>* stop) {
  char buffer[16384];
  absl::Time last_traffic = absl::Now();
  while (!stop->load() && absl::Now() - last_traffic < idle) {
    pollfd fds[2] = {{fd, POLLIN, 0}, {ssh_get_fd(session), POLLIN, 0}};
    poll(fds, 2, 10);
    bool moved = false;
    if (fds[0].revents != 0) {
      ssize_t n = read(fd, buffer, sizeof(buffer));
      if (n <= 0 || ssh_channel_write(channel, buffer, n) != n) return;
      moved = true;
    }
    // Once the far end sent EOF (a device resetting its end of a tunnel)
    // libssh returns SSH_EOF, not 0, and never reads the socket again: only
    // `idle` would end the pump.
    int n = ssh_channel_read_nonblocking(channel, buffer, sizeof(buffer), 0);
    if (n < 0 || (n == 0 && ssh_channel_is_eof(channel))) return;
    for (int sent = 0; sent < n;) {
      ssize_t w = write(fd, buffer + sent, n - sent);
      if (w <= 0) return;
      sent += static_cast<int>(w);
    }
    if (moved || n > 0) last_traffic = absl::Now();
  }
}

}  // namespace netshard
