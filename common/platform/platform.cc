#include "common/platform/platform.h"

#include <cctype>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "yaml-cpp/yaml.h"

namespace netshard {
namespace {

// Reads one platform file's YAML, every error naming file, line and field.
class PlatformReader {
 public:
  explicit PlatformReader(absl::string_view source) : source_(source) {}

  absl::Status Error(const YAML::Node& at, absl::string_view field,
                     absl::string_view what) const {
    return absl::InvalidArgumentError(
        absl::StrCat(source_, ":", at.Mark().line + 1, ": ", field, ": ", what));
  }

  // Every key of `map` must be one of `known`.
  absl::Status CheckKeys(const YAML::Node& map, absl::string_view where,
                         const std::set<std::string>& known) const {
    if (!map.IsMap()) return Error(map, where, "must be a mapping");
    for (const auto& entry : map) {
      std::string key = entry.first.Scalar();
      if (known.count(key) == 0) {
        return Error(entry.first, Join(where, key),
                     absl::StrCat("unknown field; known: ", absl::StrJoin(known, ", ")));
      }
    }
    return absl::OkStatus();
  }

  absl::Status String(const YAML::Node& map, const char* key, absl::string_view where,
                      std::string* out) const {
    YAML::Node node = map[key];
    if (!node.IsDefined() || node.IsNull()) return absl::OkStatus();
    if (!node.IsScalar()) return Error(node, Join(where, key), "must be a single value");
    *out = node.Scalar();
    return absl::OkStatus();
  }

  absl::Status Strings(const YAML::Node& map, const char* key, absl::string_view where,
                       std::vector<std::string>* out) const {
    YAML::Node node = map[key];
    if (!node.IsDefined() || node.IsNull()) return absl::OkStatus();
    if (!node.IsSequence()) return Error(node, Join(where, key), "must be a list");
    for (const YAML::Node& item : node) {
      if (!item.IsScalar()) return Error(item, Join(where, key), "each item must be a string");
      out->push_back(item.Scalar());
    }
    return absl::OkStatus();
  }

  absl::Status Bool(const YAML::Node& map, const char* key, absl::string_view where,
                    bool* out) const {
    YAML::Node node = map[key];
    if (!node.IsDefined() || node.IsNull()) return absl::OkStatus();
    if (!node.IsScalar() || !YAML::convert<bool>::decode(node, *out)) {
      return Error(node, Join(where, key), "must be true or false");
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::unique_ptr<RE2>> Regex(const YAML::Node& node,
                                             absl::string_view field) const {
    if (!node.IsScalar()) return Error(node, field, "must be a regular expression");
    auto re = std::make_unique<RE2>(node.Scalar(), RE2::Quiet);
    if (!re->ok()) {
      return Error(node, field,
                   absl::StrCat("bad regular expression '", node.Scalar(), "': ", re->error(),
                                " (RE2 syntax: no lookarounds or backreferences)"));
    }
    return re;
  }

  absl::Status OptionalRegex(const YAML::Node& map, const char* key, absl::string_view where,
                             std::unique_ptr<RE2>* out) const {
    YAML::Node node = map[key];
    if (!node.IsDefined() || node.IsNull()) return absl::OkStatus();
    ASSIGN_OR_RETURN(*out, Regex(node, Join(where, key)));
    return absl::OkStatus();
  }

  absl::Status Regexes(const YAML::Node& map, const char* key, absl::string_view where,
                       std::vector<std::unique_ptr<RE2>>* out) const {
    YAML::Node node = map[key];
    if (!node.IsDefined() || node.IsNull()) return absl::OkStatus();
    if (!node.IsSequence()) return Error(node, Join(where, key), "must be a list");
    for (const YAML::Node& item : node) {
      ASSIGN_OR_RETURN(std::unique_ptr<RE2> re, Regex(item, Join(where, key)));
      out->push_back(std::move(re));
    }
    return absl::OkStatus();
  }

  // A list of {prompt: REGEX, answer: TEXT}.
  absl::Status Answers(const YAML::Node& map, const char* key, absl::string_view where,
                       std::vector<PlatformAnswer>* out) const {
    YAML::Node node = map[key];
    std::string field = Join(where, key);
    if (!node.IsDefined() || node.IsNull()) return absl::OkStatus();
    if (!node.IsSequence()) return Error(node, field, "must be a list of {prompt, answer}");
    for (const YAML::Node& item : node) {
      RETURN_IF_ERROR(CheckKeys(item, field, {"prompt", "answer"}));
      if (!item["prompt"]) return Error(item, field, "each item needs a 'prompt'");
      PlatformAnswer answer;
      ASSIGN_OR_RETURN(answer.prompt, Regex(item["prompt"], Join(field, "prompt")));
      RETURN_IF_ERROR(String(item, "answer", field, &answer.answer));
      out->push_back(std::move(answer));
    }
    return absl::OkStatus();
  }

  static std::string Join(absl::string_view where, absl::string_view key) {
    return where.empty() ? std::string(key) : absl::StrCat(where, ".", key);
  }

 private:
  std::string source_;
};

bool ValidName(absl::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '_')) {
      return false;
    }
  }
  return true;
}

absl::Status ReadPrompt(const PlatformReader& r, const YAML::Node& node, Platform& p) {
  if (!node) return r.Error(node, "prompt", "missing (give at least prompt.terminators)");
  RETURN_IF_ERROR(r.CheckKeys(node, "prompt", {"pattern", "terminators", "openers", "mode_spaces", "max_mode", "preamble"}));
  RETURN_IF_ERROR(r.OptionalRegex(node, "pattern", "prompt", &p.prompt));
  if (p.prompt != nullptr && p.prompt->NumberOfCapturingGroups() < 1) {
    return r.Error(node["pattern"], "prompt.pattern", "needs a group: (the base name)");
  }
  RETURN_IF_ERROR(r.String(node, "terminators", "prompt", &p.prompt_terminators));
  if (p.prompt_terminators.empty()) {
    return r.Error(node, "prompt.terminators", "missing: the characters a prompt ends with");
  }
  RETURN_IF_ERROR(r.String(node, "openers", "prompt", &p.prompt_openers));
  RETURN_IF_ERROR(r.Bool(node, "mode_spaces", "prompt", &p.prompt_mode_spaces));
  if (YAML::Node max = node["max_mode"]) {
    if (!YAML::convert<int>::decode(max, p.prompt_max_mode) || p.prompt_max_mode < 0 ||
        p.prompt_max_mode > 200) {
      return r.Error(max, "prompt.max_mode", "must be an integer 0..200");
    }
  }
  return r.OptionalRegex(node, "preamble", "prompt", &p.prompt_preamble);
}

absl::Status ReadEnable(const PlatformReader& r, const YAML::Node& node, Platform& p) {
  if (!node) return absl::OkStatus();
  RETURN_IF_ERROR(r.CheckKeys(node, "enable",
                              {"command", "privileged", "password_prompt", "before_paging"}));
  RETURN_IF_ERROR(r.String(node, "command", "enable", &p.enable_command));
  if (p.enable_command.empty()) return r.Error(node, "enable.command", "missing");
  RETURN_IF_ERROR(r.String(node, "privileged", "enable", &p.privileged_suffix));
  if (p.privileged_suffix.empty()) {
    return r.Error(node["privileged"], "enable.privileged", "must not be empty");
  }
  RETURN_IF_ERROR(r.OptionalRegex(node, "password_prompt", "enable", &p.enable_password_prompt));
  return r.Bool(node, "before_paging", "enable", &p.enable_before_paging);
}

absl::Status ReadConfig(const PlatformReader& r, const YAML::Node& node, Platform& p) {
  if (!node) return absl::OkStatus();
  RETURN_IF_ERROR(r.CheckKeys(node, "config", {"enter", "commit", "exit", "abort", "save",
                                               "save_answers", "save_in_config"}));
  p.has_config = true;
  RETURN_IF_ERROR(r.String(node, "enter", "config", &p.config_command));
  RETURN_IF_ERROR(r.String(node, "exit", "config", &p.config_exit_command));
  if (p.config_command.empty() != p.config_exit_command.empty()) {
    return r.Error(node, "config", "give both enter and exit, or neither (lines typed at the prompt)");
  }
  RETURN_IF_ERROR(r.Bool(node, "save_in_config", "config", &p.save_in_config));
  RETURN_IF_ERROR(r.String(node, "commit", "config", &p.commit_command));
  RETURN_IF_ERROR(r.Strings(node, "abort", "config", &p.config_abort_commands));
  RETURN_IF_ERROR(r.String(node, "save", "config", &p.save_command));
  return r.Answers(node, "save_answers", "config", &p.save_answers);
}

absl::Status ReadDetect(const PlatformReader& r, const YAML::Node& node, Platform& p) {
  if (!node) return absl::OkStatus();
  RETURN_IF_ERROR(r.CheckKeys(node, "detect", {"commands", "patterns", "priority"}));
  RETURN_IF_ERROR(r.Strings(node, "commands", "detect", &p.detect_commands));
  RETURN_IF_ERROR(r.Regexes(node, "patterns", "detect", &p.detect_patterns));
  if (p.detect_commands.empty() || p.detect_patterns.empty()) {
    return r.Error(node, "detect", "needs both commands and patterns");
  }
  if (YAML::Node priority = node["priority"]) {
    if (!YAML::convert<int>::decode(priority, p.detect_priority) || p.detect_priority < 1 ||
        p.detect_priority > 99) {
      return r.Error(priority, "detect.priority", "must be an integer 1..99");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Platform>> ReadPlatform(const PlatformReader& r,
                                                       const YAML::Node& root) {
  if (!root.IsMap()) return r.Error(root, "", "a platform file is a mapping (name: ..., prompt: ...)");
  RETURN_IF_ERROR(r.CheckKeys(root, "",
                              {"name", "vendor", "os", "aliases", "prompt", "newline",
                               "username_suffix", "login", "paging", "setup", "enable", "config",
                               "rejections", "pagers", "detect"}));
  auto p = std::make_unique<Platform>();
  RETURN_IF_ERROR(r.String(root, "name", "", &p->name));
  if (!ValidName(p->name)) {
    return r.Error(root["name"] ? root["name"] : root, "name",
                   "missing or not a device_type name (lower case, digits, '_')");
  }
  RETURN_IF_ERROR(r.String(root, "vendor", "", &p->vendor));
  RETURN_IF_ERROR(r.String(root, "os", "", &p->os));
  RETURN_IF_ERROR(r.Strings(root, "aliases", "", &p->aliases));
  for (const std::string& alias : p->aliases) {
    if (!ValidName(alias) || alias == kAutodetect) {
      return r.Error(root["aliases"], "aliases", absl::StrCat("'", alias, "' is not a device_type name"));
    }
  }
  RETURN_IF_ERROR(ReadPrompt(r, root["prompt"], *p));
  RETURN_IF_ERROR(r.String(root, "newline", "", &p->newline));
  if (p->newline.empty()) return r.Error(root["newline"], "newline", "must not be empty");
  RETURN_IF_ERROR(r.String(root, "username_suffix", "", &p->username_suffix));
  RETURN_IF_ERROR(r.Answers(root, "login", "", &p->login_answers));
  RETURN_IF_ERROR(r.Strings(root, "paging", "", &p->paging_commands));
  RETURN_IF_ERROR(r.Strings(root, "setup", "", &p->setup_commands));
  RETURN_IF_ERROR(ReadEnable(r, root["enable"], *p));
  RETURN_IF_ERROR(ReadConfig(r, root["config"], *p));
  RETURN_IF_ERROR(r.Regexes(root, "rejections", "", &p->rejection_patterns));
  RETURN_IF_ERROR(r.Regexes(root, "pagers", "", &p->pager_patterns));
  RETURN_IF_ERROR(ReadDetect(r, root["detect"], *p));
  return p;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Platform>> ParsePlatform(absl::string_view text,
                                                        absl::string_view source) {
  PlatformReader reader(source);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ":", e.mark.line + 1, ": not valid YAML: ", e.msg));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<Platform> platform, ReadPlatform(reader, root));
  if (platform->name == kAutodetect) {
    return reader.Error(root["name"], "name", "'autodetect' is reserved");
  }
  platform->source = std::string(source);
  platform->definition = std::string(text);
  return platform;
}

const RE2& PagerPrompt() {
  // --More--, -- More --, ---(more 52%)---, and less's (END).
  static const RE2* pager = new RE2(
      R"((?i)^\s*(-{1,3}\s?\(?more[^)\-]{0,12}\)?\s?-{1,3}|\(END\))\s*$)");
  return *pager;
}

}  // namespace netshard
