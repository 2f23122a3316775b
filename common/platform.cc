#include "common/platform.h"

#include <map>

#include "absl/strings/str_split.h"


namespace netshard {
namespace {

// Names like "R1", "RP/0/RSP0/CPU0:xr1", "admin@mx1", "user@host:~".
constexpr char kCiscoPrompt[] = R"(^([\w.\-@/:+]{1,64})(?:\([\w.\-/ ]{1,40}\))?[>#] ?$)";

struct PlatformSpec {
  const char* name;
  const char* prompt;
  const char* terminators;
  const char* paging;
  const char* enable;
  char privileged;
  std::vector<const char*> rejections;
  // config, commit, exit, abort (lines split by '\n'), save
  std::vector<const char*> config = {"", "", "", "", ""};
  const char* preamble = "";  // a line before each prompt that is not output
};

const std::vector<const char*> kCiscoConfig = {"configure terminal", "", "end", "end",
                                               "write memory"};

const std::vector<PlatformSpec>& Specs() {
  static const auto* specs = new std::vector<PlatformSpec>{
      {"cisco_ios", kCiscoPrompt, ">#", "terminal length 0", "enable", '#',
       {R"(^% ?Invalid input)", R"(^% ?Ambiguous command)",
        R"(^% ?Incomplete command)", R"(^% ?Unknown command)"},
       kCiscoConfig},
      {"cisco_xe", kCiscoPrompt, ">#", "terminal length 0", "enable", '#',
       {R"(^% ?Invalid input)", R"(^% ?Ambiguous command)",
        R"(^% ?Incomplete command)", R"(^% ?Unknown command)"},
       kCiscoConfig},
      {"cisco_nxos", kCiscoPrompt, ">#", "terminal length 0", "", '#',
       {R"(^% ?Invalid command)", R"(^% ?Invalid input)",
        R"(^% ?Incomplete command)", R"(^% ?Ambiguous command)"},
       {"configure terminal", "", "end", "end", "copy running-config startup-config"}},
      {"cisco_xr", kCiscoPrompt, ">#", "terminal length 0", "", '#',
       {R"(^% ?Invalid input)", R"(^% ?Incomplete (command|input))",
        R"(^% ?Ambiguous command)", R"(^% ?Failed to commit)"},
       {"configure terminal", "commit", "end", "abort", ""}},
      {"arista_eos", kCiscoPrompt, ">#", "terminal length 0", "enable", '#',
       {R"(^% ?Invalid input)", R"(^% ?Incomplete command)",
        R"(^% ?Ambiguous command)"},
       kCiscoConfig},
      {"juniper_junos", R"(^([\w.\-]+@[\w.\-]+)[>#%] ?$)", ">#%",
       "set cli screen-length 0", "", '>',
       {R"(^\s*syntax error)", R"(^\s*unknown command)", R"(^\s*error: )"},
       {"configure", "commit", "exit configuration-mode", "rollback\nexit configuration-mode", ""},
       R"(\[edit[^\]]*\])"},
      {"linux", R"(^(\S{1,128}?)[$#%>] ?$)", "$#%>", "", "", '#',
       {R"(: command not found$)"}},
      {"generic", R"(^(\S{1,128}?)[$#%>] ?$)", "$#%>", "", "", '#', {}},
  };
  return *specs;
}

std::map<std::string, Platform, std::less<>> BuildPlatforms() {
  std::map<std::string, Platform, std::less<>> platforms;
  for (const PlatformSpec& spec : Specs()) {
    Platform& p = platforms[spec.name];
    p.name = spec.name;
    p.prompt = std::make_unique<RE2>(spec.prompt);
    p.prompt_terminators = spec.terminators;
    p.paging_command = spec.paging;
    p.enable_command = spec.enable;
    p.privileged_terminator = spec.privileged;
    p.config_command = spec.config[0];
    p.commit_command = spec.config[1];
    p.config_exit_command = spec.config[2];
    p.config_abort_commands = absl::StrSplit(spec.config[3], '\n', absl::SkipEmpty());
    p.save_command = spec.config[4];
    if (*spec.preamble != '\0') p.prompt_preamble = std::make_unique<RE2>(spec.preamble);
    for (const char* pattern : spec.rejections) {
      p.rejection_patterns.push_back(std::make_unique<RE2>(pattern));
    }
  }
  return platforms;
}

const std::map<std::string, Platform, std::less<>>& Platforms() {
  static const auto* platforms =
      new std::map<std::string, Platform, std::less<>>(BuildPlatforms());
  return *platforms;
}

// Netmiko's device_type spellings that mean one of ours.
const std::map<std::string, std::string, std::less<>>& Aliases() {
  static const auto* aliases = new std::map<std::string, std::string, std::less<>>{
      {"cisco_ios_ssh", "cisco_ios"}, {"cisco_xe_ssh", "cisco_xe"},
      {"cisco_nxos_ssh", "cisco_nxos"}, {"cisco_xr_ssh", "cisco_xr"},
      {"arista_eos_ssh", "arista_eos"}, {"juniper", "juniper_junos"},
      {"juniper_junos_ssh", "juniper_junos"}, {"linux_ssh", "linux"},
      {"generic_ssh", "generic"}, {"generic_termserver", "generic"},
  };
  return *aliases;
}

}  // namespace

const RE2& PagerPrompt() {
  // --More--, -- More --, ---(more 52%)---, and less's (END).
  static const RE2* pager = new RE2(
      R"((?i)^\s*(-{1,3}\s?\(?more[^)\-]{0,12}\)?\s?-{1,3}|\(END\))\s*$)");
  return *pager;
}

const Platform* FindPlatform(absl::string_view device_type) {
  auto alias = Aliases().find(device_type);
  if (alias != Aliases().end()) device_type = alias->second;
  auto it = Platforms().find(device_type);
  return it == Platforms().end() ? nullptr : &it->second;
}

std::vector<std::string> KnownPlatformNames() {
  std::vector<std::string> names;
  for (const auto& [name, platform] : Platforms()) names.push_back(name);
  for (const auto& [alias, target] : Aliases()) names.push_back(alias);
  return names;
}

}  // namespace netshard
