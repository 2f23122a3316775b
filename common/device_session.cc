#include "common/device_session.h"

#include <libssh/libssh.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/device_error.h"
#include "common/status_macros.h"
#include "common/terminal_text.h"

namespace netshard {
namespace {

// A reply larger than this is cut off: it is a device gone mad, and the
// coordinator would have to hold it.
constexpr size_t kMaxCommandOutput = 256 << 20;
// A wide terminal keeps devices from wrapping long lines.
constexpr int kTerminalColumns = 511;
constexpr int kTerminalRows = 24;
// How long to wait for a prompt the device shows on its own before asking
// for one with a newline, as a person would.
constexpr absl::Duration kUnpromptedWait = absl::Seconds(2);
// Bounds a device that pages forever.
constexpr int kMaxPages = 100000;
// Bounds the search for a stable first prompt, and the questions a login
// may ask before it.
constexpr int kMaxPromptRounds = 6;
constexpr int kMaxLoginAnswers = 4;
// Bounds the questions one command may ask.
constexpr int kMaxAnswers = 16;
// How long the device must stay quiet after a prompt that ends a reply
// which also held prompt-like lines.
constexpr int kPromptLikeQuietMs = 200;

const RE2& PasswordPrompt() {
  static const RE2* re = new RE2(R"((?i).*password( for [^:]*)?: ?$)");
  return *re;
}

}  // namespace

DeviceSession::DeviceSession(const SessionOptions& options)
    : options_(options),
      deadline_(absl::Now() + options.timeouts.device),
      platform_(options.platform) {}

DeviceSession::~DeviceSession() {
  if (channel_ != nullptr) {
    ssh_channel_close(channel_);
    ssh_channel_free(channel_);
  }
}

absl::Duration DeviceSession::Within(absl::Duration timeout) const {
  return std::min(timeout, deadline_ - absl::Now());
}

absl::StatusOr<std::unique_ptr<DeviceSession>> DeviceSession::Open(
    const SessionOptions& options) {
  if (options.platform == nullptr) {
    return DeviceFailure(v1::INTERNAL, v1::STAGE_CONNECT, "no platform given");
  }
  std::unique_ptr<DeviceSession> session(new DeviceSession(options));
  RETURN_IF_ERROR(session->Connect());
  if (options.exec) return session;
  RETURN_IF_ERROR(session->OpenShell());
  if (options.platform->name == kAutodetect) RETURN_IF_ERROR(session->Detect());
  RETURN_IF_ERROR(session->Prepare());
  return session;
}

absl::Status DeviceSession::Connect() {
  const SessionTimeouts& timeouts = options_.timeouts;
  int socket = -1;
  if (options_.jump_host.has_value()) {
    ASSIGN_OR_RETURN(tunnel_, JumpTunnel::Open(*options_.jump_host, options_.host_key,
                                               Within(timeouts.connect), Within(timeouts.auth),
                                               options_.device.host, options_.device.port,
                                               timeouts.command));
    socket = tunnel_->TakeDeviceSocket();
  }
  ASSIGN_OR_RETURN(ssh_, ConnectSsh(options_.device, options_.host_key, Within(timeouts.connect),
                                    Within(timeouts.auth), socket, "", options_.cancelled));
  return absl::OkStatus();
}

absl::Status DeviceSession::OpenShell() {
  channel_ = ssh_channel_new(ssh_.get());
  if (channel_ == nullptr || ssh_channel_open_session(channel_) != SSH_OK ||
      ssh_channel_request_pty_size(channel_, "vt100", kTerminalColumns,
                                   kTerminalRows) != SSH_OK ||
      ssh_channel_request_shell(channel_) != SSH_OK) {
    return DeviceFailure(v1::CHANNEL_CLOSED, v1::STAGE_PROMPT,
                         absl::StrCat("cannot open a shell: ", ssh_get_error(ssh_.get())));
  }
  return FindPrompt();
}

absl::Status DeviceSession::FindPrompt() {
  const Platform& platform = *platform_;
  const absl::Time deadline = absl::Now() + options_.timeouts.banner;
  auto login_question = [&](const std::string& line) -> const PlatformAnswer* {
    for (const Platform* source : Sources()) {
      for (const PlatformAnswer& answer : source->login_answers) {
        if (RE2::PartialMatch(line, *answer.prompt)) return &answer;
      }
    }
    return nullptr;
  };
  auto shaped = [&] {
    std::string line = TrailingLine(buffer_);
    return LooksLikePrompt(platform, line) || login_question(line) != nullptr;
  };
  // The setup command that confirms the prompt doubles as the first
  // paging command, saving a round trip; enable-first platforms use Enter.
  const bool confirm_with_paging =
      !platform.paging_commands.empty() && !platform.enable_before_paging;
  bool typed_ahead = false;
  bool confirming = false;
  std::string candidate;
  int answered = 0;
  for (int round = 0; round < kMaxPromptRounds; ++round) {
    absl::Duration wait = deadline - absl::Now();
    if (!typed_ahead && !confirming) wait = std::min(wait, kUnpromptedWait);
    auto ready = [&] { return shaped() && (!confirming || buffer_.find('\n') != std::string::npos); };
    absl::Status status = ReadUntil(ready, v1::STAGE_PROMPT, v1::PROMPT_NOT_FOUND, wait);
    if (!status.ok() && ToDeviceError(status).code() == v1::PROMPT_NOT_FOUND && !typed_ahead &&
        !confirming) {
      // Nothing on its own: ask for a prompt with Enter, as a person would.
      RETURN_IF_ERROR(Send(""));
      typed_ahead = true;
      continue;
    }
    RETURN_IF_ERROR(status);
    std::string line = TrailingLine(buffer_);
    if (const PlatformAnswer* answer = login_question(line)) {
      if (++answered > kMaxLoginAnswers) break;
      buffer_.clear();
      RETURN_IF_ERROR(Write(absl::StrReplaceAll(
          answer->answer, {{"{username}", options_.device.username},
                           {"{password}", options_.device.password}})));
      continue;
    }
    if (typed_ahead && !confirming) {
      // The answer to the Enter typed ahead of a slow greeting may still be
      // on its way: let the device finish, or that late prompt would end
      // the next read early.
      RETURN_IF_ERROR(ReadUntilQuiet(v1::STAGE_PROMPT));
      if (!shaped()) continue;
      line = TrailingLine(buffer_);
    }
    std::string prompt = FirstPrompt(platform, line);
    std::string seen = PromptBase(platform, prompt);
    // A prompt of terminators alone ("> " on FTD, NetScaler) has no name:
    // then the whole line must come back the same.
    bool same = seen.empty() ? absl::StripAsciiWhitespace(prompt) ==
                                   absl::StripAsciiWhitespace(candidate)
                             : seen == PromptBase(platform, candidate);
    if (confirming && same && !candidate.empty()) {
      prompt_line_ = candidate;
      prompt_ = std::make_unique<DevicePrompt>(platform, seen);
      return absl::OkStatus();
    }
    // Not known stable yet: what the next thing typed brings back must end
    // with the same prompt (a banner line ending in '#' will not).
    candidate = std::move(prompt);
    bool first_confirmation = !confirming;
    confirming = true;
    buffer_.clear();
    RETURN_IF_ERROR(first_confirmation && confirm_with_paging
                        ? Send(platform.paging_commands.front())
                        : Send(""));
    paging_sent_ = paging_sent_ || (first_confirmation && confirm_with_paging);
  }
  return DeviceFailure(v1::PROMPT_NOT_FOUND, v1::STAGE_PROMPT,
                       absl::StrCat("no stable prompt after ", kMaxPromptRounds,
                                    " tries; last line: '", Shown(TrailingLine(buffer_)), "'"));
}

absl::Status DeviceSession::Prepare() {
  const Platform& platform = *platform_;
  if (platform.enable_before_paging) RETURN_IF_ERROR(Enable());
  std::vector<std::string> setup(platform.paging_commands.begin() + (paging_sent_ ? 1 : 0),
                                 platform.paging_commands.end());
  setup.insert(setup.end(), platform.setup_commands.begin(), platform.setup_commands.end());
  RETURN_IF_ERROR(SendSetup(setup));
  if (!platform.enable_before_paging) RETURN_IF_ERROR(Enable());
  return absl::OkStatus();
}

absl::Status DeviceSession::SendSetup(const std::vector<std::string>& commands) {
  // A device that does not know a paging command says so and shows its
  // prompt: not a failure, the pager is answered instead.
  for (const std::string& command : commands) {
    ASSIGN_OR_RETURN(CommandReply reply, Run(command, nullptr, v1::STAGE_PROMPT));
  }
  return absl::OkStatus();
}

bool DeviceSession::Cancelled() const {
  return options_.cancelled != nullptr && options_.cancelled->cancelled();
}

absl::Status DeviceSession::CancelledAt(v1::Stage stage) {
  return DeviceFailure(v1::CANCELLED, stage, "run cancelled while the device worked");
}

absl::Status DeviceSession::ReadUntilQuiet(v1::Stage stage) {
  constexpr int kQuietMs = 300;
  constexpr int kMaxReads = 20;  // a device that never stops talking is not waited for
  char chunk[4096];
  for (int i = 0; i < kMaxReads; ++i) {
    int n = ssh_channel_read_timeout(channel_, chunk, sizeof(chunk), 0, kQuietMs);
    if (n <= 0 && Cancelled()) return CancelledAt(stage);
    if (n == SSH_ERROR) {
      return DeviceFailure(v1::CHANNEL_CLOSED, stage,
                           absl::StrCat("read failed: ", ssh_get_error(ssh_.get())));
    }
    if (n <= 0) return absl::OkStatus();
    buffer_.append(chunk, n);
  }
  return absl::OkStatus();
}

absl::Status DeviceSession::Enable() {
  const Platform& platform = *platform_;
  auto privileged = [&] {
    return absl::EndsWith(absl::StripTrailingAsciiWhitespace(TrailingLine(buffer_)),
                          platform.privileged_suffix);
  };
  if (platform.enable_command.empty() || privileged()) return absl::OkStatus();
  const RE2& password_prompt = platform.enable_password_prompt != nullptr
                                   ? *platform.enable_password_prompt
                                   : PasswordPrompt();
  auto password_or_prompt = [&] {
    return AtPrompt() || RE2::PartialMatch(TrailingLine(buffer_), password_prompt);
  };
  buffer_.clear();
  RETURN_IF_ERROR(Send(platform.enable_command));
  RETURN_IF_ERROR(ReadUntil(password_or_prompt, v1::STAGE_ENABLE,
                            v1::ENABLE_FAILED, options_.timeouts.command));
  if (!AtPrompt()) {
    buffer_.clear();
    RETURN_IF_ERROR(Send(options_.secret.empty() ? options_.device.password
                                                 : options_.secret));
    RETURN_IF_ERROR(ReadUntil(password_or_prompt, v1::STAGE_ENABLE,
                              v1::ENABLE_FAILED, options_.timeouts.command));
  }
  if (!privileged()) {
    return DeviceFailure(v1::ENABLE_FAILED, v1::STAGE_ENABLE,
                         "device did not enter privileged mode (wrong secret?)");
  }
  return absl::OkStatus();
}

absl::Status DeviceSession::Detect() {
  const std::vector<const Platform*>& candidates = options_.detect_candidates;
  // The commands most platforms share first: one answer rules out the most.
  std::vector<std::pair<std::string, int>> commands;
  for (const Platform* candidate : candidates) {
    for (const std::string& command : candidate->detect_commands) {
      auto it = std::find_if(commands.begin(), commands.end(),
                             [&](const auto& c) { return c.first == command; });
      if (it == commands.end()) {
        commands.push_back({command, 1});
      } else {
        ++it->second;
      }
    }
  }
  std::stable_sort(commands.begin(), commands.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<std::string> tried;
  const Platform* found = nullptr;  // the best hit so far
  for (const auto& [command, users] : commands) {
    ASSIGN_OR_RETURN(CommandReply reply, Run(command, nullptr, v1::STAGE_DETECT));
    tried.push_back(command);
    const Platform* best = nullptr;
    for (const Platform* candidate : candidates) {
      if (std::find(candidate->detect_commands.begin(), candidate->detect_commands.end(),
                    command) == candidate->detect_commands.end() ||
          (best != nullptr && best->detect_priority >= candidate->detect_priority)) {
        continue;
      }
      for (const auto& pattern : candidate->detect_patterns) {
        if (RE2::PartialMatch(reply.output, *pattern)) {
          best = candidate;
          break;
        }
      }
    }
    if (best != nullptr && (found == nullptr || best->detect_priority > found->detect_priority)) {
      found = best;
    }
    bool better_untried = false;
    for (const Platform* candidate : candidates) {
      if (found == nullptr || candidate->detect_priority <= found->detect_priority) continue;
      for (const std::string& c : candidate->detect_commands) {
        better_untried |= std::find(tried.begin(), tried.end(), c) == tried.end();
      }
    }
    if (found != nullptr && !better_untried) break;
  }
  if (found != nullptr) {
    platform_ = found;
    std::string base = PromptBase(*found, prompt_line_);
    if (base.empty()) base = PromptBase(*options_.platform, prompt_line_);
    prompt_ = std::make_unique<DevicePrompt>(*found, base);
    paging_sent_ = false;
    return absl::OkStatus();
  }
  return DeviceFailure(v1::PLATFORM_NOT_DETECTED, v1::STAGE_DETECT,
                       absl::StrCat("no platform matched what the device said to '",
                                    absl::StrJoin(tried, "', '"), "' (prompt '",
                                    Shown(prompt_line_), "'); name its device_type in the inventory"));
}

absl::StatusOr<CommandReply> DeviceSession::Run(const std::string& command, const RE2* expect,
                                                v1::Stage stage, const OutputSink* sink,
                                                const std::vector<PlatformAnswer>* answers) {
  CommandReply reply;
  bool first_line = true;
  auto deliver = [&](absl::string_view text) {
    if (sink != nullptr) {
      (*sink)(text);
    } else {
      reply.output.append(text.data(), text.size());
    }
  };
  // An exec has no echo of the command to drop.
  cleaner_ = std::make_unique<OutputCleaner>(options_.exec ? "" : command,
                                             [&](absl::string_view line) {
    if (!first_line) deliver("\n");
    first_line = false;
    deliver(line);
    if (prompt_ != nullptr && prompt_->Matches(line)) ++prompt_like_lines_;
    if (!reply.rejection) reply.rejection = FindRejection(*platform_, line);
  }, platform_->prompt_preamble.get());
  buffer_.clear();
  saw_newline_ = false;
  reply_bytes_ = 0;
  prompt_like_lines_ = 0;
  absl::Status status = options_.exec ? RunExec(command, stage, &reply.rejection)
                                      : ReadReply(command, expect, stage, answers);
  cleaner_.reset();
  RETURN_IF_ERROR(status);
  return reply;
}

absl::Status DeviceSession::RunExec(const std::string& command, v1::Stage stage,
                                    std::optional<std::string>* rejection) {
  if (connection_used_) {
    ssh_.reset();  // before the tunnel it runs through
    tunnel_.reset();
    RETURN_IF_ERROR(Connect());
  }
  connection_used_ = true;
  channel_ = ssh_channel_new(ssh_.get());
  if (channel_ == nullptr || ssh_channel_open_session(channel_) != SSH_OK ||
      ssh_channel_request_exec(channel_, command.c_str()) != SSH_OK) {
    return DeviceFailure(v1::CHANNEL_CLOSED, stage,
                         absl::StrCat("'", command, "': cannot run it as an exec: ",
                                      ssh_get_error(ssh_.get())));
  }
  channel_ended_ = false;
  saw_newline_ = true;  // no echo to skip
  RETURN_IF_ERROR(ReadUntil([this] { return channel_ended_; }, stage, v1::COMMAND_TIMEOUT,
                            options_.timeouts.command));
  buffer_.push_back('\n');  // the last line needs no newline to be output
  cleaner_->Consume(&buffer_);
  int exit_status = ssh_channel_get_exit_status(channel_);
  if (!rejection->has_value() && exit_status > 0) {
    *rejection = absl::StrCat("exit status ", exit_status);
  }
  ssh_channel_close(channel_);
  ssh_channel_free(channel_);
  channel_ = nullptr;
  return absl::OkStatus();
}

absl::Status DeviceSession::ReadReply(const std::string& command, const RE2* expect,
                                      v1::Stage stage,
                                      const std::vector<PlatformAnswer>* answers) {
  RETURN_IF_ERROR(Send(command));
  auto expected = [&] {
    return expect != nullptr && saw_newline_ && RE2::PartialMatch(TrailingLine(buffer_), *expect);
  };
  auto question = [&]() -> const PlatformAnswer* {
    if (answers == nullptr) return nullptr;
    std::string line = TrailingLine(buffer_);
    for (const PlatformAnswer& answer : *answers) {
      if (RE2::PartialMatch(line, *answer.prompt)) return &answer;
    }
    return nullptr;
  };
  // Paging is off on devices that allow it; on the others, answer each
  // pager and keep only the output.
  int answered = 0;
  for (int pages = 0;; ++pages) {
    absl::Status read = ReadUntil(
        [&] { return expected() || AtPrompt() || AtPager() || question() != nullptr; }, stage,
        v1::COMMAND_TIMEOUT, options_.timeouts.command);
    if (!read.ok() && ToDeviceError(read).code() == v1::COMMAND_TIMEOUT) {
      return DeviceFailure(v1::COMMAND_TIMEOUT, stage,
                           absl::StrCat("'", command, "': ", ToDeviceError(read).message(),
                                        "; last line: '", Shown(TrailingLine(buffer_)), "'"));
    }
    RETURN_IF_ERROR(read);
    if (expected()) return absl::OkStatus();
    // A reply that held lines looking like the prompt (a banner quoting
    // it) may have one at a read's end by chance: the real prompt is the
    // one the device then stays quiet after.
    if (AtPrompt()) {
      if (prompt_like_lines_ == 0 || ssh_channel_poll_timeout(channel_, kPromptLikeQuietMs, 0) <= 0) {
        return absl::OkStatus();
      }
      continue;  // more came: read on
    }
    if (const PlatformAnswer* answer = question()) {
      if (++answered > kMaxAnswers) {
        return DeviceFailure(v1::COMMAND_TIMEOUT, stage,
                             absl::StrCat("'", command, "': still asking after ", kMaxAnswers,
                                          " answers"));
      }
      buffer_.clear();  // the question
      RETURN_IF_ERROR(Write(answer->answer));
      continue;
    }
    if (pages == kMaxPages) {
      return DeviceFailure(v1::COMMAND_TIMEOUT, stage,
                           absl::StrCat("'", command, "': still paging after ", kMaxPages,
                                        " pages"));
    }
    // A `less`-style "(END)" is the last page: leave it; --More-- wants more.
    bool last_page = absl::StrContains(TrailingLine(buffer_), "(END)");
    buffer_.clear();  // the pager line
    RETURN_IF_ERROR(Write(last_page ? "q" : " "));
  }
}

bool DeviceSession::AtPrompt() const {
  // The echo of what was typed never ends a read: a prompt follows a newline.
  return (saw_newline_ || buffer_.find('\n') != std::string::npos) &&
         prompt_->AtEndOf(buffer_) && ssh_channel_poll(channel_, 0) <= 0;
}

bool DeviceSession::AtPager() const {
  std::string line = TrailingLine(buffer_);
  if (RE2::FullMatch(line, PagerPrompt())) return true;
  for (const Platform* source : Sources()) {
    for (const auto& pager : source->pager_patterns) {
      if (RE2::PartialMatch(line, *pager)) return true;
    }
  }
  return false;
}

std::string DeviceSession::Shown(std::string text) const {
  // A device that echoes what was typed at a password question must not put
  // the password into an error message.
  for (const std::string* secret : {&options_.device.password, &options_.secret}) {
    if (!secret->empty()) absl::StrReplaceAll({{*secret, "********"}}, &text);
  }
  return text;
}

absl::Span<const Platform* const> DeviceSession::Sources() const {
  // Until autodetect has found the platform, any candidate's pager or login
  // question may be the device's.
  if (platform_->name == kAutodetect) return options_.detect_candidates;
  return absl::Span<const Platform* const>(&platform_, 1);
}

absl::Status DeviceSession::Send(absl::string_view line) {
  return Write(absl::StrCat(line, platform_->newline));
}

absl::Status DeviceSession::Write(absl::string_view data) {
  if (ssh_channel_write(channel_, data.data(), data.size()) !=
      static_cast<int>(data.size())) {
    return DeviceFailure(v1::CHANNEL_CLOSED, v1::STAGE_COMMAND,
                         absl::StrCat("write failed: ", ssh_get_error(ssh_.get())));
  }
  return absl::OkStatus();
}

absl::Status DeviceSession::ReadUntil(const std::function<bool()>& done,
                                      v1::Stage stage,
                                      v1::ErrorCode timeout_code,
                                      absl::Duration timeout) {
  bool device_bound = deadline_ - absl::Now() < timeout;
  absl::Duration limit = Within(timeout);
  absl::Time deadline = absl::Now() + limit;
  char chunk[16384];
  while (!done()) {
    int64_t ms = absl::ToInt64Milliseconds(deadline - absl::Now());
    if (ms <= 0) {
      return DeviceFailure(
          timeout_code, stage,
          device_bound
              ? absl::StrCat("device timeout (", absl::FormatDuration(options_.timeouts.device),
                             ") reached")
              : absl::StrCat("no expected prompt within ", absl::FormatDuration(timeout)));
    }
    // A cancel shuts the socket down, which ends this read at once.
    if (Cancelled()) return CancelledAt(stage);
    int n = ssh_channel_read_timeout(channel_, chunk, sizeof(chunk), 0,
                                     static_cast<int>(std::min<int64_t>(ms, 1 << 30)));
    if (n <= 0 && Cancelled()) return CancelledAt(stage);
    if (n == SSH_ERROR) {
      return DeviceFailure(v1::CHANNEL_CLOSED, stage,
                           absl::StrCat("read failed: ", ssh_get_error(ssh_.get())));
    }
    if (n == 0 && (ssh_channel_is_eof(channel_) || !ssh_channel_is_open(channel_))) {
      if (options_.exec) {
        channel_ended_ = true;
        continue;
      }
      return DeviceFailure(v1::CHANNEL_CLOSED, stage,
                           "device closed the session");
    }
    reply_bytes_ += n;
    if (reply_bytes_ > kMaxCommandOutput) {
      return DeviceFailure(v1::INTERNAL, stage,
                           absl::StrCat("output exceeds ", kMaxCommandOutput, " bytes"));
    }
    buffer_.append(chunk, n);
    if (cleaner_ != nullptr) {
      saw_newline_ |= buffer_.find('\n') != std::string::npos;
      cleaner_->Consume(&buffer_);
    }
  }
  return absl::OkStatus();
}

}  // namespace netshard
