#include "tests/devsim/fleet_config.h"

#include <arpa/inet.h>


#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/file_text.h"
#include "yaml-cpp/yaml.h"

namespace netshard::devsim {
namespace {

class Parser {
 public:
  explicit Parser(absl::string_view source) : source_(source) {}

  absl::Status Error(const YAML::Node& node, absl::string_view field,
                     absl::string_view problem) const {
    return absl::InvalidArgumentError(absl::StrCat(source_, ":", node.Mark().line + 1, ": ",
                                                   field, ": ", problem));
  }

  absl::StatusOr<const SimPlatform*> Platform(const YAML::Node& node) const {
    const SimPlatform* platform =
        node.IsScalar() ? FindSimPlatform(node.Scalar()) : nullptr;
    if (platform == nullptr) {
      return Error(node, "platform",
                   absl::StrCat("unknown; simulated platforms: ",
                                absl::StrJoin(SimPlatformNames(), ", ")));
    }
    return platform;
  }

  absl::StatusOr<std::string> Text(const YAML::Node& node, absl::string_view field) const {
    if (!node.IsScalar()) return Error(node, field, "must be a string");
    return node.Scalar();
  }

  absl::StatusOr<int64_t> Number(const YAML::Node& node, absl::string_view field) const {
    int64_t value = 0;
    if (!node.IsScalar() || !absl::SimpleAtoi(node.Scalar(), &value) || value < 0) {
      return Error(node, field, "must be a non-negative whole number");
    }
    return value;
  }

  absl::StatusOr<bool> Flag(const YAML::Node& node, absl::string_view field) const {
    if (node.IsScalar() && (node.Scalar() == "true" || node.Scalar() == "false")) {
      return node.Scalar() == "true";
    }
    return Error(node, field, "must be true or false");
  }

  // "N" or "N-M" of `parse`d ends, first <= last.
  template <typename T, typename F>
  absl::Status Range(const YAML::Node& node, absl::string_view field, F parse, T* first,
                     T* last) const {
    if (!node.IsScalar()) return Error(node, field, "must be a value or a range A-B");
    std::vector<std::string> ends = absl::StrSplit(node.Scalar(), '-');
    if (ends.size() > 2 || !parse(ends.front(), first) || !parse(ends.back(), last) ||
        *first > *last) {
      return Error(node, field, absl::StrCat("'", node.Scalar(), "' is not a value or a range A-B"));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<DeviceRule> Rule(const YAML::Node& node) const;

 private:
  std::string source_;
};

bool ParseIndex(const std::string& text, int* value) {
  return absl::SimpleAtoi(text, value) && *value >= 1;
}

bool ParseAddress(const std::string& text, uint32_t* value) {
  in_addr parsed{};
  if (inet_pton(AF_INET, text.c_str(), &parsed) != 1) return false;
  *value = ntohl(parsed.s_addr);
  return true;
}

constexpr const char* kFaults[] = {"hang_after_login", "drop_mid_command",
                                   "pager_ignores_length", "changing_host_key", "refuse",
                                   "jump_host"};

void SetFault(const std::string& fault, DeviceBehaviour& b) {
  if (fault == "hang_after_login") b.hang_after_login = true;
  if (fault == "drop_mid_command") b.drop_mid_command = true;
  if (fault == "pager_ignores_length") b.pager_ignores_terminal_length = true;
  if (fault == "changing_host_key") b.changing_host_key = true;
  if (fault == "refuse") b.refuse = true;
  if (fault == "jump_host") b.jump_host = true;
}

absl::StatusOr<DeviceRule> Parser::Rule(const YAML::Node& node) const {
  DeviceRule rule;
  rule.line = node.Mark().line + 1;
  if (!node.IsMap()) return Error(node, "devices", "each entry must be a mapping");
  bool selected = false;
  for (const auto& entry : node) {
    std::string key = entry.first.Scalar();
    const YAML::Node& value = entry.second;
    auto& settings = rule.settings;
    if (key == "index") {
      absl::Status s = Range(value, key, ParseIndex, &rule.first_index, &rule.last_index);
      if (!s.ok()) return s;
      selected = true;
    } else if (key == "address") {
      absl::Status s =
          Range(value, key, ParseAddress, &rule.first_address, &rule.last_address);
      if (!s.ok()) return s;
      if ((rule.first_address >> 24) != 127 || (rule.last_address >> 24) != 127) {
        return Error(value, key, "devsim only simulates 127.0.0.0/8");
      }
      selected = true;
    } else if (key == "platform") {
      auto platform = Platform(value);
      if (!platform.ok()) return platform.status();
      settings.push_back([p = *platform](DeviceBehaviour& b) { b.platform = p; });
    } else if (key == "password" || key == "secret" || key == "authorized_key" ||
               key == "kex" || key == "hostkeys" || key == "ciphers") {
      auto text = Text(value, key);
      if (!text.ok()) return text.status();
      settings.push_back([key, t = *text](DeviceBehaviour& b) {
        if (key == "password") b.password = t;
        if (key == "secret") b.secret = t;
        if (key == "authorized_key") b.authorized_key = t;
        if (key == "kex") b.key_exchange = t;
        if (key == "hostkeys") b.host_key_types = t;
        if (key == "ciphers") b.ciphers = t;
      });
    } else if (key == "banner_delay_ms" || key == "command_delay_ms" ||
               key == "tech_support_bytes") {
      auto number = Number(value, key);
      if (!number.ok()) return number.status();
      settings.push_back([key, n = *number](DeviceBehaviour& b) {
        if (key == "banner_delay_ms") b.banner_delay = absl::Milliseconds(n);
        if (key == "command_delay_ms") b.command_delay = absl::Milliseconds(n);
        if (key == "tech_support_bytes") b.tech_support_bytes = static_cast<size_t>(n);
      });
    } else if (key == "auth") {
      if (!value.IsSequence() || value.size() == 0) {
        return Error(value, key, "must be a list of: password, keyboard-interactive");
      }
      bool password = false, interactive = false;
      for (const auto& method : value) {
        if (method.IsScalar() && method.Scalar() == "password") {
          password = true;
        } else if (method.IsScalar() && method.Scalar() == "keyboard-interactive") {
          interactive = true;
        } else {
          return Error(method, key, "methods are password and keyboard-interactive");
        }
      }
      settings.push_back([password, interactive](DeviceBehaviour& b) {
        b.password_auth = password;
        b.keyboard_interactive_auth = interactive;
      });
    } else if (key == "allow_from") {
      if (!value.IsSequence() || value.size() == 0) {
        return Error(value, key, "must be a list of addresses or ranges A-B");
      }
      std::vector<std::pair<uint32_t, uint32_t>> ranges;
      for (const auto& item : value) {
        uint32_t first = 0, last = 0;
        absl::Status s = Range(item, key, ParseAddress, &first, &last);
        if (!s.ok()) return s;
        ranges.emplace_back(first, last);
      }
      settings.push_back([ranges](DeviceBehaviour& b) { b.allow_from = ranges; });
    } else if (key == "faults") {
      if (!value.IsSequence()) return Error(value, key, "must be a list");
      for (const auto& fault : value) {
        bool known = false;
        for (const char* name : kFaults) known |= fault.IsScalar() && fault.Scalar() == name;
        if (!known) {
          return Error(fault, key,
                       absl::StrCat("unknown fault; known: ", absl::StrJoin(kFaults, ", ")));
        }
        settings.push_back([f = fault.Scalar()](DeviceBehaviour& b) { SetFault(f, b); });
      }
    } else {
      return Error(entry.first, key,
                   "unknown field; known: index, address, platform, password, secret, auth, "
                   "authorized_key, faults, allow_from, banner_delay_ms, command_delay_ms, "
                   "tech_support_bytes, kex, hostkeys, ciphers");
    }
  }
  if (!selected) return Error(node, "devices", "an entry needs index or address");
  return rule;
}

}  // namespace

absl::StatusOr<FleetConfig> ParseFleetConfig(absl::string_view text, absl::string_view source) {
  Parser parser(source);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ":", e.mark.line + 1, ": invalid YAML: ", e.msg));
  }
  FleetConfig config;
  config.platform = FindSimPlatform("cisco_ios");
  if (root.IsNull()) return config;
  if (!root.IsMap()) return parser.Error(root, "config", "must be a mapping");
  for (const auto& entry : root) {
    std::string key = entry.first.Scalar();
    if (key == "platform") {
      auto platform = parser.Platform(entry.second);
      if (!platform.ok()) return platform.status();
      config.platform = *platform;
    } else if (key == "devices") {
      if (!entry.second.IsSequence()) return parser.Error(entry.second, key, "must be a list");
      for (const auto& node : entry.second) {
        auto rule = parser.Rule(node);
        if (!rule.ok()) return rule.status();
        config.rules.push_back(*std::move(rule));
      }
    } else {
      return parser.Error(entry.first, key, "unknown field; known: platform, devices");
    }
  }
  return config;
}

absl::StatusOr<FleetConfig> LoadFleetConfig(const std::string& path) {
  std::optional<std::string> text = ReadFileText(path);
  if (!text) return absl::NotFoundError(absl::StrCat(path, ": cannot read"));
  return ParseFleetConfig(*text, path);
}

DeviceBehaviour ResolveBehaviour(const FleetConfig& config, int index, uint32_t address) {
  DeviceBehaviour behaviour;
  behaviour.platform = config.platform != nullptr ? config.platform : FindSimPlatform("cisco_ios");
  for (const DeviceRule& rule : config.rules) {
    bool by_index = rule.first_index != 0 && index >= rule.first_index && index <= rule.last_index;
    bool by_address = rule.first_address != 0 && address >= rule.first_address &&
                      address <= rule.last_address;
    if (!by_index && !by_address) continue;
    for (const auto& set : rule.settings) set(behaviour);
  }
  return behaviour;
}

}  // namespace netshard::devsim
