#include "common/ssh_connect.h"

#include <libssh/libssh.h>
#include <poll.h>
#include <unistd.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/device_error.h"
#include "common/mutex.h"
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

absl::Status VerifyHostKey(ssh_session ssh, const SshEndpoint& endpoint,
                           const HostKeyCheck& check, const std::string& what) {
  if (check.policy == v1::HOST_KEY_OFF) return absl::OkStatus();
  std::string where = absl::StrCat(endpoint.host, ":", endpoint.port);
  std::string file =
      check.known_hosts_file.empty() ? "~/.ssh/known_hosts" : check.known_hosts_file;
  switch (ssh_session_is_known_server(ssh)) {
    case SSH_KNOWN_HOSTS_OK:
      return absl::OkStatus();
    case SSH_KNOWN_HOSTS_CHANGED:
    case SSH_KNOWN_HOSTS_OTHER:
      return DeviceFailure(
          v1::HOST_KEY_MISMATCH, v1::STAGE_CONNECT,
          absl::StrCat(what, "host key of ", where, " differs from the one in ", file,
                       ": possible man-in-the-middle; if the device was replaced, remove "
                       "its old entry"));
    case SSH_KNOWN_HOSTS_UNKNOWN:
    case SSH_KNOWN_HOSTS_NOT_FOUND:
      break;
    default:
      return DeviceFailure(v1::HOST_KEY_UNKNOWN, v1::STAGE_CONNECT,
                           absl::StrCat(what, "cannot check the host key of ", where,
                                        " against ", file, ": ", ssh_get_error(ssh)));
  }
  if (check.policy == v1::HOST_KEY_STRICT) {
    return DeviceFailure(v1::HOST_KEY_UNKNOWN, v1::STAGE_CONNECT,
                         absl::StrCat(what, "host key of ", where, " is not in ", file,
                                      " (strict host key policy)"));
  }
  // Sessions run in parallel; appends to the shared file go one at a time.
  static Mutex* known_hosts_mu = new Mutex;
  MutexLock lock(known_hosts_mu);
  if (ssh_session_update_known_hosts(ssh) != SSH_OK) {
    return DeviceFailure(v1::HOST_KEY_UNKNOWN, v1::STAGE_CONNECT,
                         absl::StrCat(what, "cannot remember the host key of ", where, " in ",
                                      file, ": ", ssh_get_error(ssh)));
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
  ssh_disconnect(session);
  ssh_free(session);
}

absl::StatusOr<SshSessionPtr> ConnectSsh(const SshEndpoint& endpoint, const HostKeyCheck& check,
                                         absl::Duration connect_timeout,
                                         absl::Duration auth_timeout, int socket_fd,
                                         const std::string& what) {
  SshSessionPtr ssh(ssh_new());
  if (ssh == nullptr) {
    if (socket_fd >= 0) close(socket_fd);
    return DeviceFailure(v1::INTERNAL, v1::STAGE_CONNECT, "ssh_new failed");
  }
  unsigned int port = endpoint.port;
  int nodelay = 1;
  bool process_config = false;  // ~/.ssh/config must not change behaviour
  ssh_options_set(ssh.get(), SSH_OPTIONS_HOST, endpoint.host.c_str());
  ssh_options_set(ssh.get(), SSH_OPTIONS_PORT, &port);
  ssh_options_set(ssh.get(), SSH_OPTIONS_USER, endpoint.username.c_str());
  ssh_options_set(ssh.get(), SSH_OPTIONS_NODELAY, &nodelay);
  ssh_options_set(ssh.get(), SSH_OPTIONS_PROCESS_CONFIG, &process_config);
  if (!endpoint.source_address.empty()) {
    ssh_options_set(ssh.get(), SSH_OPTIONS_BINDADDR, endpoint.source_address.c_str());
  }
  if (socket_fd >= 0) {
    socket_t fd = socket_fd;
    ssh_options_set(ssh.get(), SSH_OPTIONS_FD, &fd);
  }
  if (!check.known_hosts_file.empty()) {
    ssh_options_set(ssh.get(), SSH_OPTIONS_KNOWNHOSTS, check.known_hosts_file.c_str());
  }
  RETURN_IF_ERROR(SetAlgorithms(ssh.get(), endpoint.algorithms, what));
  SetTimeout(ssh.get(), connect_timeout);
  if (ssh_connect(ssh.get()) != SSH_OK) return ConnectError(what, ssh_get_error(ssh.get()));
  RETURN_IF_ERROR(VerifyHostKey(ssh.get(), endpoint, check, what));
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
    int n = ssh_channel_read_nonblocking(channel, buffer, sizeof(buffer), 0);
    if (n == SSH_ERROR || (n == 0 && ssh_channel_is_eof(channel))) return;
    for (int sent = 0; sent < n;) {
      ssize_t w = write(fd, buffer + sent, n - sent);
      if (w <= 0) return;
      sent += static_cast<int>(w);
    }
    if (moved || n > 0) last_traffic = absl::Now();
  }
}

}  // namespace netshard
