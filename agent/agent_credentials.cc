#include "agent/agent_credentials.h"


#include "absl/strings/str_cat.h"
#include "common/file_text.h"
#include "common/status_macros.h"
#include "common/yaml_errors.h"
#include "yaml-cpp/yaml.h"

namespace netshard {
namespace {

class CredentialsParser {
 public:
  CredentialsParser(const std::string& source, const EnvLookup& env) : source_(source), env_(env) {}

  absl::Status Error(const YAML::Node& at, const std::string& field, absl::string_view what) const {
    return YamlErrors(source_).At(at, field, what);
  }

  template <typename Entry>
  absl::Status ParseEntry(const YAML::Node& node, const std::string& where, Entry* entry) const {
    if (!node.IsMap()) return Error(node, where, "must be a mapping of username, password, secret");
    for (const auto& field : node) {
      std::string key = field.first.Scalar();
      std::string* value = key == "username"   ? &entry->username
                           : key == "password" ? &entry->password
                           : key == "secret"   ? &entry->secret
                                               : nullptr;
      std::string name = where + "." + key;
      if (value == nullptr) return Error(field.first, name, "unknown field; known: username, password, secret");
      if (!field.second.IsScalar()) return Error(field.second, name, "must be a single value");
      absl::StatusOr<std::string> expanded = ExpandEnv(field.second.Scalar(), env_);
      if (!expanded.ok()) return Error(field.second, name, expanded.status().message());
      *value = *std::move(expanded);
    }
    return absl::OkStatus();
  }

  template <typename Entries>
  absl::Status ParseSection(const YAML::Node& node, const std::string& section,
                            Entries* entries) const {
    if (!node.IsMap()) return Error(node, section, "must map names to credentials");
    for (const auto& named : node) {
      std::string name = named.first.Scalar();
      RETURN_IF_ERROR(ParseEntry(named.second, section + "." + name, &(*entries)[name]));
    }
    return absl::OkStatus();
  }

 private:
  const std::string& source_;
  const EnvLookup& env_;
};

}  // namespace

absl::StatusOr<AgentCredentials> AgentCredentials::Load(const std::string& path,
                                                        const EnvLookup& env) {
  RETURN_IF_ERROR(CheckPrivateFile(path));
  std::optional<std::string> text = ReadFileText(path);
  if (!text) return absl::InvalidArgumentError(absl::StrCat(path, ": cannot read"));
  return Parse(*text, path, env);
}

absl::StatusOr<AgentCredentials> AgentCredentials::Parse(const std::string& text,
                                                         const std::string& source,
                                                         const EnvLookup& env) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ":", e.mark.line + 1, ": invalid YAML: ", e.msg));
  }
  CredentialsParser parser(source, env);
  AgentCredentials credentials;
  if (!root.IsMap()) {
    return parser.Error(root, "credentials", "must be a mapping of default, segments, groups, devices");
  }
  for (const auto& section : root) {
    std::string key = section.first.Scalar();
    if (key == "default") {
      RETURN_IF_ERROR(parser.ParseEntry(section.second, key, &credentials.default_));
    } else if (key == "segments" || key == "groups" || key == "devices") {
      Entries* entries = key == "segments" ? &credentials.segments_
                         : key == "groups" ? &credentials.groups_
                                           : &credentials.devices_;
      RETURN_IF_ERROR(parser.ParseSection(section.second, key, entries));
    } else {
      return parser.Error(section.first, key, "unknown field; known: default, segments, groups, devices");
    }
  }
  return credentials;
}

absl::Status AgentCredentials::Fill(v1::Job* job) const {
  auto find = [](const Entries& entries, const std::string& name) -> const Entry* {
    auto it = entries.find(name);
    return it == entries.end() ? nullptr : &it->second;
  };
  // Most specific first.
  const Entry* chain[] = {find(devices_, job->name()), find(groups_, job->group()),
                          find(segments_, job->segment()), &default_};
  auto pick = [&](std::string Entry::*field) {
    for (const Entry* entry : chain) {
      if (entry != nullptr && !(entry->*field).empty()) return entry->*field;
    }
    return std::string();
  };
  job->set_username(pick(&Entry::username));
  job->set_password(pick(&Entry::password));
  job->set_secret(pick(&Entry::secret));
  if (job->username().empty() || job->password().empty()) {
    return absl::NotFoundError(absl::StrCat(
        "no ", job->username().empty() ? "username" : "password", " for device ", job->name(),
        " (group '", job->group(), "', segment '", job->segment(),
        "') in this agent's credentials"));
  }
  return absl::OkStatus();
}

}  // namespace netshard
