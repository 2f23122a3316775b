#include "common/device_session.h"

#include <libssh/libssh.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/device_error.h"
#include "common/mutex.h"
#include "common/status_macros.h"
#include "common/terminal_text.h"

namespace netshard {
namespace {

// A device that floods us past this is cut off rather than exhausting memory.
constexpr size_t kMaxCommandOutput = 256 << 20;
// A wide terminal keeps devices from wrapping long lines.
constexpr int kTerminalColumns = 511;
constexpr int kTerminalRows = 24;
// How long to wait for a prompt the device shows on its own before asking
// for one with a newline, as a person would.
constexpr absl::Duration kUnpromptedWait = absl::Seconds(2);
// Bounds a device that pages forever.
constexpr int kMaxPages = 100000;

const RE2& PasswordPrompt() {
  static const RE2* re = new RE2(R"((?i).*password: ?$)");
  return *re;
}

absl::Status ConnectError(absl::string_view detail) {
  if (absl::StrContains(detail, "refused")) {
    return DeviceFailure(v1::CONNECT_REFUSED, v1::STAGE_CONNECT,
                         std::string(detail));
  }
  if (absl::StrContains(detail, "imeout") || absl::StrContains(detail, "timed out")) {
    return DeviceFailure(v1::CONNECT_TIMEOUT, v1::STAGE_CONNECT,
                         std::string(detail));
  }
  return DeviceFailure(v1::CONNECT_FAILED, v1::STAGE_CONNECT,
                       std::string(detail));
}

}  // namespace

DeviceSession::DeviceSession(const SessionOptions& options)
    : options_(options) {}

DeviceSession::~DeviceSession() {
  if (channel_ != nullptr) {
    ssh_channel_close(channel_);
    ssh_channel_free(channel_);
  }
  if (ssh_ != nullptr) {
    ssh_disconnect(ssh_);
    ssh_free(ssh_);
  }
}

absl::StatusOr<std::unique_ptr<DeviceSession>> DeviceSession::Open(
    const SessionOptions& options) {
  if (options.platform == nullptr) {
    return DeviceFailure(v1::INTERNAL, v1::STAGE_CONNECT, "no platform given");
  }
  std::unique_ptr<DeviceSession> session(new DeviceSession(options));
  RETURN_IF_ERROR(session->Connect());
  RETURN_IF_ERROR(session->VerifyHostKey());
  RETURN_IF_ERROR(session->Authenticate());
  RETURN_IF_ERROR(session->OpenShell());
  RETURN_IF_ERROR(session->Enable());
  return session;
}

absl::Status DeviceSession::Connect() {
  ssh_ = ssh_new();
  if (ssh_ == nullptr) {
    return DeviceFailure(v1::INTERNAL, v1::STAGE_CONNECT, "ssh_new failed");
  }
  int64_t timeout_us = absl::ToInt64Microseconds(options_.step_timeout);
  long timeout_s = timeout_us / 1000000;
  long timeout_rest_us = timeout_us % 1000000;
  unsigned int port = options_.port;
  int nodelay = 1;
  bool process_config = false;  // ~/.ssh/config must not change behaviour
  ssh_options_set(ssh_, SSH_OPTIONS_HOST, options_.host.c_str());
  ssh_options_set(ssh_, SSH_OPTIONS_PORT, &port);
  ssh_options_set(ssh_, SSH_OPTIONS_USER, options_.username.c_str());
  ssh_options_set(ssh_, SSH_OPTIONS_TIMEOUT, &timeout_s);
  ssh_options_set(ssh_, SSH_OPTIONS_TIMEOUT_USEC, &timeout_rest_us);
  ssh_options_set(ssh_, SSH_OPTIONS_NODELAY, &nodelay);
  ssh_options_set(ssh_, SSH_OPTIONS_PROCESS_CONFIG, &process_config);
  if (!options_.known_hosts_file.empty()) {
    ssh_options_set(ssh_, SSH_OPTIONS_KNOWNHOSTS, options_.known_hosts_file.c_str());
  }
  if (ssh_connect(ssh_) != SSH_OK) return ConnectError(ssh_get_error(ssh_));
  return absl::OkStatus();
}

absl::Status DeviceSession::VerifyHostKey() {
  if (options_.host_key_policy == v1::HOST_KEY_OFF) return absl::OkStatus();
  std::string where = absl::StrCat(options_.host, ":", options_.port);
  std::string file =
      options_.known_hosts_file.empty() ? "~/.ssh/known_hosts" : options_.known_hosts_file;
  switch (ssh_session_is_known_server(ssh_)) {
    case SSH_KNOWN_HOSTS_OK:
      return absl::OkStatus();
    case SSH_KNOWN_HOSTS_CHANGED:
    case SSH_KNOWN_HOSTS_OTHER:
      return DeviceFailure(
          v1::HOST_KEY_MISMATCH, v1::STAGE_CONNECT,
          absl::StrCat("host key of ", where, " differs from the one in ", file,
                       ": possible man-in-the-middle; if the device was replaced, remove "
                       "its old entry"));
    case SSH_KNOWN_HOSTS_UNKNOWN:
    case SSH_KNOWN_HOSTS_NOT_FOUND:
      break;
    default:
      return DeviceFailure(v1::HOST_KEY_UNKNOWN, v1::STAGE_CONNECT,
                           absl::StrCat("cannot check the host key of ", where, " against ",
                                        file, ": ", ssh_get_error(ssh_)));
  }
  if (options_.host_key_policy == v1::HOST_KEY_STRICT) {
    return DeviceFailure(v1::HOST_KEY_UNKNOWN, v1::STAGE_CONNECT,
                         absl::StrCat("host key of ", where, " is not in ", file,
                                      " (strict host key policy)"));
  }
  // Sessions run in parallel; appends to the shared file go one at a time.
  static Mutex* known_hosts_mu = new Mutex;
  MutexLock lock(known_hosts_mu);
  if (ssh_session_update_known_hosts(ssh_) != SSH_OK) {
    return DeviceFailure(v1::HOST_KEY_UNKNOWN, v1::STAGE_CONNECT,
                         absl::StrCat("cannot remember the host key of ", where, " in ", file,
                                      ": ", ssh_get_error(ssh_)));
  }
  return absl::OkStatus();
}

absl::Status DeviceSession::Authenticate() {
  int rc = SSH_AUTH_DENIED;
  if (!options_.key_file.empty()) {
    ssh_key key = nullptr;
    if (ssh_pki_import_privkey_file(options_.key_file.c_str(), nullptr,
                                    nullptr, nullptr, &key) != SSH_OK) {
      return DeviceFailure(v1::AUTH_FAILED, v1::STAGE_AUTH,
                           absl::StrCat("cannot read private key ",
                                        options_.key_file));
    }
    rc = ssh_userauth_publickey(ssh_, nullptr, key);
    ssh_key_free(key);
  } else {
    rc = ssh_userauth_password(ssh_, nullptr, options_.password.c_str());
    // Many devices and TACACS setups offer only keyboard-interactive; the
    // password answers each of its prompts.
    if (rc == SSH_AUTH_DENIED &&
        (ssh_userauth_list(ssh_, nullptr) & SSH_AUTH_METHOD_INTERACTIVE)) {
      rc = ssh_userauth_kbdint(ssh_, nullptr, nullptr);
      for (int round = 0; rc == SSH_AUTH_INFO && round < 8; ++round) {
        int prompts = ssh_userauth_kbdint_getnprompts(ssh_);
        for (int i = 0; i < prompts; ++i) {
          ssh_userauth_kbdint_setanswer(ssh_, i, options_.password.c_str());
        }
        rc = ssh_userauth_kbdint(ssh_, nullptr, nullptr);
      }
    }
  }
  if (rc == SSH_AUTH_SUCCESS) return absl::OkStatus();
  if (rc == SSH_AUTH_ERROR) {
    return DeviceFailure(v1::CHANNEL_CLOSED, v1::STAGE_AUTH,
                         absl::StrCat("authentication aborted: ", ssh_get_error(ssh_)));
  }
  return DeviceFailure(v1::AUTH_FAILED, v1::STAGE_AUTH,
                       absl::StrCat("authentication failed for user '",
                                    options_.username, "'"));
}

absl::Status DeviceSession::OpenShell() {
  channel_ = ssh_channel_new(ssh_);
  if (channel_ == nullptr || ssh_channel_open_session(channel_) != SSH_OK ||
      ssh_channel_request_pty_size(channel_, "vt100", kTerminalColumns,
                                   kTerminalRows) != SSH_OK ||
      ssh_channel_request_shell(channel_) != SSH_OK) {
    return DeviceFailure(v1::CHANNEL_CLOSED, v1::STAGE_PROMPT,
                         absl::StrCat("cannot open a shell: ", ssh_get_error(ssh_)));
  }
  std::optional<std::string> base;
  auto found = [&] {
    base = MatchPrompt(*options_.platform->prompt, buffer_);
    return base.has_value();
  };
  absl::Status status = ReadUntil(found, v1::STAGE_PROMPT, v1::PROMPT_NOT_FOUND,
                                  std::min(kUnpromptedWait, options_.step_timeout));
  if (!status.ok() && ToDeviceError(status).code() == v1::PROMPT_NOT_FOUND) {
    RETURN_IF_ERROR(Send(""));
    status = ReadUntil(found, v1::STAGE_PROMPT, v1::PROMPT_NOT_FOUND,
                       options_.step_timeout);
  }
  RETURN_IF_ERROR(status);
  base_name_ = *base;
  prompt_ = DevicePrompt(*options_.platform, base_name_);
  if (options_.platform->paging_command.empty()) return absl::OkStatus();
  buffer_.clear();
  RETURN_IF_ERROR(Send(options_.platform->paging_command));
  return ReadUntil([this] { return AtPrompt(); }, v1::STAGE_PROMPT,
                   v1::PROMPT_NOT_FOUND, options_.step_timeout);
}

absl::Status DeviceSession::Enable() {
  const Platform& platform = *options_.platform;
  auto privileged = [&] {
    std::string line = TrailingLine(buffer_);
    return !line.empty() &&
           absl::StripTrailingAsciiWhitespace(line).back() ==
               platform.privileged_terminator;
  };
  if (platform.enable_command.empty() || privileged()) return absl::OkStatus();
  auto password_or_prompt = [&] {
    return AtPrompt() || RE2::FullMatch(TrailingLine(buffer_), PasswordPrompt());
  };
  buffer_.clear();
  RETURN_IF_ERROR(Send(platform.enable_command));
  RETURN_IF_ERROR(ReadUntil(password_or_prompt, v1::STAGE_ENABLE,
                            v1::ENABLE_FAILED, options_.step_timeout));
  if (!AtPrompt()) {
    buffer_.clear();
    RETURN_IF_ERROR(Send(options_.secret.empty() ? options_.password
                                                 : options_.secret));
    RETURN_IF_ERROR(ReadUntil(password_or_prompt, v1::STAGE_ENABLE,
                              v1::ENABLE_FAILED, options_.step_timeout));
  }
  if (!privileged()) {
    return DeviceFailure(v1::ENABLE_FAILED, v1::STAGE_ENABLE,
                         "device did not enter privileged mode (wrong secret?)");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> DeviceSession::Run(const std::string& command) {
  buffer_.clear();
  RETURN_IF_ERROR(Send(command));
  // Paging is off on devices that allow it; on the others, answer each
  // --More-- with a space and keep only the output.
  for (int pages = 0;; ++pages) {
    RETURN_IF_ERROR(ReadUntil([this] { return AtPrompt() || AtPager(); }, v1::STAGE_COMMAND,
                              v1::COMMAND_TIMEOUT, options_.step_timeout));
    if (AtPrompt()) break;
    if (pages == kMaxPages) {
      return DeviceFailure(v1::COMMAND_TIMEOUT, v1::STAGE_COMMAND,
                           absl::StrCat("'", command, "': still paging after ", kMaxPages,
                                        " pages"));
    }
    size_t last_newline = buffer_.find_last_of('\n');
    buffer_.erase(last_newline == std::string::npos ? 0 : last_newline + 1);
    RETURN_IF_ERROR(Write(" "));
  }
  std::string output = CleanCommandOutput(buffer_, command);
  if (std::optional<std::string> complaint =
          FindRejection(*options_.platform, output)) {
    return DeviceFailure(v1::COMMAND_REJECTED, v1::STAGE_COMMAND,
                         absl::StrCat("'", command, "': ", *complaint));
  }
  return output;
}

bool DeviceSession::AtPrompt() const {
  // The echo of what was typed never ends a read: a prompt follows a newline.
  return buffer_.find('\n') != std::string::npos &&
         MatchPrompt(*prompt_, buffer_).has_value();
}

bool DeviceSession::AtPager() const {
  return RE2::FullMatch(TrailingLine(buffer_), PagerPrompt());
}

absl::Status DeviceSession::Send(absl::string_view line) {
  return Write(absl::StrCat(line, "\n"));
}

absl::Status DeviceSession::Write(absl::string_view data) {
  if (ssh_channel_write(channel_, data.data(), data.size()) !=
      static_cast<int>(data.size())) {
    return DeviceFailure(v1::CHANNEL_CLOSED, v1::STAGE_COMMAND,
                         absl::StrCat("write failed: ", ssh_get_error(ssh_)));
  }
  return absl::OkStatus();
}

absl::Status DeviceSession::ReadUntil(const std::function<bool()>& done,
                                      v1::Stage stage,
                                      v1::ErrorCode timeout_code,
                                      absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  char chunk[16384];
  while (!done()) {
    int64_t ms = absl::ToInt64Milliseconds(deadline - absl::Now());
    if (ms <= 0) {
      return DeviceFailure(timeout_code, stage,
                           absl::StrCat("no expected prompt within ",
                                        absl::FormatDuration(timeout)));
    }
    int n = ssh_channel_read_timeout(channel_, chunk, sizeof(chunk), 0,
                                     static_cast<int>(std::min<int64_t>(ms, 1 << 30)));
    if (n == SSH_ERROR) {
      return DeviceFailure(v1::CHANNEL_CLOSED, stage,
                           absl::StrCat("read failed: ", ssh_get_error(ssh_)));
    }
    if (n == 0 && (ssh_channel_is_eof(channel_) || !ssh_channel_is_open(channel_))) {
      return DeviceFailure(v1::CHANNEL_CLOSED, stage,
                           "device closed the session");
    }
    if (buffer_.size() + n > kMaxCommandOutput) {
      return DeviceFailure(v1::INTERNAL, stage,
                           absl::StrCat("output exceeds ", kMaxCommandOutput, " bytes"));
    }
    buffer_.append(chunk, n);
  }
  return absl::OkStatus();
}

}  // namespace netshard
