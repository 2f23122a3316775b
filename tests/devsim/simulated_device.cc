#include "tests/devsim/simulated_device.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace netshard::devsim {

constexpr char kArgument[] = "<arg>";

namespace {

// Words a configuration mode accepts first on a line (cisco-like CLIs).
const std::vector<std::string>& ConfigVocabulary() {
  static const auto* words = new std::vector<std::string>{
      "abort", "banner", "commit", "description", "do", "end", "exit", "hostname",
      "interface", "ip", "ipv4", "ipv6", "logging", "no", "ntp", "router", "service",
      "shutdown", "snmp-server", "switchport", "username", "vlan"};
  return *words;
}

bool WordMatches(absl::string_view typed, const std::string& word) {
  return word == kArgument || absl::StartsWith(word, typed);
}

std::vector<absl::string_view> Words(absl::string_view line) {
  return absl::StrSplit(line, ' ', absl::SkipWhitespace());
}

// The rest of `line` after its first word.
std::string Rest(absl::string_view line) {
  std::vector<absl::string_view> parts =
      absl::StrSplit(line, absl::MaxSplits(' ', 1), absl::SkipWhitespace());
  return parts.size() < 2 ? "" : std::string(parts[1]);
}

std::string Fill(const std::string& text, absl::string_view host, absl::string_view user,
                 absl::string_view line, absl::string_view word) {
  return absl::StrReplaceAll(
      text, {{"{host}", host}, {"{user}", user}, {"{line}", line}, {"{word}", word}});
}

std::string InterfaceTable(const SimPlatform& platform, const DeviceProfile& profile) {
  if (platform.shell) {
    return absl::StrFormat(
        "lo               UNKNOWN        127.0.0.1/8 ::1/128\r\n"
        "eth0             UP             %s/24\r\n",
        profile.address);
  }
  if (platform.config == ConfigStyle::kJunos) {
    return absl::StrFormat(
        "Interface               Admin Link Proto    Local                 Remote\r\n"
        "ge-0/0/0                up    up\r\n"
        "ge-0/0/0.0              up    up   inet     %-21s\r\n"
        "lo0.0                   up    up   inet     10.255.0.1          --> 0/0\r\n",
        profile.address + "/24");
  }
  return absl::StrCat(
      "Interface              IP-Address      OK? Method Status                Protocol\r\n",
      absl::StrFormat("GigabitEthernet0/0     %-15s YES NVRAM  up                    up      \r\n",
                      profile.address),
      "GigabitEthernet0/1     unassigned      YES NVRAM  administratively down down    \r\n",
      "Loopback0              10.255.0.1      YES NVRAM  up                    up      \r\n");
}

// Filler text of `bytes` bytes, rounded up to whole 80-byte lines: a
// device never ends its output mid-line.
std::string TechSupport(size_t bytes) {
  std::string out;
  out.reserve(bytes);
  for (size_t line = 1; out.size() < bytes; ++line) {
    std::string text = absl::StrFormat("%08d tech-support line: ", line);
    text.resize(78, 'x');
    absl::StrAppend(&out, text, "\r\n");
  }
  return out;
}

std::string Clock(const SimPlatform& platform) {
  absl::Time now = absl::Now();
  if (platform.shell) {
    return absl::FormatTime("%a %b %e %H:%M:%S UTC %Y\r\n", now, absl::UTCTimeZone());
  }
  if (platform.config == ConfigStyle::kJunos) {
    return absl::FormatTime("Current time: %Y-%m-%d %H:%M:%S UTC\r\n", now,
                            absl::UTCTimeZone());
  }
  // IOS writes the day unpadded: "Tue Dec 1 2026".
  return absl::StrCat(absl::FormatTime("*%H:%M:%E3S UTC %a %b ", now, absl::UTCTimeZone()),
                      absl::ToCivilDay(now, absl::UTCTimeZone()).day(),
                      absl::FormatTime(" %Y\r\n", now, absl::UTCTimeZone()));
}

std::vector<std::string> Split(const std::string& command) {
  return absl::StrSplit(command, ' ', absl::SkipWhitespace());
}

std::vector<std::string> With(std::vector<std::string> words, const char* last) {
  words.push_back(last);
  return words;
}

}  // namespace

SimulatedDevice::SimulatedDevice(DeviceProfile profile)
    : profile_(std::move(profile)),
      platform_(profile_.platform != nullptr ? *profile_.platform
                                             : *FindSimPlatform("cisco_ios")) {
  privileged_ = platform_.starts_privileged;
  const SimPlatform& p = platform_;
  bool has_enable = !p.enable_words.empty();
  bool junos = p.config == ConfigStyle::kJunos;
  commands_ = {
      {junos ? Split("show system uptime") : Split("show clock"), Action::kClock},
      {Split("show version"), Action::kVersion},
      {Split(p.interfaces_command), Action::kInterfaces},
      {Split("show tech-support"), Action::kTechSupport, has_enable},
      {Split(p.config_command), Action::kRunningConfig, has_enable},
      {{"exit"}, Action::kExit},
      {{"logout"}, Action::kExit},
      {{"quit"}, Action::kExit},
      // Test hook: the device stops answering, as a wedged box does.
      {{"simulate", "hang"}, Action::kHang},
  };
  if (!p.paging_words.empty()) {
    commands_.push_back({With(p.paging_words, kArgument), Action::kTerminalLength});
    commands_.push_back({With(p.width_words, kArgument), Action::kTerminalWidth});
  }
  if (has_enable) {
    commands_.push_back({p.enable_words, Action::kEnable});
    commands_.push_back({{"disable"}, Action::kDisable});
  }
  if (p.config != ConfigStyle::kNone) {
    commands_.push_back({p.config_words, Action::kConfigure, has_enable});
  }
  if (p.config == ConfigStyle::kCisco || p.config == ConfigStyle::kCommit) {
    commands_.push_back({{"clear", "counters"}, Action::kClearCounters, has_enable});
  }
  if (!p.save_words.empty()) commands_.push_back({p.save_words, Action::kSave, has_enable});
}

std::string SimulatedDevice::Greeting() {
  std::string banner = absl::StrCat("\r\n", profile_.hostname, " - ", platform_.name,
                                    " simulated by netshard devsim\r\n\r\n");
  if (profile_.hang_after_login) {
    hung_ = true;
    return banner;
  }
  return absl::StrCat(banner, Prompt());
}

std::string SimulatedDevice::Prompt() const {
  const SimPlatform& p = platform_;
  std::string user = platform_.shell && privileged_ ? "root" : profile_.username;
  std::string base = absl::StrCat(p.prompt_prefix, p.user_in_prompt ? user + "@" : "",
                                  profile_.hostname);
  switch (mode_) {
    case Mode::kExec:
      return base + (privileged_ ? p.privileged_terminator : p.user_terminator);
    case Mode::kConfig:
      if (p.config == ConfigStyle::kJunos) return absl::StrCat("\r\n[edit]\r\n", base, "# ");
      return base + "(config)#";
    case Mode::kConfigSub:
      return absl::StrCat(base, "(", submode_, ")#");
  }
  return base;
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
    if (c == '\r' || c == '\n') {
      std::string line = std::move(line_);
      line_.clear();
      out += "\r\n";
      out += HandleLine(line);
      continue;
    }
    if (c == '\x7f' || c == '\b') {
      if (!line_.empty()) {
        line_.pop_back();
        if (!awaiting_secret_) out += "\b \b";
      }
      continue;
    }
    if (static_cast<unsigned char>(c) < 0x20) continue;
    line_.push_back(c);
    if (!awaiting_secret_) out.push_back(c);  // a real PTY echoes all but secrets
  }
  return out;
}

std::string SimulatedDevice::HandleLine(const std::string& line) {
  if (awaiting_secret_) return HandleSecret(line);
  if (awaiting_exit_answer_) return HandleExitAnswer(line);
  if (awaiting_confirm_) {
    awaiting_confirm_ = false;
    return Prompt();
  }
  if (Words(line).empty()) return Prompt();
  ++commands_run_;
  if (platform_.shell) return HandleShell(line);
  if (mode_ == Mode::kExec) return HandleExec(line, 0);
  if (platform_.config == ConfigStyle::kJunos) return HandleJunosConfig(line);
  return HandleConfig(line);
}

std::string SimulatedDevice::HandleSecret(const std::string& line) {
  awaiting_secret_ = false;
  if (line == profile_.secret) {
    privileged_ = true;
    return Prompt();
  }
  return absl::StrCat(platform_.bad_secret, "\r\n\r\n", Prompt());
}

std::string SimulatedDevice::HandleExitAnswer(const std::string& line) {
  awaiting_exit_answer_ = false;
  std::string answer(absl::StripAsciiWhitespace(line));
  bool junos = platform_.config == ConfigStyle::kJunos;
  if (answer == "yes" || (junos && answer.empty())) {
    // XR commits on "yes"; Junos leaves and discards.
    if (!junos) running_.insert(running_.end(), pending_.begin(), pending_.end());
    pending_.clear();
  } else if (answer == "no" && !junos) {
    pending_.clear();
  } else {
    return Prompt();  // cancel: stay in configuration mode
  }
  mode_ = Mode::kExec;
  return absl::StrCat(junos ? "Exiting configuration mode\r\n\r\n" : "", Prompt());
}

const SimulatedDevice::Command* SimulatedDevice::FindCommand(
    const std::vector<absl::string_view>& typed, bool* partial, int* matches) const {
  const Command* full = nullptr;
  *partial = false;
  *matches = 0;
  for (const Command& command : commands_) {
    if (command.privileged && !privileged_) continue;
    if (typed.size() > command.words.size()) continue;
    bool fits = true;
    for (size_t i = 0; fits && i < typed.size(); ++i) {
      fits = WordMatches(typed[i], command.words[i]);
    }
    if (!fits) continue;
    if (typed.size() < command.words.size()) {
      *partial = true;
    } else if (full == nullptr || full->words != command.words) {
      full = &command;
      ++*matches;
    }
  }
  return full;
}

std::string SimulatedDevice::HandleExec(const std::string& line, size_t column) {
  std::vector<absl::string_view> typed = Words(line);
  bool partial = false;
  int matches = 0;
  const Command* command = FindCommand(typed, &partial, &matches);
  if (matches > 1) return Reject(platform_.ambiguous, line, typed.back(), column);
  if (command == nullptr) {
    if (partial) return Reject(platform_.incomplete, line, typed.back(), column);
    // The caret points at the first word no command knows.
    size_t bad = typed.size() - 1;
    for (size_t known = 1; known < typed.size(); ++known) {
      std::vector<absl::string_view> prefix(typed.begin(), typed.begin() + known);
      bool p = false;
      int m = 0;
      FindCommand(prefix, &p, &m);
      if (!p && m == 0) {
        bad = known - 1;
        break;
      }
    }
    return Reject(platform_.invalid, line, typed[bad], column);
  }
  switch (command->action) {
    case Action::kEnable:
      if (privileged_) return Prompt();
      awaiting_secret_ = true;
      return Fill(platform_.enable_password_prompt, profile_.hostname, profile_.username, "",
                  "");
    case Action::kDisable:
      privileged_ = false;
      return Prompt();
    case Action::kExit:
      closed_ = true;
      return "";
    case Action::kHang:
      hung_ = true;
      return "";
    case Action::kConfigure:
      mode_ = Mode::kConfig;
      if (platform_.config == ConfigStyle::kJunos) {
        return absl::StrCat("Entering configuration mode\r\n", Prompt());
      }
      return absl::StrCat("Enter configuration commands, one per line.  End with CNTL/Z.\r\n",
                          Prompt());
    case Action::kSave:
      return absl::StrCat(platform_.save_output, Prompt());
    case Action::kClearCounters:
      // Waits for a confirmation: a client that only expects the prompt hangs.
      awaiting_confirm_ = true;
      return "Clear \"show interface\" counters on all interfaces [confirm]";
    case Action::kTerminalLength:
    case Action::kTerminalWidth: {
      int value = 0;
      if (!absl::SimpleAtoi(typed.back(), &value) || value < 0 || value > 512) {
        return Reject(platform_.invalid, line, typed.back(), column);
      }
      if (command->action == Action::kTerminalLength &&
          !profile_.pager_ignores_terminal_length) {
        terminal_length_ = value;
      }
      return Prompt();
    }
    default:
      return Page(Output(*command, line));
  }
}

std::string SimulatedDevice::Reject(const std::string& message, const std::string& line,
                                    absl::string_view word, size_t column) {
  std::string out;
  if (platform_.caret) {
    std::string prompt = Prompt();
    size_t prompt_width = prompt.size() - std::min(prompt.size(), prompt.rfind('\n') + 1);
    absl::StrAppend(&out, std::string(prompt_width + column + (word.data() - line.data()), ' '),
                    "^\r\n");
  }
  absl::StrAppend(&out, Fill(message, profile_.hostname, profile_.username, line, word),
                  platform_.config == ConfigStyle::kJunos || platform_.shell ? "\r\n" : "\r\n\r\n",
                  Prompt());
  return out;
}

std::string SimulatedDevice::HandleConfig(const std::string& line) {
  std::vector<absl::string_view> typed = Words(line);
  bool commit_style = platform_.config == ConfigStyle::kCommit;
  std::vector<std::string> candidates;
  for (const std::string& word : ConfigVocabulary()) {
    if ((word == "commit" || word == "abort") && !commit_style) continue;
    if (word == typed[0]) {
      candidates = {word};
      break;
    }
    if (absl::StartsWith(word, typed[0])) candidates.push_back(word);
  }
  if (candidates.size() > 1) return Reject(platform_.ambiguous, line, typed[0], 0);
  if (candidates.empty()) return Reject(platform_.invalid, line, typed[0], 0);
  const std::string& word = candidates[0];
  if (word == "end") return LeaveConfig();
  if (word == "exit") {
    if (mode_ == Mode::kConfigSub) {
      mode_ = Mode::kConfig;
      return Prompt();
    }
    return LeaveConfig();
  }
  if (word == "do") {
    std::string rest = Rest(line);
    return HandleExec(rest, line.size() - rest.size());
  }
  if (word == "commit") {
    running_.insert(running_.end(), pending_.begin(), pending_.end());
    pending_.clear();
    return Prompt();
  }
  if (word == "abort") {
    pending_.clear();
    mode_ = Mode::kExec;
    return Prompt();
  }
  if (word != "shutdown" && typed.size() < 2) {
    return Reject(platform_.incomplete, line, typed[0], 0);
  }
  std::string out = Record(line);
  if (word == "interface" || word == "router" || word == "vlan") {
    mode_ = Mode::kConfigSub;
    submode_ = word == "interface" ? "config-if" : "config-" + word;
  }
  return out + Prompt();
}

std::string SimulatedDevice::HandleJunosConfig(const std::string& line) {
  std::vector<absl::string_view> typed = Words(line);
  absl::string_view word = typed[0];
  if (word == "set" || word == "delete") {
    if (typed.size() < 2) return Reject(platform_.incomplete, line, word, 0);
    return Record(line) + Prompt();
  }
  if (word == "commit") {
    running_.insert(running_.end(), pending_.begin(), pending_.end());
    pending_.clear();
    return absl::StrCat("commit complete\r\n", Prompt());
  }
  if (word == "rollback") {
    pending_.clear();
    return absl::StrCat("load complete\r\n", Prompt());
  }
  if (word == "show") {
    return absl::StrCat(absl::StrJoin(running_, "\r\n"), running_.empty() ? "" : "\r\n",
                        absl::StrJoin(pending_, "\r\n"), pending_.empty() ? "" : "\r\n",
                        Prompt());
  }
  if (word == "run") {
    std::string rest = Rest(line);
    return HandleExec(rest, line.size() - rest.size());
  }
  if (word == "exit" || word == "quit") return LeaveConfig();
  if (word == "top" || word == "up" || word == "edit") return Prompt();
  return Reject("unknown command.", line, word, 0);
}

std::string SimulatedDevice::LeaveConfig() {
  if (!pending_.empty()) {
    awaiting_exit_answer_ = true;
    if (platform_.config == ConfigStyle::kJunos) {
      return "The configuration has been changed but not committed\r\n"
             "Exit with uncommitted changes? [yes,no] (yes) ";
    }
    return "Uncommitted changes found, commit them before exiting(yes/no/cancel)? [cancel]:";
  }
  bool junos = platform_.config == ConfigStyle::kJunos;
  mode_ = Mode::kExec;
  return absl::StrCat(junos ? "Exiting configuration mode\r\n\r\n" : "", Prompt());
}

std::string SimulatedDevice::Record(const std::string& line) {
  std::string entry = std::string(mode_ == Mode::kConfigSub ? " " : "") +
                      std::string(absl::StripAsciiWhitespace(line));
  if (platform_.config == ConfigStyle::kCisco) {
    running_.push_back(std::move(entry));
  } else {
    pending_.push_back(std::move(entry));
  }
  return "";
}

std::string SimulatedDevice::HandleShell(const std::string& line) {
  std::vector<absl::string_view> typed = Words(line);
  absl::string_view program = typed[0];
  std::string trimmed(absl::StripAsciiWhitespace(line));
  std::string out;
  if (program == "exit" || program == "logout") {
    if (!privileged_) {
      closed_ = true;
      return "";
    }
    privileged_ = false;
    return absl::StrCat("exit\r\n", Prompt());
  }
  if (!platform_.enable_words.empty() && program == platform_.enable_words[0]) {
    if (typed.size() == 2 && (typed[1] == platform_.enable_words[1] || typed[1] == "-s")) {
      if (privileged_) return Prompt();
      awaiting_secret_ = true;
      return Fill(platform_.enable_password_prompt, profile_.hostname, profile_.username, "",
                  "");
    }
    return absl::StrCat("sudo: a password is required\r\n", Prompt());
  }
  if (trimmed == "simulate hang") {
    hung_ = true;
    return "";
  }
  if (program == "uname") {
    out = absl::StrCat("Linux ", profile_.hostname,
                       " 6.1.0-27-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.115-1 (2024-11-01) "
                       "x86_64 GNU/Linux\r\n");
  } else if (program == "hostname") {
    out = profile_.hostname + "\r\n";
  } else if (program == "whoami") {
    out = (privileged_ ? "root" : profile_.username) + "\r\n";
  } else if (program == "date") {
    out = Clock(platform_);
  } else if (program == "echo") {
    out = Rest(line) + "\r\n";
  } else if (trimmed == platform_.interfaces_command) {
    out = InterfaceTable(platform_, profile_);
  } else if (trimmed == "cat /var/log/messages") {
    out = TechSupport(profile_.tech_support_bytes);
  } else if (program == "cat" && typed.size() == 2) {
    out = typed[1] == "/etc/hostname"
              ? profile_.hostname + "\r\n"
              : absl::StrCat("cat: ", typed[1], ": No such file or directory\r\n");
  } else {
    return Reject(platform_.invalid, line, program, 0);
  }
  return Page(std::move(out));
}

std::string SimulatedDevice::Output(const Command& command, absl::string_view line) {
  switch (command.action) {
    case Action::kClock:
      return Clock(platform_);
    case Action::kInterfaces:
      return InterfaceTable(platform_, profile_);
    case Action::kVersion:
      return Fill(platform_.version, profile_.hostname, profile_.username, line, "");
    case Action::kRunningConfig:
      return RunningConfig();
    case Action::kTechSupport:
      return TechSupport(profile_.tech_support_bytes);
    default:
      return "";
  }
}

std::string SimulatedDevice::RunningConfig() const {
  if (platform_.config == ConfigStyle::kJunos) {
    std::string out = absl::StrCat("## Last commit: 2026-01-01 00:00:00 UTC by ",
                                   profile_.username, "\r\nversion 21.4R1.12;\r\n"
                                   "system {\r\n    host-name ", profile_.hostname, ";\r\n}\r\n");
    for (const std::string& line : running_) absl::StrAppend(&out, "# ", line, "\r\n");
    return out;
  }
  std::string out = absl::StrCat(
      "Building configuration...\r\n\r\nCurrent configuration : 2048 bytes\r\n!\r\nhostname ",
      profile_.hostname, "\r\n!\r\n");
  for (int i = 0; i < 16; ++i) {
    absl::StrAppend(&out, "interface GigabitEthernet0/", i, "\r\n description link ", i,
                    "\r\n no ip address\r\n!\r\n");
  }
  for (const std::string& line : running_) absl::StrAppend(&out, line, "\r\n");
  return absl::StrCat(out, "end\r\n");
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
    out = absl::StrCat(std::string(width, '\b'), std::string(width, ' '),
                       std::string(width, '\b'));
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
  std::vector<absl::string_view> typed = Words(line);
  bool partial = false;
  int matches = 0;
  privileged_ = true;  // exec requests run with the account's full rights
  const Command* command = FindCommand(typed, &partial, &matches);
  if (command == nullptr || matches != 1) {
    return Fill(platform_.invalid, profile_.hostname, profile_.username, line,
                typed.empty() ? "" : typed[0]) + "\r\n";
  }
  return Output(*command, line);
}

}  // namespace netshard::devsim
