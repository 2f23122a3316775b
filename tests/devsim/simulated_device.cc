#include "tests/devsim/simulated_device.h"

#include <functional>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace netshard::devsim {
namespace {

constexpr char kArgument[] = "<arg>";

enum class Action {
  kClock, kInterfaces, kVersion, kRunningConfig, kTerminalLength, kTerminalWidth,
  kEnable, kDisable, kExit, kHang
};

constexpr char kPager[] = " --More-- ";

struct Command {
  std::vector<std::string> words;  // kArgument matches any one word
  Action action;
  bool privileged = false;
};

const std::vector<Command>& Commands() {
  static const auto* commands = new std::vector<Command>{
      {{"show", "clock"}, Action::kClock},
      {{"show", "ip", "interface", "brief"}, Action::kInterfaces},
      {{"show", "version"}, Action::kVersion},
      {{"show", "running-config"}, Action::kRunningConfig},
      {{"terminal", "length", kArgument}, Action::kTerminalLength},
      {{"terminal", "width", kArgument}, Action::kTerminalWidth},
      {{"enable"}, Action::kEnable},
      {{"disable"}, Action::kDisable},
      {{"exit"}, Action::kExit},
      {{"logout"}, Action::kExit},
      {{"quit"}, Action::kExit},
      // Test hook: the device stops answering, as a wedged box does.
      {{"simulate", "hang"}, Action::kHang},
  };
  return *commands;
}

bool WordMatches(absl::string_view typed, const std::string& word) {
  return word == kArgument || absl::StartsWith(word, typed);
}

// How `typed` relates to `command`: a full match, a prefix of it, or neither.
enum class Fit { kNone, kPartial, kFull };
Fit FitOf(const std::vector<absl::string_view>& typed, const Command& command) {
  if (typed.size() > command.words.size()) return Fit::kNone;
  for (size_t i = 0; i < typed.size(); ++i) {
    if (!WordMatches(typed[i], command.words[i])) return Fit::kNone;
  }
  return typed.size() == command.words.size() ? Fit::kFull : Fit::kPartial;
}

std::string Invalid(size_t column) {
  return absl::StrCat(std::string(column, ' '),
                      "^\r\n% Invalid input detected at '^' marker.\r\n\r\n");
}

std::string InterfaceTable(const DeviceProfile& profile) {
  return absl::StrCat(
      "Interface              IP-Address      OK? Method Status                Protocol\r\n",
      absl::StrFormat("GigabitEthernet0/0     %-15s YES NVRAM  up                    up      \r\n",
                      profile.address),
      "GigabitEthernet0/1     unassigned      YES NVRAM  administratively down down    \r\n",
      "Loopback0              10.255.0.1      YES NVRAM  up                    up      \r\n");
}

std::string Version(const DeviceProfile& profile) {
  return absl::StrCat(
      "Cisco IOS Software, IOSv Software (VIOS-ADVENTERPRISEK9-M), Version 15.9(3)M4, RELEASE SOFTWARE (fc3)\r\n",
      "Technical Support: http://www.cisco.com/techsupport\r\n",
      "ROM: Bootstrap program is IOSv\r\n\r\n", profile.hostname,
      " uptime is 1 week, 2 days, 3 hours, 4 minutes\r\n",
      "System image file is \"flash0:/vios-adventerprisek9-m\"\r\n",
      "cisco IOSv (revision 1.0) with 460033K/62464K bytes of memory.\r\n",
      "Configuration register is 0x0\r\n");
}

std::string RunningConfig(const DeviceProfile& profile) {
  std::string out = absl::StrCat("Building configuration...\r\n\r\nCurrent configuration : 2048 bytes\r\n!\r\nhostname ",
                                 profile.hostname, "\r\n!\r\n");
  for (int i = 0; i < 16; ++i) {
    absl::StrAppend(&out, "interface GigabitEthernet0/", i, "\r\n description link ", i,
                    "\r\n no ip address\r\n!\r\n");
  }
  return absl::StrCat(out, "end\r\n");
}

}  // namespace

SimulatedDevice::SimulatedDevice(DeviceProfile profile)
    : profile_(std::move(profile)) {}

std::string SimulatedDevice::Greeting() const {
  return absl::StrCat("\r\n", profile_.hostname,
                      " - simulated by netshard devsim\r\n\r\n", Prompt());
}

std::string SimulatedDevice::Prompt() const {
  return absl::StrCat(profile_.hostname, enabled_ ? "#" : ">");
}

std::string SimulatedDevice::Type(absl::string_view bytes) {
  std::string out;
  for (char c : bytes) {
    if (closed_ || hung_) break;
    if (!paged_.empty()) {
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
      out += awaiting_secret_ ? HandlePassword(line) : HandleLine(line);
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

std::string SimulatedDevice::HandlePassword(const std::string& line) {
  awaiting_secret_ = false;
  if (line == profile_.secret) {
    enabled_ = true;
    return Prompt();
  }
  return absl::StrCat("% Bad secrets\r\n\r\n", Prompt());
}

std::string SimulatedDevice::HandleLine(const std::string& line) {
  std::vector<absl::string_view> typed =
      absl::StrSplit(line, ' ', absl::SkipWhitespace());
  if (typed.empty()) return Prompt();
  ++commands_run_;
  const Command* full = nullptr;
  int full_count = 0;
  bool partial = false;
  for (const Command& command : Commands()) {
    Fit fit = FitOf(typed, command);
    if (fit == Fit::kFull) {
      full = &command;
      ++full_count;
    }
    partial |= fit == Fit::kPartial;
  }
  if (full_count > 1) {
    return absl::StrCat("% Ambiguous command:  \"", line, "\"\r\n", Prompt());
  }
  if (full == nullptr) {
    if (partial) return absl::StrCat("% Incomplete command.\r\n\r\n", Prompt());
    size_t column = Prompt().size() + (typed.back().data() - line.data());
    return absl::StrCat(Invalid(column), Prompt());
  }
  switch (full->action) {
    case Action::kEnable:
      if (enabled_) return Prompt();
      awaiting_secret_ = true;
      return "Password: ";
    case Action::kDisable:
      enabled_ = false;
      return Prompt();
    case Action::kExit:
      closed_ = true;
      return "";
    case Action::kHang:
      hung_ = true;
      return "";
    case Action::kTerminalLength: {
      int length = 24;
      if (absl::SimpleAtoi(typed.back(), &length) && length >= 0 && length <= 512) {
        if (!profile_.pager_ignores_terminal_length) terminal_length_ = length;
        return Prompt();
      }
      return absl::StrCat(Invalid(Prompt().size() + (typed.back().data() - line.data())),
                          Prompt());
    }
    default:
      return Page(Execute(line));
  }
}

std::string SimulatedDevice::Page(std::string text) {
  size_t end = 0;
  for (int lines = 0; terminal_length_ > 0 && lines < terminal_length_ - 1; ++lines) {
    end = text.find("\r\n", end);
    if (end == std::string::npos) break;
    end += 2;
  }
  if (terminal_length_ == 0 || end == std::string::npos || end >= text.size()) {
    return absl::StrCat(text, Prompt());
  }
  paged_ = text.substr(end);
  text.resize(end);
  return absl::StrCat(text, kPager);
}

std::string SimulatedDevice::AnswerPager(char key) {
  // IOS rubs the pager out with backspaces, spaces and backspaces.
  size_t width = sizeof(kPager) - 1;
  std::string erase = absl::StrCat(std::string(width, '\b'), std::string(width, ' '),
                                   std::string(width, '\b'));
  std::string rest = std::move(paged_);
  paged_.clear();
  if (key == 'q') return absl::StrCat(erase, Prompt());
  return absl::StrCat(erase, Page(std::move(rest)));
}

std::string SimulatedDevice::Execute(absl::string_view line) {
  std::vector<absl::string_view> typed =
      absl::StrSplit(line, ' ', absl::SkipWhitespace());
  for (const Command& command : Commands()) {
    if (FitOf(typed, command) != Fit::kFull) continue;
    switch (command.action) {
      case Action::kClock:
        return absl::StrCat(
            absl::FormatTime("*%H:%M:%E3S UTC %a %b %e %Y", absl::Now(),
                             absl::UTCTimeZone()),
            "\r\n");
      case Action::kInterfaces:
        return InterfaceTable(profile_);
      case Action::kVersion:
        return Version(profile_);
      case Action::kRunningConfig:
        return RunningConfig(profile_);
      default:
        return "";
    }
  }
  return Invalid(0);
}

}  // namespace netshard::devsim
