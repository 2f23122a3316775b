#include "coordinator/dispatch/agent_targets.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <set>

#include "absl/strings/str_cat.h"
#include "common/file_text.h"
#include "common/host_port.h"
#include "common/status_macros.h"
#include "common/yaml_errors.h"
#include "yaml-cpp/yaml.h"

namespace netshard {
namespace {

absl::StatusOr<std::optional<AgentTls>> MakeTls(const TlsFiles& files,
                                                const std::string& server_name,
                                                const TlsFiles& names) {
  if (!files.any()) return std::nullopt;
  ASSIGN_OR_RETURN(TlsMaterial material, LoadTls(files, names));
  return AgentTls{std::move(material), server_name};
}

class AgentsFileParser {
 public:
  AgentsFileParser(const std::string& path, const Resolver& resolve, const TlsFiles& default_tls,
                   const std::string& default_server_name)
      : path_(path),
        resolve_(resolve),
        default_tls_(default_tls),
        default_server_name_(default_server_name) {}

  absl::Status Error(const YAML::Node& at, const std::string& field, const std::string& what) {
    return YamlErrors(path_).At(at, field, what);
  }

  absl::StatusOr<std::vector<AgentTarget>> Parse(const YAML::Node& root) {
    if (!root.IsMap() || !root["agents"] || !root["agents"].IsSequence()) {
      return Error(root, "agents", "the file must hold `agents:`, a list of agents");
    }
    for (const auto& entry : root) {
      if (entry.first.Scalar() != "agents") {
        return Error(entry.first, entry.first.Scalar(), "unknown field; known: agents");
      }
    }
    std::vector<AgentTarget> targets;
    for (const YAML::Node& node : root["agents"]) {
      ASSIGN_OR_RETURN(std::vector<AgentTarget> more, Entry(node));
      targets.insert(targets.end(), more.begin(), more.end());
    }
    return targets;
  }

 private:
  absl::StatusOr<std::vector<AgentTarget>> Entry(const YAML::Node& node) {
    if (!node.IsMap()) return Error(node, "agents", "each agent must be a mapping");
    std::optional<std::string> address, dns, name;
    std::optional<Segments> segments;
    TlsFiles tls_files = default_tls_;
    std::string server_name = default_server_name_;
    for (const auto& entry : node) {
      std::string key = entry.first.Scalar();
      const YAML::Node& value = entry.second;
      if (key == "address" || key == "dns" || key == "name") {
        if (!value.IsScalar() || value.Scalar().empty()) return Error(value, key, "must be text");
        (key == "address" ? address : key == "dns" ? dns : name) = value.Scalar();
      } else if (key == "segments") {
        if (!value.IsSequence()) return Error(value, key, "must be a list of segment names");
        segments.emplace();
        for (const YAML::Node& segment : value) {
          if (!segment.IsScalar() || segment.Scalar().empty()) {
            return Error(segment, key, "each segment must be a name");
          }
          segments->insert(segment.Scalar());
        }
      } else if (key == "tls") {
        RETURN_IF_ERROR(Tls(value, &tls_files, &server_name));
      } else {
        return Error(entry.first, key, "unknown field; known: address, dns, name, segments, tls");
      }
    }
    absl::StatusOr<std::optional<AgentTls>> tls =
        MakeTls(tls_files, server_name, {"tls.ca", "tls.cert", "tls.key"});
    if (!tls.ok()) return Error(node["tls"] ? node["tls"] : node, "tls", std::string(tls.status().message()));
    if (address.has_value() == dns.has_value()) {
      return Error(node, "address", "give exactly one of address (HOST:PORT) or dns (NAME:PORT)");
    }
    const std::string& where = address ? *address : *dns;
    if (std::string why = CheckHostPort(where); !why.empty()) {
      return Error(node[address ? "address" : "dns"], address ? "address" : "dns", why);
    }
    std::vector<AgentTarget> targets;
    if (address) {
      targets.push_back({*address, name.value_or(*address), segments, *tls});
    } else {
      absl::StatusOr<std::vector<AgentTarget>> found = DiscoverAgents(*dns, resolve_);
      if (!found.ok()) return Error(node["dns"], "dns", std::string(found.status().message()));
      targets = *std::move(found);
      for (AgentTarget& target : targets) {
        target.segments = segments;
        target.tls = *tls;
        if (name) target.label = absl::StrCat(*name, "/", target.address);
      }
    }
    return targets;
  }

  // `tls: {ca, cert, key, server_name}` over the defaults.
  absl::Status Tls(const YAML::Node& value, TlsFiles* files, std::string* server_name) {
    if (!value.IsMap()) return Error(value, "tls", "must be a mapping of ca, cert, key, server_name");
    for (const auto& entry : value) {
      std::string key = entry.first.Scalar();
      std::string* field = key == "ca"            ? &files->ca
                           : key == "cert"        ? &files->cert
                           : key == "key"         ? &files->key
                           : key == "server_name" ? server_name
                                                  : nullptr;
      if (field == nullptr) {
        return Error(entry.first, "tls." + key, "unknown field; known: ca, cert, key, server_name");
      }
      if (!entry.second.IsScalar() || entry.second.Scalar().empty()) {
        return Error(entry.second, "tls." + key, "must be text");
      }
      *field = entry.second.Scalar();
    }
    return absl::OkStatus();
  }

  const std::string& path_;
  const Resolver& resolve_;
  const TlsFiles& default_tls_;
  const std::string& default_server_name_;
};

}  // namespace

std::string CheckHostPort(const std::string& value) {
  std::optional<HostPort> split = SplitHostPort(value);
  return split && split->port > 0 ? "" : "expected HOST:PORT, got '" + value + "'";
}

absl::StatusOr<std::vector<std::string>> ResolveWithSystem(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = getaddrinfo(host.c_str(), nullptr, &hints, &found); rc != 0) {
    return absl::NotFoundError(absl::StrCat("cannot resolve ", host, ": ", gai_strerror(rc)));
  }
  std::vector<std::string> addresses;
  std::set<std::string> seen;
  for (addrinfo* at = found; at != nullptr; at = at->ai_next) {
    char text[INET6_ADDRSTRLEN] = {};
    const void* raw = at->ai_family == AF_INET
                          ? static_cast<const void*>(
                                &reinterpret_cast<sockaddr_in*>(at->ai_addr)->sin_addr)
                          : &reinterpret_cast<sockaddr_in6*>(at->ai_addr)->sin6_addr;
    if (inet_ntop(at->ai_family, raw, text, sizeof(text)) != nullptr && seen.insert(text).second) {
      addresses.push_back(text);
    }
  }
  freeaddrinfo(found);
  return addresses;
}

absl::StatusOr<std::vector<AgentTarget>> DiscoverAgents(const std::string& name_port,
                                                        const Resolver& resolve) {
  if (std::string why = CheckHostPort(name_port); !why.empty()) {
    return absl::InvalidArgumentError(why);
  }
  HostPort split = *SplitHostPort(name_port);
  ASSIGN_OR_RETURN(std::vector<std::string> addresses, resolve(split.host));
  if (addresses.empty()) {
    return absl::NotFoundError(absl::StrCat(split.host, " resolves to no address"));
  }
  std::vector<AgentTarget> targets;
  for (const std::string& address : addresses) {
    std::string target = JoinHostPort(address, split.port);
    targets.push_back({target, target, std::nullopt, std::nullopt});
  }
  return targets;
}

absl::StatusOr<std::vector<AgentTarget>> LoadAgentsFile(const std::string& path,
                                                        const Resolver& resolve,
                                                        const TlsFiles& default_tls,
                                                        const std::string& default_server_name) {
  std::optional<std::string> text = ReadFileText(path);
  if (!text) return absl::NotFoundError(absl::StrCat(path, ": cannot read the agents file"));
  YAML::Node root;
  try {
    root = YAML::Load(*text);
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ":", e.mark.line + 1, ": invalid YAML: ", e.msg));
  }
  return AgentsFileParser(path, resolve, default_tls, default_server_name).Parse(root);
}

absl::StatusOr<std::vector<AgentTarget>> CollectAgents(const AgentSources& sources,
                                                       const Resolver& resolve) {
  ASSIGN_OR_RETURN(std::optional<AgentTls> tls,
                   MakeTls(sources.tls, sources.tls_server_name,
                           {"--tls-ca", "--tls-cert", "--tls-key"}));
  std::vector<AgentTarget> all;
  for (const std::string& address : sources.addresses) {
    all.push_back({address, address, std::nullopt, tls});
  }
  for (const std::string& name : sources.dns_names) {
    absl::StatusOr<std::vector<AgentTarget>> found = DiscoverAgents(name, resolve);
    if (!found.ok()) {
      return absl::Status(found.status().code(),
                          absl::StrCat("--agent-dns ", name, ": ", found.status().message()));
    }
    for (AgentTarget& target : *found) target.tls = tls;
    all.insert(all.end(), found->begin(), found->end());
  }
  if (!sources.agents_file.empty()) {
    ASSIGN_OR_RETURN(std::vector<AgentTarget> listed,
                     LoadAgentsFile(sources.agents_file, resolve, sources.tls,
                                    sources.tls_server_name));
    all.insert(all.end(), listed.begin(), listed.end());
  }
  std::vector<AgentTarget> unique;
  std::set<std::string> seen;
  for (AgentTarget& target : all) {
    if (!seen.insert(target.address).second) continue;
    if (!target.tls && !sources.insecure && !IsLoopbackHost(SplitHostPort(target.address)->host)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "agent ", target.label, ": not on loopback, and plaintext would carry device "
          "credentials in the clear; give --tls-ca, --tls-cert and --tls-key (or tls: in the "
          "agents file), or --insecure-agents for a lab"));
    }
    unique.push_back(std::move(target));
  }
  return unique;
}

}  // namespace netshard
