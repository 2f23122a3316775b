#include "tests/devsim/sim_commands.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace netshard::devsim {
namespace {

bool IsPlaceholder(const std::string& word) { return word == "<n>" || word == "<arg>"; }

std::vector<std::string> Split(absl::string_view command) {
  return absl::StrSplit(command, ' ', absl::SkipWhitespace());
}

bool Listed(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

std::vector<absl::string_view> Words(absl::string_view line) {
  return absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipWhitespace());
}

bool CommandTable::Fits(absl::string_view typed, const std::string& word) const {
  if (word == "<arg>") return true;
  if (word == "<n>") {
    int value = 0;
    return absl::SimpleAtoi(typed, &value) && value >= 0 && value <= 512;
  }
  return rules_.abbreviations ? absl::StartsWith(word, typed) : word == typed;
}

CommandMatch CommandTable::Find(absl::string_view line, bool privileged) const {
  std::vector<absl::string_view> typed = Words(line);
  CommandMatch match;
  std::vector<const SimCommand*> best;  // the full matches with the most words
  bool partial = false;
  for (const SimCommand& command : commands_) {
    if (command.privileged && !privileged) continue;
    size_t n = command.words.size();
    bool fits = true;
    for (size_t i = 0; fits && i < std::min(n, typed.size()); ++i) {
      fits = Fits(typed[i], command.words[i]);
    }
    if (!fits || (typed.size() > n && !rules_.arguments)) continue;
    if (typed.size() < n) {
      partial = true;
    } else if (best.empty() || n > best.front()->words.size()) {
      best = {&command};
    } else if (n == best.front()->words.size()) {
      best.push_back(&command);
    }
  }
  auto whole = [&typed](const SimCommand* c) {
    for (size_t i = 0; i < c->words.size(); ++i) {
      if (!IsPlaceholder(c->words[i]) && c->words[i] != typed[i]) return false;
    }
    return true;
  };
  auto typed_whole = std::find_if(best.begin(), best.end(), whole);
  if (typed_whole != best.end()) {
    match.command = *typed_whole;
  } else if (!best.empty()) {
    bool same = std::all_of(best.begin(), best.end(),
                            [&](const SimCommand* c) { return c->words == best[0]->words; });
    if (same) match.command = best[0];
    match.ambiguous = !same;
  }
  if (match.command != nullptr) {
    const std::vector<std::string>& words = match.command->words;
    size_t from = std::find_if(words.begin(), words.end(), IsPlaceholder) - words.begin();
    if (from < typed.size()) {
      match.arg = absl::StripTrailingAsciiWhitespace(line.substr(typed[from].data() - line.data()));
    }
    return match;
  }
  // With arguments allowed a line is known by its first words, so only the
  // first can be wrong.
  match.incomplete = partial && !match.ambiguous && !rules_.arguments;
  if (!rules_.arguments && !match.ambiguous && !match.incomplete) {
    match.unknown = FirstUnknown(typed, privileged);
  }
  return match;
}

size_t CommandTable::FirstUnknown(const std::vector<absl::string_view>& typed,
                                  bool privileged) const {
  for (size_t k = 1; k < typed.size(); ++k) {
    bool known = std::any_of(commands_.begin(), commands_.end(), [&](const SimCommand& c) {
      if ((c.privileged && !privileged) || c.words.size() < k) return false;
      for (size_t i = 0; i < k; ++i) {
        if (!Fits(typed[i], c.words[i])) return false;
      }
      return true;
    });
    if (!known) return k - 1;
  }
  return typed.empty() ? 0 : typed.size() - 1;
}

CommandTable ExecCommands(const SimPlatform& p) {
  std::vector<SimCommand> commands;
  auto add = [&](const std::string& command, CommandAction action, std::string text = "") {
    commands.push_back({Split(command), action, std::move(text),
                        Listed(p.privileged_commands, command), Listed(p.paging, command)});
  };
  // First, so that a disable word that also logs out ("exit" in a root
  // shell) leaves privileged mode when there is one to leave.
  if (p.enable && !p.enable->disable.empty()) add(p.enable->disable, CommandAction::kDisable);
  for (const auto& [command, output] : p.commands) add(command, CommandAction::kOutput, output);
  if (p.config && !p.config->show.empty()) {
    add(p.config->show, CommandAction::kOutput, "{running_config}");
  }
  for (const auto& [command, question] : p.confirm_commands) {
    add(command, CommandAction::kConfirm, question);
  }
  for (const std::string& command : p.accepts) add(command, CommandAction::kAccept);
  if (p.enable) add(p.enable->command, CommandAction::kEnable);
  if (p.config && !p.config->enter.empty()) add(p.config->enter, CommandAction::kConfigure);
  if (p.config && p.config->save && !p.config->save->in_config) {
    add(p.config->save->command, CommandAction::kSave);
  }
  for (const std::string& command : p.logout) add(command, CommandAction::kLogout);
  add("simulate hang", CommandAction::kHang);
  add("simulate unbroken <arg>", CommandAction::kUnbroken);
  return CommandTable({.abbreviations = !p.shell, .arguments = p.shell}, std::move(commands));
}

CommandTable ConfigCommands(const SimPlatform& p) {
  const SimPlatform::Config& c = *p.config;
  std::vector<SimCommand> commands;
  auto add = [&](const std::string& command, CommandAction action, std::string text = "") {
    if (!command.empty()) commands.push_back({Split(command), action, std::move(text)});
  };
  for (const std::string& command : c.exit) add(command, CommandAction::kExit);
  for (const std::string& command : c.up) add(command, CommandAction::kUp);
  add(c.commit, CommandAction::kCommit);
  add(c.abort, CommandAction::kAbort);
  add(c.exec_prefix, CommandAction::kExec);
  for (const auto& [command, output] : c.commands) add(command, CommandAction::kOutput, output);
  if (c.save && c.save->in_config) add(c.save->command, CommandAction::kSave);
  for (const std::string& word : c.words) add(word, CommandAction::kConfigLine);
  for (const auto& [word, sub] : c.submodes) add(word, CommandAction::kConfigLine);
  return CommandTable({.abbreviations = true, .arguments = true}, std::move(commands));
}

}  // namespace netshard::devsim
