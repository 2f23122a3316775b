#include "common/session/device_session.h"

#include <libssh/libssh.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/device_error.h"
#include "common/platform/platform_detector.h"
#include "common/status_macros.h"
#include "common/session/terminal_text.h"

namespace netshard {
namespace {

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
    const std::string& line = scanner_.line();
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
  // Half the banner timeout at most, so the Enter then typed has time for
  // its answer.
  const absl::Duration unprompted_wait = std::min(kUnpromptedWait, options_.timeouts.banner / 2);
  for (int round = 0; round < kMaxPromptRounds; ++round) {
    absl::Time until = deadline;
    if (!typed_ahead && !confirming) until = std::min(until, absl::Now() + unprompted_wait);
    auto ready = [&] { return shaped() && (!confirming || scanner_.saw_newline()); };
    absl::Status status = ReadUntil(ready, v1::STAGE_PROMPT, v1::PROMPT_NOT_FOUND,
                                    options_.timeouts.banner, until);
    if (!status.ok() && ToDeviceError(status).code() == v1::PROMPT_NOT_FOUND && !typed_ahead &&
        !confirming) {
      // Nothing on its own: ask for a prompt with Enter, as a person would.
      RETURN_IF_ERROR(Send(""));
      typed_ahead = true;
      continue;
    }
    RETURN_IF_ERROR(status);
    std::string line = scanner_.line();
    if (const PlatformAnswer* answer = login_question(line)) {
      if (++answered > kMaxLoginAnswers) break;
      scanner_.Clear();
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
      line = scanner_.line();
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
    scanner_.Clear();
    RETURN_IF_ERROR(first_confirmation && confirm_with_paging
                        ? Send(platform.paging_commands.front())
                        : Send(""));
    paging_sent_ = paging_sent_ || (first_confirmation && confirm_with_paging);
  }
  return DeviceFailure(v1::PROMPT_NOT_FOUND, v1::STAGE_PROMPT,
                       absl::StrCat("no stable prompt after ", kMaxPromptRounds,
                                    " tries; last line: '", Shown(scanner_.line()), "'"));
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
    Received(absl::string_view(chunk, n));
  }
  return absl::OkStatus();
}

absl::Status DeviceSession::Enable() {
  const Platform& platform = *platform_;
  auto privileged = [&] {
    return absl::EndsWith(absl::StripTrailingAsciiWhitespace(scanner_.line()),
                          platform.privileged_suffix);
  };
  if (platform.enable_command.empty() || privileged()) return absl::OkStatus();
  const RE2& password_prompt = platform.enable_password_prompt != nullptr
                                   ? *platform.enable_password_prompt
                                   : PasswordPrompt();
  auto password_or_prompt = [&] {
    return AtPrompt() || RE2::PartialMatch(scanner_.line(), password_prompt);
  };
  scanner_.Clear();
  RETURN_IF_ERROR(Send(platform.enable_command));
  RETURN_IF_ERROR(ReadUntil(password_or_prompt, v1::STAGE_ENABLE,
                            v1::ENABLE_FAILED, options_.timeouts.command));
  if (!AtPrompt()) {
    scanner_.Clear();
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
  PlatformDetector detector(options_.detect_candidates);
  while (const std::string* command = detector.Next()) {
    ASSIGN_OR_RETURN(CommandReply reply, Run(*command, nullptr, v1::STAGE_DETECT));
    detector.Answered(reply.output);
  }
  if (const Platform* found = detector.found()) {
    platform_ = found;
    std::string base = PromptBase(*found, prompt_line_);
    if (base.empty()) base = PromptBase(*options_.platform, prompt_line_);
    prompt_ = std::make_unique<DevicePrompt>(*found, base);
    paging_sent_ = false;
    return absl::OkStatus();
  }
  return DeviceFailure(v1::PLATFORM_NOT_DETECTED, v1::STAGE_DETECT,
                       absl::StrCat("no platform matched what the device said to '",
                                    absl::StrJoin(detector.tried(), "', '"), "' (prompt '",
                                    Shown(prompt_line_),
                                    "'); name its device_type in the inventory"));
}

absl::StatusOr<CommandReply> DeviceSession::RunCommand(const std::string& command,
                                                       const RE2* expect, v1::Stage stage,
                                                       const OutputSink* sink,
                                                       const std::vector<PlatformAnswer>* answers) {
  CommandReply reply;
  bool first_line = true;
  auto deliver = [&](absl::string_view text) {
    if (text.size() > options_.max_output_bytes - output_bytes_) {
      text = text.substr(0, options_.max_output_bytes - output_bytes_);
      output_cut_ = true;
    }
    output_bytes_ += text.size();
    if (sink != nullptr) {
      (*sink)(text);
    } else {
      reply.output.append(text.data(), text.size());
    }
  };
  auto rejected = [&](absl::string_view text) {
    if (!reply.rejection) reply.rejection = FindRejection(*platform_, text);
  };
  // An exec has no echo of the command to drop.
  cleaner_ = std::make_unique<OutputCleaner>(
      options_.exec ? "" : command,
      [&](absl::string_view line) {
        if (!first_line) deliver("\n");
        first_line = false;
        deliver(line);
        if (prompt_ != nullptr && prompt_->Matches(line)) ++prompt_like_lines_;
        rejected(line);
      },
      platform_->prompt_preamble.get(),
      // More of a line too long to be held whole.
      [&](absl::string_view more) {
        deliver(more);
        rejected(more);
      });
  scanner_.Clear();
  saw_newline_ = false;
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
  Received("\n");  // the last line needs no newline to be output
  if (output_cut_) return OutputTooLarge(stage);
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
    return expect != nullptr && saw_newline_ && RE2::PartialMatch(scanner_.line(), *expect);
  };
  auto question = [&]() -> const PlatformAnswer* {
    if (answers == nullptr) return nullptr;
    const std::string& line = scanner_.line();
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
                                        "; last line: '", Shown(scanner_.line()), "'"));
    }
    RETURN_IF_ERROR(read);
    if (expected()) return absl::OkStatus();
    // A reply that held lines looking like the prompt (a banner quoting
    // it) may have one at a read's end by chance: the real prompt is the
    // one the device then stays quiet after.
    if (AtPrompt()) {
      if (prompt_like_lines_ == 0 ||
          ssh_channel_poll_timeout(channel_, kPromptLikeQuietMs, 0) <= 0) {
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
      scanner_.Clear();  // the question
      RETURN_IF_ERROR(Write(answer->answer));
      continue;
    }
    if (pages == kMaxPages) {
      return DeviceFailure(v1::COMMAND_TIMEOUT, stage,
                           absl::StrCat("'", command, "': still paging after ", kMaxPages,
                                        " pages"));
    }
    // A `less`-style "(END)" is the last page: leave it; --More-- wants more.
    bool last_page = absl::StrContains(scanner_.line(), "(END)");
    scanner_.Clear();  // the pager line
    RETURN_IF_ERROR(Write(last_page ? "q" : " "));
  }
}

bool DeviceSession::AtPrompt() const {
  // The echo of what was typed never ends a read: a prompt follows a newline.
  return (saw_newline_ || scanner_.saw_newline()) && prompt_->Matches(scanner_.line()) &&
         ssh_channel_poll(channel_, 0) <= 0;
}

bool DeviceSession::AtPager() const {
  const std::string& line = scanner_.line();
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

absl::Status DeviceSession::OutputTooLarge(v1::Stage stage) const {
  return DeviceFailure(v1::OUTPUT_TOO_LARGE, stage,
                       absl::StrCat("output exceeds the cap of ", options_.max_output_bytes,
                                    " bytes per device (--max-output); what came before it "
                                    "is kept"));
}

void DeviceSession::Received(absl::string_view bytes) {
  scanner_.Append(bytes, cleaner_.get());
  if (cleaner_ != nullptr) saw_newline_ |= scanner_.saw_newline();
}

absl::Status DeviceSession::ReadUntil(const std::function<bool()>& done, v1::Stage stage,
                                      v1::ErrorCode timeout_code, absl::Duration timeout,
                                      absl::Time until) {
  absl::Time own = std::min(absl::Now() + timeout, until);
  bool device_bound = deadline_ < own;
  absl::Time deadline = std::min(own, deadline_);
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
    Received(absl::string_view(chunk, n));
    if (output_cut_) return OutputTooLarge(stage);
  }
  return absl::OkStatus();
}

}  // namespace netshard
