#include "tests/devsim/sim_platform_file.h"

#include <algorithm>
#include <functional>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status_macros.h"
#include "yaml-cpp/yaml.h"

namespace netshard::devsim {
namespace {

// First words a configuration mode takes when the file names none: what
// Cisco-like CLIs accept (docs/devsim-platforms.md, config.words).
const std::vector<std::string>& CiscoLikeWords() {
  static const auto* words = new std::vector<std::string>{
      "banner",   "description", "hostname",   "interface", "ip",     "ipv4",
      "ipv6",     "logging",     "no",         "ntp",       "router", "service",
      "shutdown", "snmp-server", "switchport", "username",  "vlan"};
  return *words;
}

// "\n" becomes the "\r\n" a PTY sends; a "\r\n" already there stays.
std::string Crlf(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out.push_back('\r');
    out.push_back(text[i]);
  }
  return out;
}

std::string Join(const std::string& path, absl::string_view key) {
  return path.empty() ? std::string(key) : absl::StrCat(path, ".", key);
}

// Reads YAML nodes into a SimPlatform; each error names file, line and field.
class Reader {
 public:
  // Reads a field's value; `key` is where errors about the whole value point.
  using ReadValue = std::function<absl::Status(const YAML::Node& key, const YAML::Node& value,
                                               const std::string& path)>;
  struct Field {
    std::string name;
    ReadValue read;
    bool required = false;
  };

  explicit Reader(absl::string_view file) : file_(file) {}

  absl::Status Error(const YAML::Node& at, absl::string_view path,
                     absl::string_view problem) const {
    int line = at.IsDefined() && at.Mark().line >= 0 ? at.Mark().line + 1 : 1;
    return absl::InvalidArgumentError(absl::StrCat(file_, ":", line, ": ", path, ": ", problem));
  }

  // Reads the mapping `node`, the value of `path` ("" for the whole file).
  absl::Status Map(const YAML::Node& node, const std::string& path,
                   const std::vector<Field>& fields) const {
    if (!node.IsMap()) return Error(node, path.empty() ? "file" : path, "must be a mapping");
    std::set<std::string> seen;
    for (const auto& entry : node) {
      std::string key = entry.first.Scalar();
      std::string field_path = Join(path, key);
      auto field =
          std::find_if(fields.begin(), fields.end(), [&](const Field& f) { return f.name == key; });
      if (field == fields.end()) {
        std::vector<std::string> names;
        for (const Field& f : fields) names.push_back(f.name);
        return Error(entry.first, field_path,
                     absl::StrCat("unknown field; known: ", absl::StrJoin(names, ", ")));
      }
      if (!seen.insert(key).second) return Error(entry.first, field_path, "given twice");
      RETURN_IF_ERROR(field->read(entry.first, entry.second, field_path));
    }
    for (const Field& field : fields) {
      if (field.required && seen.count(field.name) == 0) {
        return Error(node, Join(path, field.name), "missing; it is required");
      }
    }
    return absl::OkStatus();
  }

  Field Text(std::string name, std::string* out, bool required = false) const {
    return {std::move(name),
            [this, out](const YAML::Node& key, const YAML::Node& value, const std::string& path) {
              return ReadText(key, value, path, out);
            },
            required};
  }

  Field Flag(std::string name, bool* out) const {
    return {std::move(name),
            [this, out](const YAML::Node& key, const YAML::Node& value, const std::string& path) {
              if (!value.IsScalar() || (value.Scalar() != "true" && value.Scalar() != "false")) {
                return Error(key, path, "must be true or false");
              }
              *out = value.Scalar() == "true";
              return absl::OkStatus();
            }};
  }

  Field List(std::string name, std::vector<std::string>* out, bool required = false) const {
    return {std::move(name),
            [this, out](const YAML::Node& key, const YAML::Node& value, const std::string& path) {
              out->clear();
              if (value.IsNull()) return absl::OkStatus();
              if (!value.IsSequence()) return Error(key, path, "must be a list of texts");
              for (const auto& item : value) {
                if (!item.IsScalar()) return Error(item, path, "each entry must be text");
                out->push_back(Crlf(item.Scalar()));
              }
              return absl::OkStatus();
            },
            required};
  }

  Field Pairs(std::string name, TextPairs* out) const {
    return {std::move(name),
            [this, out](const YAML::Node& key, const YAML::Node& value, const std::string& path) {
              out->clear();
              if (value.IsNull()) return absl::OkStatus();
              if (!value.IsMap()) return Error(key, path, "must be a mapping of texts");
              std::set<std::string> seen;
              for (const auto& entry : value) {
                std::string item_path = absl::StrCat(path, "[\"", entry.first.Scalar(), "\"]");
                if (!entry.first.IsScalar()) return Error(entry.first, path, "keys must be text");
                if (!seen.insert(entry.first.Scalar()).second) {
                  return Error(entry.first, item_path, "given twice");
                }
                std::string text;
                RETURN_IF_ERROR(ReadText(entry.first, entry.second, item_path, &text));
                out->emplace_back(entry.first.Scalar(), std::move(text));
              }
              return absl::OkStatus();
            }};
  }

  // A nested mapping whose fields `fields()` lists once `start()` has made
  // room for them (an optional section coming into being).
  Field Section(std::string name, std::function<void()> start,
                std::function<std::vector<Field>()> fields, bool required = false) const {
    return {
        std::move(name),
        [this, start, fields](const YAML::Node&, const YAML::Node& value, const std::string& path) {
          start();
          return Map(value, path, fields());
        },
        required};
  }

  // The list of login questions `name`: each {text, expects, secret}.
  Field Questions(std::string name, std::vector<SimPlatform::LoginQuestion>* out) const {
    using Expects = SimPlatform::LoginQuestion::Expects;
    return {std::move(name),
            [this, out](const YAML::Node& key, const YAML::Node& value, const std::string& path) {
              out->clear();
              if (value.IsNull()) return absl::OkStatus();
              if (!value.IsSequence()) return Error(key, path, "must be a list");
              for (const auto& item : value) {
                SimPlatform::LoginQuestion question;
                std::string expects;
                RETURN_IF_ERROR(Map(item, path,
                                    {Text("text", &question.text, /*required=*/true),
                                     Text("expects", &expects), Flag("secret", &question.secret)}));
                if (expects == "username") {
                  question.expects = Expects::kUsername;
                } else if (expects == "password") {
                  question.expects = Expects::kPassword;
                } else if (!expects.empty()) {
                  return Error(item["expects"], Join(path, "expects"),
                               "must be username or password");
                }
                out->push_back(std::move(question));
              }
              return absl::OkStatus();
            }};
  }

 private:
  absl::Status ReadText(const YAML::Node& key, const YAML::Node& value, const std::string& path,
                        std::string* out) const {
    if (value.IsNull()) {
      out->clear();
    } else if (value.IsScalar()) {
      *out = Crlf(value.Scalar());
    } else {
      return Error(key, path, "must be text");
    }
    return absl::OkStatus();
  }

  std::string file_;
};

std::vector<Reader::Field> ConfigFields(const Reader& r, SimPlatform::Config& c,
                                        std::string* style) {
  return {r.Text("style", style, /*required=*/true),
          r.Text("enter", &c.enter),
          r.Text("enter_output", &c.enter_output),
          r.List("exit", &c.exit),
          r.List("up", &c.up),
          r.Text("commit", &c.commit),
          r.Text("commit_output", &c.commit_output),
          r.Text("abort", &c.abort),
          r.Text("abort_output", &c.abort_output),
          r.Text("exit_output", &c.exit_output),
          r.Text("uncommitted", &c.uncommitted),
          r.Text("exec_prefix", &c.exec_prefix),
          r.Pairs("submodes", &c.submodes),
          r.List("words", &c.words),
          r.List("standalone", &c.standalone),
          r.Pairs("commands", &c.commands),
          r.Text("show", &c.show),
          r.Text("running_header", &c.running_header),
          r.Text("running_footer", &c.running_footer),
          r.Text("running_line", &c.running_line),
          r.Section(
              "save", [&c] { c.save = SimPlatform::Save{}; },
              [&r, &c] {
                return std::vector<Reader::Field>{r.Text("command", &c.save->command, true),
                                                  r.Text("confirm", &c.save->confirm),
                                                  r.Text("output", &c.save->output),
                                                  r.Flag("in_config", &c.save->in_config)};
              })};
}

std::vector<Reader::Field> PlatformFields(const Reader& r, SimPlatform& p, std::string* style) {
  auto prompts = [&r, &p] {
    SimPlatform::Prompts& s = p.prompts;
    return std::vector<Reader::Field>{r.Text("user", &s.user, true),
                                      r.Text("privileged", &s.privileged),
                                      r.Text("config", &s.config),
                                      r.Text("config_sub", &s.config_sub),
                                      r.Text("config_preamble", &s.config_preamble),
                                      r.Text("root_user", &s.root_user)};
  };
  auto enable = [&r, &p] {
    SimPlatform::Enable& e = *p.enable;
    return std::vector<Reader::Field>{
        r.Text("command", &e.command, true), r.Text("password_prompt", &e.password_prompt),
        r.Text("bad_secret", &e.bad_secret), r.Text("disable", &e.disable),
        r.Text("disable_output", &e.disable_output)};
  };
  auto config = [&r, &p, style] { return ConfigFields(r, *p.config, style); };
  auto errors = [&r, &p] {
    SimPlatform::Errors& e = p.errors;
    return std::vector<Reader::Field>{
        r.Flag("caret", &e.caret), r.Text("invalid", &e.invalid, true),
        r.Text("incomplete", &e.incomplete), r.Text("ambiguous", &e.ambiguous),
        r.Text("config_invalid", &e.config_invalid)};
  };
  auto checks = [&r, &p] {
    SimPlatform::Checks& c = p.checks;
    return std::vector<Reader::Field>{r.Text("netmiko", &c.netmiko),
                                      r.Text("show", &c.show, true),
                                      r.Text("show_marker", &c.show_marker, true),
                                      r.Text("long_command", &c.long_command, true),
                                      r.Text("refusal", &c.refusal),
                                      r.List("config", &c.config),
                                      r.Text("applied", &c.applied),
                                      r.Text("saved", &c.saved),
                                      r.Flag("netmiko_save", &c.netmiko_save),
                                      r.Flag("netmiko_config", &c.netmiko_config),
                                      r.Flag("netmiko_refusal", &c.netmiko_refusal)};
  };
  return {r.Text("name", &p.name, true),
          r.Text("banner", &p.banner),
          r.Questions("login_questions", &p.login_questions),
          r.Text("login_failure", &p.login_failure),
          r.Flag("ssh_auth_none", &p.ssh_auth_none),
          r.Text("username_options", &p.username_options),
          r.Section(
              "prompts", [] {}, prompts, /*required=*/true),
          r.Flag("starts_privileged", &p.starts_privileged),
          r.Section(
              "enable", [&p] { p.enable.emplace(); }, enable),
          r.List("accepts", &p.accepts),
          r.List("paging", &p.paging),
          r.Text("pager", &p.pager),
          r.List("logout", &p.logout),
          r.Section(
              "config", [&p] { p.config = SimPlatform::Config{}; }, config),
          r.Section(
              "errors", [] {}, errors, /*required=*/true),
          r.Pairs("commands", &p.commands),
          r.Pairs("confirm_commands", &p.confirm_commands),
          r.List("privileged_commands", &p.privileged_commands),
          r.Text("clock_format", &p.clock_format),
          r.Flag("shell", &p.shell),
          r.Section(
              "checks", [] {}, checks, /*required=*/true)};
}

// A command's words may hold the placeholders "<n>" and "<arg>" only.
absl::Status CheckPlaceholders(const Reader& r, const YAML::Node& at, absl::string_view path,
                               const std::string& command) {
  for (absl::string_view word : absl::StrSplit(command, ' ', absl::SkipWhitespace())) {
    if (absl::StartsWith(word, "<") && word != "<n>" && word != "<arg>") {
      return r.Error(at, path, absl::StrCat("'", command, "': placeholders are <n> and <arg>"));
    }
  }
  return absl::OkStatus();
}

// Every exec command the platform offers, as written in its file.
std::vector<std::string> ExecCommands(const SimPlatform& p) {
  std::vector<std::string> all = p.accepts;
  for (const auto& [command, output] : p.commands) all.push_back(command);
  for (const auto& [command, question] : p.confirm_commands) all.push_back(command);
  if (p.config) {
    all.push_back(p.config->enter);
    if (!p.config->show.empty()) all.push_back(p.config->show);
    if (p.config->save && !p.config->save->in_config) all.push_back(p.config->save->command);
  }
  return all;
}

// Style flat has no configuration mode, so nothing about entering, leaving
// or staging applies.
absl::Status CheckFlat(const Reader& r, const YAML::Node& config) {
  for (const char* field : {"enter", "enter_output", "exit", "up", "commit", "commit_output",
                            "abort", "abort_output", "exit_output", "uncommitted", "exec_prefix",
                            "submodes", "commands"}) {
    if (config[field]) {
      return r.Error(config[field], absl::StrCat("config.", field),
                     "style flat has no configuration mode");
    }
  }
  if (config["save"] && config["save"]["in_config"] &&
      config["save"]["in_config"].Scalar() == "true") {
    return r.Error(config["save"], "config.save.in_config", "style flat has no configuration mode");
  }
  return absl::OkStatus();
}

// Defaults, and what no single field can check on its own.
absl::Status Finish(const Reader& r, const YAML::Node& root, const std::string& style,
                    SimPlatform& p) {
  if (p.name.empty() || !std::all_of(p.name.begin(), p.name.end(), [](char c) {
        return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_';
      })) {
    return r.Error(root["name"], "name", "must be lower-case letters, digits and '_'");
  }
  if (p.prompts.privileged.empty()) p.prompts.privileged = p.prompts.user;
  if (p.errors.incomplete.empty()) p.errors.incomplete = p.errors.invalid;
  if (p.errors.ambiguous.empty()) p.errors.ambiguous = p.errors.invalid;
  if (p.errors.config_invalid.empty()) p.errors.config_invalid = p.errors.invalid;
  if (p.logout.empty() && !root["logout"]) p.logout = {"exit", "logout", "quit"};
  if (p.clock_format.empty()) p.clock_format = "%Y-%m-%d %H:%M:%S UTC";
  if (p.login_failure.empty()) p.login_failure = "% Authentication failed";
  bool checks_password = std::any_of(
      p.login_questions.begin(), p.login_questions.end(), [](const SimPlatform::LoginQuestion& q) {
        return q.expects == SimPlatform::LoginQuestion::Expects::kPassword;
      });
  if (p.ssh_auth_none && !checks_password) {
    // Otherwise anyone would get in.
    return r.Error(root["ssh_auth_none"], "ssh_auth_none",
                   "needs a login question that expects the password");
  }
  for (const std::string& command : p.accepts) {
    RETURN_IF_ERROR(CheckPlaceholders(r, root["accepts"], "accepts", command));
  }
  for (const auto& [command, output] : p.commands) {
    RETURN_IF_ERROR(CheckPlaceholders(r, root["commands"], "commands", command));
  }
  for (const std::string& command : p.paging) {
    if (std::find(p.accepts.begin(), p.accepts.end(), command) == p.accepts.end()) {
      return r.Error(root["paging"], "paging", absl::StrCat("'", command, "' is not in accepts"));
    }
  }
  std::vector<std::string> exec = ExecCommands(p);
  for (const std::string& command : p.privileged_commands) {
    if (std::find(exec.begin(), exec.end(), command) == exec.end()) {
      return r.Error(root["privileged_commands"], "privileged_commands",
                     absl::StrCat("'", command, "' is not one of the platform's commands"));
    }
  }
  if (p.checks.config.size() + p.checks.applied.size() > 0 && !p.config) {
    return r.Error(root["checks"], "checks.config", "the platform has no config section");
  }
  if (!p.checks.saved.empty() && !(p.config && p.config->save)) {
    return r.Error(root["checks"], "checks.saved", "the platform has no config.save");
  }
  if (!p.config) return absl::OkStatus();

  SimPlatform::Config& c = *p.config;
  const YAML::Node config = root["config"];
  if (p.shell) return r.Error(config, "config", "a shell has no configuration mode");
  if (style == "immediate") {
    c.style = ConfigStyle::kImmediate;
  } else if (style == "commit") {
    c.style = ConfigStyle::kCommit;
  } else if (style == "junos") {
    c.style = ConfigStyle::kJunos;
  } else if (style == "flat") {
    c.style = ConfigStyle::kFlat;
  } else {
    return r.Error(config["style"], "config.style", "must be immediate, commit, junos or flat");
  }
  if (c.style == ConfigStyle::kFlat) {
    RETURN_IF_ERROR(CheckFlat(r, config));
  } else if (c.enter.empty()) {
    return r.Error(config, "config.enter", "missing; it is required unless style is flat");
  }
  if ((c.style == ConfigStyle::kCommit || c.style == ConfigStyle::kJunos) && c.commit.empty()) {
    return r.Error(config, "config.commit", "missing; style commit and junos need it");
  }
  if (c.style == ConfigStyle::kFlat) {
    // Lines stay at the exec prompt, so there is no configuration prompt.
    if (p.prompts.config.empty()) p.prompts.config = p.prompts.privileged;
  } else if (p.prompts.config.empty()) {
    return r.Error(root["prompts"], "prompts.config", "missing; the platform has config");
  }
  if (p.prompts.config_sub.empty()) p.prompts.config_sub = p.prompts.config;
  // An empty list given is a choice; only a missing one takes the default.
  if (!config["words"]) c.words = CiscoLikeWords();
  if (!config["standalone"]) c.standalone = {"shutdown"};
  if (c.running_line.empty()) c.running_line = "{line}";
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SimPlatform> ParseSimPlatform(absl::string_view text, absl::string_view file) {
  Reader reader(file);
  SimPlatform platform;
  platform.source = std::string(file);
  std::string style;
  // yaml-cpp reports by exception; this is the one place that calls it.
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    RETURN_IF_ERROR(reader.Map(root, "", PlatformFields(reader, platform, &style)));
    RETURN_IF_ERROR(Finish(reader, root, style, platform));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, ":", e.mark.line + 1, ": invalid YAML: ", e.msg));
  }
  return platform;
}

}  // namespace netshard::devsim
