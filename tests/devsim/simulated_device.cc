#include "tests/devsim/simulated_device.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/devsim/sim_text.h"

namespace netshard::devsim {
namespace {

// Wrong logins before the device hangs up, as IOS-like boxes do after three.
constexpr int kMaxLoginFailures = 3;
// Bounds what `simulate unbroken` makes the simulator hold.
constexpr size_t kMaxUnbrokenBytes = size_t{1} << 30;

const SimPlatform& PlatformOf(const DeviceProfile& profile) {
  return profile.platform != nullptr ? *profile.platform : *FindSimPlatform("cisco_ios");
}

}  // namespace

SimulatedDevice::SimulatedDevice(DeviceProfile profile)
    : profile_(std::move(profile)),
      platform_(PlatformOf(profile_)),
      exec_(ExecCommands(platform_)),
      config_(platform_.config ? std::optional<CommandTable>(ConfigCommands(platform_))
                               : std::nullopt),
      privileged_(platform_.starts_privileged) {}

std::optional<std::string> SimulatedDevice::Placeholder(absl::string_view name, const Typed& typed,
                                                        bool generators) const {
  if (name == "host") return profile_.hostname;
  if (name == "address") return profile_.address;
  if (name == "user") {
    bool root = privileged_ && !platform_.prompts.root_user.empty();
    return root ? platform_.prompts.root_user : profile_.username;
  }
  if (name == "line") return std::string(typed.line);
  if (name == "word") return std::string(typed.word);
  if (name == "arg") return std::string(typed.arg);
  if (name == "sub") return submode_;
  if (!generators) return std::nullopt;
  if (name == "clock") {
    return absl::FormatTime(platform_.clock_format, absl::Now(), absl::UTCTimeZone());
  }
  if (name == "running_config") return RunningConfig();
  if (name == "candidate") return Candidate();
  if (name == "tech_support") return TechSupportText(profile_.tech_support_bytes);
  return std::nullopt;
}

std::string SimulatedDevice::Fill(absl::string_view text, const Typed& typed,
                                  bool generators) const {
  return FillTemplate(text,
                      [&](absl::string_view name) { return Placeholder(name, typed, generators); });
}

std::string SimulatedDevice::Output(absl::string_view text, const Typed& typed) const {
  std::string out = Fill(text, typed, /*generators=*/true);
  // A command that prints something prints at least a line (`echo`).
  if (out.empty() && !text.empty()) return "\r\n";
  return EndLine(std::move(out));
}

std::string SimulatedDevice::Greeting() {
  std::string out =
      absl::StrCat("\r\n", profile_.hostname, " - ", platform_.name,
                   " simulated by netshard devsim\r\n\r\n", EndLine(Fill(platform_.banner)));
  if (profile_.hang_after_login) {
    hung_ = true;
    return out;
  }
  if (!platform_.login_questions.empty()) {
    question_ = Question::kLogin;
    return out + Fill(platform_.login_questions.front().text);
  }
  return out + Prompt();
}

std::string SimulatedDevice::Prompt() const {
  const SimPlatform::Prompts& p = platform_.prompts;
  if (mode_ == Mode::kExec) return Fill(privileged_ ? p.privileged : p.user);
  return absl::StrCat(EndLine(Fill(p.config_preamble)),
                      Fill(mode_ == Mode::kConfig ? p.config : p.config_sub));
}

std::string SimulatedDevice::Type(absl::string_view bytes) {
  std::string out;
  for (char c : bytes) {
    if (closed_ || hung_) break;
    if (paged_offset_ < paged_.size()) {
      out += AnswerPager(c);
      continue;
    }
    bool was_cr = last_was_cr_;
    last_was_cr_ = c == '\r';
    if (c == '\n' && was_cr) continue;  // "\r\n" is one Enter
    bool login = question_ == Question::kLogin;
    if (login && LoginQuestion().expects == SimPlatform::LoginQuestion::Expects::kAnyKey) {
      out += AnswerLogin();
      continue;
    }
    if (c == '\r' || c == '\n') {
      std::string line = std::move(line_);
      line_.clear();
      out += "\r\n";
      out += HandleLine(line);
      continue;
    }
    bool secret = question_ == Question::kSecret || (login && LoginQuestion().secret);
    if (c == '\x7f' || c == '\b') {
      if (!line_.empty()) {
        line_.pop_back();
        if (!secret) out += "\b \b";
      }
      continue;
    }
    if (static_cast<unsigned char>(c) < 0x20) continue;
    line_.push_back(c);
    if (!secret) out.push_back(c);  // a real PTY echoes all but secrets
  }
  return out;
}

// Any key answers, and none is echoed.
std::string SimulatedDevice::AnswerLogin() { return absl::StrCat("\r\n", NextLoginQuestion()); }

std::string SimulatedDevice::AnswerLogin(const std::string& line) {
  using Expects = SimPlatform::LoginQuestion::Expects;
  const SimPlatform::LoginQuestion& question = LoginQuestion();
  // An empty line at the name question asks again, as a real box does.
  if (question.expects == Expects::kUsername && line.empty()) return Fill(question.text);
  const std::string& expected =
      question.expects == Expects::kUsername ? profile_.username : profile_.password;
  if (line != expected) login_ok_ = false;
  return NextLoginQuestion();
}

std::string SimulatedDevice::NextLoginQuestion() {
  const std::vector<SimPlatform::LoginQuestion>& questions = platform_.login_questions;
  if (++login_answers_ < questions.size()) return Fill(questions[login_answers_].text);
  if (login_ok_) {
    question_ = Question::kNone;
    return Prompt();
  }
  // Like a real login, all questions are asked before the verdict.
  std::string failure = EndLine(Fill(platform_.login_failure));
  if (++login_failures_ >= kMaxLoginFailures) {
    closed_ = true;
    return failure;
  }
  login_ok_ = true;
  login_answers_ = 0;
  return failure + Fill(questions.front().text);
}

std::string SimulatedDevice::HandleLine(const std::string& line) {
  if (question_ != Question::kNone) return Answer(line);
  if (Words(line).empty()) return Prompt();
  ++commands_run_;
  if (mode_ == Mode::kExec) return HandleExec(line, 0);
  return HandleConfig(line);
}

std::string SimulatedDevice::Answer(const std::string& line) {
  if (question_ == Question::kLogin) return AnswerLogin(line);
  Question question = question_;
  question_ = Question::kNone;
  std::string answer = absl::AsciiStrToLower(absl::StripAsciiWhitespace(line));
  bool yes = answer == "y" || answer == "yes";
  switch (question) {
    case Question::kSecret:
      if (line == profile_.secret) {
        privileged_ = true;
        return Prompt();
      }
      return EndLine(Fill(platform_.enable->bad_secret)) + Prompt();
    case Question::kSave:
      return yes ? EndLine(Fill(platform_.config->save->output)) + Prompt() : Prompt();
    case Question::kUncommitted:
      // Junos asks whether to leave, "(yes)" by default, dropping the staged
      // lines; commit style asks whether to commit them first.
      if (platform_.config->style == ConfigStyle::kJunos) {
        if (!yes && !answer.empty()) return Prompt();
      } else if (yes) {
        running_.insert(running_.end(), pending_.begin(), pending_.end());
      } else if (answer != "n" && answer != "no") {
        return Prompt();  // cancel: stay in configuration mode
      }
      pending_.clear();
      return Left();
    case Question::kConfirm:
    case Question::kLogin:
    case Question::kNone:
      break;
  }
  return Prompt();
}

std::string SimulatedDevice::HandleExec(const std::string& line, size_t column) {
  CommandMatch match = exec_.Find(line, privileged_);
  std::vector<absl::string_view> typed = Words(line);
  if (match.command == nullptr && !match.ambiguous && !match.incomplete && FlatConfig()) {
    // Exec commands come first ("set clienv rows 0" on Gaia); any other
    // line with a configuration word is one.
    CommandMatch config = config_->Find(line, /*privileged=*/true);
    if (config.command != nullptr && config.command->action == CommandAction::kConfigLine) {
      return ConfigLine(config, line);
    }
  }
  if (match.ambiguous) return Reject(platform_.errors.ambiguous, line, typed.back(), column);
  if (match.command == nullptr) {
    if (match.incomplete) return Reject(platform_.errors.incomplete, line, typed.back(), column);
    return Reject(platform_.errors.invalid, line, typed[match.unknown], column);
  }
  return Run(match, line, column);
}

// One case per action: the dispatch reads best whole.
std::string SimulatedDevice::Run(const CommandMatch& match, const std::string& line,
                                 size_t column) {
  const SimCommand& command = *match.command;
  Typed typed{line, "", match.arg};
  switch (command.action) {
    case CommandAction::kOutput:
      return Page(Output(command.text, typed));
    case CommandAction::kAccept:
      if (command.paging && !profile_.pager_ignores_terminal_length) {
        // The number the command names, or 0: it turns paging off.
        std::vector<absl::string_view> arg = Words(match.arg);
        if (arg.empty() || !absl::SimpleAtoi(arg[0], &terminal_length_)) terminal_length_ = 0;
      }
      return Prompt();
    case CommandAction::kEnable:
      if (privileged_) return Prompt();
      if (platform_.enable->password_prompt.empty()) {
        privileged_ = true;
        return Prompt();
      }
      question_ = Question::kSecret;
      return Fill(platform_.enable->password_prompt);
    case CommandAction::kDisable:
      if (privileged_) {
        privileged_ = false;
        return EndLine(Fill(platform_.enable->disable_output)) + Prompt();
      }
      // In user mode a disable word that is also a logout word logs out.
      if (std::find(platform_.logout.begin(), platform_.logout.end(), platform_.enable->disable) ==
          platform_.logout.end()) {
        return Prompt();
      }
      [[fallthrough]];
    case CommandAction::kLogout:
      closed_ = true;
      return "";
    case CommandAction::kHang:
      hung_ = true;
      return "";
    case CommandAction::kUnbroken: {
      size_t bytes = 0;
      if (!absl::SimpleAtoi(match.arg, &bytes) || bytes > kMaxUnbrokenBytes) {
        return Reject(platform_.errors.invalid, line, match.arg, column);
      }
      return Page(EndLine(UnbrokenText(bytes)));
    }
    case CommandAction::kConfigure:
      mode_ = Mode::kConfig;
      return EndLine(Fill(platform_.config->enter_output)) + Prompt();
    case CommandAction::kSave:
      return Save();
    case CommandAction::kConfirm:
      // Waits for an answer: a client that only expects the prompt hangs.
      question_ = Question::kConfirm;
      return Fill(command.text);
    default:  // configuration-mode actions: never in the exec table
      return Reject(platform_.errors.invalid, line, Words(line).front(), column);
  }
}

std::string SimulatedDevice::Reject(const std::string& message, const std::string& line,
                                    absl::string_view word, size_t column) {
  std::string out;
  if (platform_.errors.caret) {
    std::string prompt = Prompt();
    size_t prompt_width = prompt.size() - std::min(prompt.size(), prompt.rfind('\n') + 1);
    absl::StrAppend(&out, std::string(prompt_width + column + (word.data() - line.data()), ' '),
                    "^\r\n");
  }
  return absl::StrCat(out, EndLine(Fill(message, {line, word, ""})), Prompt());
}

std::string SimulatedDevice::Page(std::string text) {
  ++outputs_sent_;
  if (profile_.drop_mid_command && !text.empty()) {
    // The box dies with the output half sent.
    text.resize(text.size() / 2);
    closed_ = dropped_ = true;
    return text;
  }
  paged_ = std::move(text);
  paged_offset_ = 0;
  return AnswerPager(' ');
}

std::string SimulatedDevice::AnswerPager(char key) {
  std::string out;
  if (paged_offset_ != 0) {
    // IOS rubs the pager out with backspaces, spaces and backspaces.
    size_t width = platform_.pager.size();
    out = absl::StrCat(std::string(width, '\b'), std::string(width, ' '), std::string(width, '\b'));
  }
  if (key == 'q') paged_offset_ = paged_.size();
  size_t end = paged_offset_;
  bool pages = terminal_length_ > 0 && !platform_.pager.empty();
  for (int lines = 0; pages && lines < terminal_length_ - 1; ++lines) {
    end = paged_.find("\r\n", end);
    if (end == std::string::npos) break;
    end += 2;
  }
  if (!pages || end == std::string::npos || end >= paged_.size()) {
    absl::StrAppend(&out, absl::string_view(paged_).substr(paged_offset_), Prompt());
    paged_.clear();
    paged_offset_ = 0;
    return out;
  }
  absl::StrAppend(&out, absl::string_view(paged_).substr(paged_offset_, end - paged_offset_),
                  platform_.pager);
  paged_offset_ = end;
  return out;
}

std::string SimulatedDevice::Execute(absl::string_view line) {
  // An exec request runs with the account's full rights.
  CommandMatch match = exec_.Find(line, /*privileged=*/true);
  if (match.command == nullptr) {
    std::vector<absl::string_view> typed = Words(line);
    std::string message =
        Fill(platform_.errors.invalid, {line, typed.empty() ? "" : typed.front(), ""});
    return absl::StrCat(absl::StripTrailingAsciiWhitespace(message), "\r\n");
  }
  if (match.command->action != CommandAction::kOutput) return "";
  return Output(match.command->text, {line, "", match.arg});
}

}  // namespace netshard::devsim
