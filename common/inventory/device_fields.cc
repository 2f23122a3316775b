#include "common/inventory/device_fields.h"

#include <algorithm>
#include <set>

#include "absl/strings/match.h"
#include "absl/types/span.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/closest_name.h"
#include "common/status_macros.h"
#include "common/yaml_errors.h"

namespace netshard {
namespace {

// Fields Netmiko's ConnectHandler takes that change nothing here; accepted so
// that inventories written for Netmiko load unchanged.
const std::set<std::string, std::less<>>& IgnoredNetmikoFields() {
  static const auto* fields = new std::set<std::string, std::less<>>{
      "verbose",        "global_delay_factor", "fast_cli",
      "session_log",    "keepalive",           "default_enter",
      "response_return", "encoding",           "auto_connect",
      "blocking_timeout", "session_timeout",   "read_timeout_override",
      "allow_agent",    "ssh_strict",          "system_host_keys"};
  return *fields;
}

const std::set<std::string, std::less<>>& KnownFields() {
  static const auto* fields = new std::set<std::string, std::less<>>{
      "name",         "ip",           "host",           "port",
      "device_type",  "username",     "password",       "secret",
      "key_file",     "passphrase",   "use_keys",       "segment",
      "timeout",      "conn_timeout", "auth_timeout",   "banner_timeout",
      "command_timeout", "device_timeout", "kex",       "host_key_algorithms",
      "ciphers",      "jump_host",    "vars",           "password_env",
      "password_file", "secret_env",  "secret_file",    "credentials"};
  return *fields;
}

constexpr char kJumpPrefix[] = "jump_host.";

// The members of `key`'s family: one level's value for any of them replaces
// the others' from less specific levels.
absl::Span<const std::string> Family(absl::string_view key) {
  static const auto* families = new std::vector<std::vector<std::string>>{
      {"password", "password_env", "password_file"}, {"secret", "secret_env", "secret_file"}};
  for (const std::vector<std::string>& family : *families) {
    if (std::find(family.begin(), family.end(), key) != family.end()) return family;
  }
  return {};
}

// Builds one device; keeps the fields' origins for errors.
class Builder {
 public:
  Builder(const DeviceFields& fields, const InventoryOptions& options)
      : fields_(fields), options_(options) {}

  absl::Status Build(Device& device, CredentialSources* sources) {
    device.line = fields_.origin.line;
    device.group = fields_.group;
    device.more_groups = fields_.more_groups;
    device.vars = fields_.vars;
    ASSIGN_OR_RETURN(std::string ip, Text("ip"));
    ASSIGN_OR_RETURN(std::string host, Text("host"));
    ASSIGN_OR_RETURN(device.name, Text("name"));
    device.address = ip.empty() ? host : ip;
    if (device.address.empty()) return Missing("ip", "give 'ip' or 'host'");
    if (device.name.empty()) device.name = fields_.name;
    if (device.name.empty()) device.name = host.empty() ? ip : host;

    ASSIGN_OR_RETURN(device.device_type, Text("device_type"));
    if (device.device_type.empty()) return Missing("device_type", "e.g. cisco_ios");
    device.platform = FindPlatform(device.device_type);
    if (device.platform == nullptr) {
      return Error("device_type", UnknownPlatform(device.device_type));
    }
    ASSIGN_OR_RETURN(device.port, Port("port"));
    ASSIGN_OR_RETURN(device.timeout, Seconds("timeout"));
    struct TimeoutField {
      const char* key;
      void (v1::Timeouts::*set)(uint32_t);
    };
    for (const TimeoutField& field :
         {TimeoutField{"conn_timeout", &v1::Timeouts::set_connect_ms},
          TimeoutField{"auth_timeout", &v1::Timeouts::set_auth_ms},
          TimeoutField{"banner_timeout", &v1::Timeouts::set_banner_ms},
          TimeoutField{"command_timeout", &v1::Timeouts::set_command_ms},
          TimeoutField{"device_timeout", &v1::Timeouts::set_device_ms}}) {
      ASSIGN_OR_RETURN(std::optional<absl::Duration> value, Seconds(field.key));
      if (value) (device.timeouts.*field.set)(absl::ToInt64Milliseconds(*value));
    }
    ASSIGN_OR_RETURN(device.use_keys, Bool("use_keys"));
    ASSIGN_OR_RETURN(std::string kex, Text("kex"));
    ASSIGN_OR_RETURN(std::string host_keys, Text("host_key_algorithms"));
    ASSIGN_OR_RETURN(std::string ciphers, Text("ciphers"));
    device.algorithms.set_key_exchange(kex);
    device.algorithms.set_host_keys(host_keys);
    device.algorithms.set_ciphers(ciphers);
    CredentialSources where;
    record_ = sources != nullptr;
    ASSIGN_OR_RETURN(device.username, Text("username"));
    where.username = Where("username");
    ASSIGN_OR_RETURN(device.password, Secret("password", &where.password));
    ASSIGN_OR_RETURN(device.secret, Secret("secret", &where.secret));
    std::string unused;
    ASSIGN_OR_RETURN(device.key_passphrase, Secret("passphrase", &unused));
    ASSIGN_OR_RETURN(device.key_file, Text("key_file"));
    where.key_file = Where("key_file");
    ASSIGN_OR_RETURN(device.segment, Text("segment"));
    ASSIGN_OR_RETURN(std::string credentials, Text("credentials"));
    if (!credentials.empty() && credentials != "inventory" && credentials != "agent") {
      return Error("credentials", "must be inventory (the default) or agent");
    }
    device.agent_credentials = credentials == "agent";
    if (device.agent_credentials) {
      if (!device.password.empty() || !device.secret.empty()) {
        return Error("credentials",
                     "agent: the agent supplies password and secret; remove them here");
      }
      where.password = where.secret = "agent";
      if (device.username.empty()) where.username = "agent";
    }
    if (device.username.empty() && !device.agent_credentials) return Missing("username", "");
    ASSIGN_OR_RETURN(device.jump_host, JumpHost(device));
    if (sources != nullptr) *sources = std::move(where);
    return absl::OkStatus();
  }

 private:
  absl::Status Error(absl::string_view key, absl::string_view what) const {
    const FieldValue* value = fields_.Get(key);
    if (value == nullptr) return FieldError(fields_.origin, key, what);
    return FieldError(value->origin, value->written_as.empty() ? key : value->written_as, what);
  }

  absl::Status Missing(absl::string_view key, absl::string_view hint) const {
    if (fields_.written_names != nullptr) {
      auto named = fields_.written_names->find(std::string(key));
      if (named != fields_.written_names->end()) key = named->second;
    }
    return FieldError(fields_.origin, key,
                      hint.empty() ? "missing" : absl::StrCat("missing (", hint, ")"));
  }

  // The value of `key`, or empty; a vault-encrypted one is refused.
  absl::StatusOr<std::string> Text(absl::string_view key) const {
    const FieldValue* value = fields_.Get(key);
    if (value == nullptr) return std::string();
    if (value->vault) {
      return Error(key, "is Ansible Vault-encrypted; netshard does not decrypt vault: give it "
                        "in plain text, from an environment variable (${env:NAME}) or "
                        "with --ask-pass/--ask-secret");
    }
    return value->value;
  }

  std::string Where(absl::string_view key) const {
    const FieldValue* value = record_ ? fields_.Get(key) : nullptr;
    return value == nullptr ? std::string() : value->origin.Describe();
  }

  absl::StatusOr<int> Port(absl::string_view key) const {
    ASSIGN_OR_RETURN(std::string text, Text(key));
    int port = 22;
    if (!text.empty() && (!absl::SimpleAtoi(text, &port) || port < 1 || port > 65535)) {
      return Error(key, absl::StrCat("must be an integer 1..65535, got '", text, "'"));
    }
    return port;
  }

  absl::StatusOr<bool> Bool(absl::string_view key) const {
    ASSIGN_OR_RETURN(std::string text, Text(key));
    if (text.empty() || text == "false" || text == "False" || text == "no") return false;
    if (text == "true" || text == "True" || text == "yes") return true;
    return Error(key, absl::StrCat("must be true or false, got '", text, "'"));
  }

  // Seconds in (0, 86400]; nullopt when the field is absent.
  absl::StatusOr<std::optional<absl::Duration>> Seconds(absl::string_view key) const {
    ASSIGN_OR_RETURN(std::string text, Text(key));
    if (text.empty()) return std::nullopt;
    double seconds = 0;
    if (!absl::SimpleAtod(text, &seconds) || seconds <= 0 || seconds > 86400) {
      return Error(key, absl::StrCat("must be seconds between 0 and 86400, got '", text, "'"));
    }
    return absl::Seconds(seconds);
  }

  // A secret: `key` (which may be `${env:NAME}`), `key_env` (a variable's
  // name) or `key_file` (a private file). Errors never include the value.
  absl::StatusOr<std::string> Secret(const std::string& key, std::string* where) const {
    std::vector<std::string> given_keys;
    absl::Span<const std::string> family = Family(key);
    if (family.empty()) family = absl::MakeConstSpan(&key, 1);
    for (const std::string& member : family) {
      if (fields_.Get(member) != nullptr) given_keys.push_back(member);
    }
    if (given_keys.size() > 1) {
      return Error(given_keys[0], absl::StrCat("give only one of ", absl::StrJoin(given_keys, ", ")));
    }
    if (given_keys.empty()) return std::string();
    const std::string& given = given_keys[0];
    ASSIGN_OR_RETURN(std::string text, Text(given));
    absl::StatusOr<std::string> secret;
    std::string env;  // the variable it names, if any
    if (absl::EndsWith(given, "_file")) {
      secret = ReadSecretFile(text);
    } else if (absl::EndsWith(given, "_env")) {
      env = text;
      secret = EnvValue(text, options_.env);
    } else {
      env = EnvReference(text).value_or("");
      secret = ExpandEnv(text, options_.env);
    }
    if (!secret.ok()) return Error(given, secret.status().message());
    if (record_) {
      std::string at = fields_.Get(given)->origin.Describe();
      *where = absl::EndsWith(given, "_file") ? absl::StrCat("file ", text, " (", at, ")")
               : !env.empty()                 ? absl::StrCat("env ", env, " (", at, ")")
                                              : at;
    }
    return secret;
  }

  // The bastion in front of the device, from the jump_host.* fields.
  absl::StatusOr<std::optional<v1::JumpHost>> JumpHost(const Device& device) const {
    bool any = false;
    for (const auto& [key, value] : fields_.all()) any = any || absl::StartsWith(key, kJumpPrefix);
    if (!any) return std::nullopt;
    v1::JumpHost jump;
    ASSIGN_OR_RETURN(std::string host, Text("jump_host.host"));
    ASSIGN_OR_RETURN(std::string ip, Text("jump_host.ip"));
    jump.set_host(host.empty() ? ip : host);
    if (jump.host().empty()) return Missing("jump_host.host", "");
    ASSIGN_OR_RETURN(int port, Port("jump_host.port"));
    jump.set_port(port);
    ASSIGN_OR_RETURN(std::string username, Text("jump_host.username"));
    jump.set_username(username.empty() ? device.username : username);
    ASSIGN_OR_RETURN(std::string password, Text("jump_host.password"));
    jump.set_password(password);
    ASSIGN_OR_RETURN(std::string key_file, Text("jump_host.key_file"));
    jump.set_key_file(key_file);
    if (jump.password().empty() && jump.key_file().empty()) {
      const FieldValue* at = fields_.Get(host.empty() ? "jump_host.ip" : "jump_host.host");
      return FieldError(at != nullptr ? at->origin : fields_.origin, "jump_host",
                        "needs a password or a key_file to log in");
    }
    return jump;
  }

  const DeviceFields& fields_;
  const InventoryOptions& options_;
  bool record_ = false;  // whether credential sources are asked for
};

}  // namespace

std::string FieldOrigin::Describe() const {
  return absl::StrCat(file == nullptr ? "" : *file, ":", line);
}

void DeviceFields::Apply(FieldLevel level) {
  auto in_level = [&](absl::string_view key) {
    for (const auto& [given, value] : level) {
      if (given == key) return true;
    }
    return false;
  };
  bool jump_host = false;
  for (const auto& [key, value] : level) jump_host = jump_host || absl::StartsWith(key, kJumpPrefix);
  // What this level replaces: its own keys, their families, a jump_host.
  auto replaced = [&](const std::string& key) {
    if (in_level(key)) return true;
    if (jump_host && absl::StartsWith(key, kJumpPrefix)) return true;
    for (const std::string& member : Family(key)) {
      if (in_level(member)) return true;
    }
    return false;
  };
  fields_.erase(std::remove_if(fields_.begin(), fields_.end(),
                               [&](const auto& field) { return replaced(field.first); }),
                fields_.end());
  for (auto& field : level) fields_.push_back(std::move(field));
}

void DeviceFields::Set(const std::string& key, FieldValue value) {
  FieldLevel level;
  level.emplace_back(key, std::move(value));
  Apply(std::move(level));
}

const FieldValue* DeviceFields::Get(absl::string_view key) const {
  for (const auto& [given, value] : fields_) {
    if (given == key) return &value;
  }
  return nullptr;
}

absl::Status FieldError(const FieldOrigin& origin, absl::string_view field,
                        absl::string_view what) {
  return YamlErrors(origin.file == nullptr ? "" : *origin.file).AtLine(origin.line, field, what);
}

absl::Status CheckFieldName(absl::string_view key, const FieldOrigin& origin,
                            absl::string_view prefix) {
  if (KnownFields().count(key) || IgnoredNetmikoFields().count(key)) return absl::OkStatus();
  std::vector<std::string> known(KnownFields().begin(), KnownFields().end());
  if (absl::StartsWith(key, kJumpPrefix)) {
    known.clear();
    for (const char* part : {"host", "ip", "port", "username", "password", "key_file"}) {
      known.push_back(absl::StrCat(kJumpPrefix, part));
    }
    if (std::find(known.begin(), known.end(), key) != known.end()) return absl::OkStatus();
  }
  std::vector<std::string> close = ClosestNames(key, known, 1);
  return FieldError(origin, absl::StrCat(prefix, key),
                    close.empty() ? absl::StrCat("unknown field; known fields: ",
                                                 absl::StrJoin(known, ", "))
                                  : absl::StrCat("unknown field — did you mean '", prefix,
                                                 close[0], "'?"));
}

absl::Status BuildDevice(const DeviceFields& fields, const InventoryOptions& options,
                         Device* device, CredentialSources* sources) {
  return Builder(fields, options).Build(*device, sources);
}

}  // namespace netshard
