// SimulatedDevice in configuration mode: lines applied at once or staged
// until commit, submodes, saving, and leaving; and flat configuration lines
// typed at the exec prompt.
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "tests/devsim/sim_text.h"
#include "tests/devsim/simulated_device.h"

namespace netshard::devsim {

std::string SimulatedDevice::HandleConfig(const std::string& line) {
  const SimPlatform::Config& c = *platform_.config;
  CommandMatch match = config_->Find(line, /*privileged=*/true);
  absl::string_view first = Words(line).front();
  if (match.ambiguous) return Reject(platform_.errors.ambiguous, line, first, 0);
  if (match.command == nullptr) return Reject(platform_.errors.config_invalid, line, first, 0);
  switch (match.command->action) {
    case CommandAction::kExit:
      return LeaveConfig();
    case CommandAction::kUp:
      if (mode_ == Mode::kConfigSub) {
        mode_ = Mode::kConfig;
        return Prompt();
      }
      return LeaveConfig();
    case CommandAction::kCommit:
      running_.insert(running_.end(), pending_.begin(), pending_.end());
      pending_.clear();
      return EndLine(Fill(c.commit_output)) + Prompt();
    case CommandAction::kAbort: {
      pending_.clear();
      std::string out = EndLine(Fill(c.abort_output));
      // Junos's rollback stays; IOS XR's abort leaves.
      return c.style == ConfigStyle::kJunos ? out + Prompt() : out + Left();
    }
    case CommandAction::kExec:
      if (match.arg.empty()) return Reject(platform_.errors.incomplete, line, first, 0);
      return HandleExec(std::string(match.arg), match.arg.data() - line.data());
    case CommandAction::kSave:
      return Save();
    case CommandAction::kOutput:
      // Not paged, and not a show's output the server delays.
      return EndLine(Fill(match.command->text, {line, "", match.arg}, /*generators=*/true)) +
             Prompt();
    default:
      return ConfigLine(match, line);
  }
}

std::string SimulatedDevice::ConfigLine(const CommandMatch& match, const std::string& line) {
  const SimPlatform::Config& c = *platform_.config;
  const std::string& word = match.command->words.front();
  if (match.arg.empty() &&
      std::find(c.standalone.begin(), c.standalone.end(), word) == c.standalone.end()) {
    return Reject(platform_.errors.incomplete, line, Words(line).front(), 0);
  }
  auto submode = std::find_if(c.submodes.begin(), c.submodes.end(),
                              [&](const auto& entry) { return entry.first == word; });
  // Lines typed in a submode belong to it, indented under the line that
  // entered it.
  bool indent = mode_ == Mode::kConfigSub && submode == c.submodes.end();
  std::string entry = absl::StrCat(indent ? " " : "", absl::StripAsciiWhitespace(line));
  bool staged = c.style == ConfigStyle::kCommit || c.style == ConfigStyle::kJunos;
  (staged ? pending_ : running_).push_back(std::move(entry));
  if (submode != c.submodes.end()) {
    mode_ = Mode::kConfigSub;
    submode_ = Fill(submode->second, {line, "", match.arg});
  }
  return Prompt();
}

bool SimulatedDevice::FlatConfig() const {
  return platform_.config && platform_.config->style == ConfigStyle::kFlat &&
         (privileged_ || !platform_.enable);
}

std::string SimulatedDevice::Save() {
  const SimPlatform::Save& save = *platform_.config->save;
  if (!save.confirm.empty()) {
    question_ = Question::kSave;
    return Fill(save.confirm);
  }
  return EndLine(Fill(save.output)) + Prompt();
}

std::string SimulatedDevice::LeaveConfig() {
  if (!pending_.empty() && !platform_.config->uncommitted.empty()) {
    question_ = Question::kUncommitted;
    return Fill(platform_.config->uncommitted);
  }
  pending_.clear();
  return Left();
}

std::string SimulatedDevice::Left() {
  mode_ = Mode::kExec;
  return EndLine(Fill(platform_.config->exit_output)) + Prompt();
}

std::string SimulatedDevice::RunningConfig() const {
  const SimPlatform::Config* c = platform_.config ? &*platform_.config : nullptr;
  if (c == nullptr) return "";
  std::string out = Fill(c->running_header);
  for (const std::string& line : running_) {
    absl::StrAppend(&out, Fill(c->running_line, {line, "", ""}), "\r\n");
  }
  return out + Fill(c->running_footer);
}

std::string SimulatedDevice::Candidate() const {
  std::string out;
  for (const auto* lines : {&running_, &pending_}) {
    for (const std::string& line : *lines) absl::StrAppend(&out, line, "\r\n");
  }
  return out;
}

}  // namespace netshard::devsim
