#include "coordinator/cli/platforms_command.h"

#include <algorithm>
#include <ostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace netshard {
namespace {

std::string Supports(const Platform& p) {
  std::vector<std::string> parts;
  if (!p.enable_command.empty()) parts.push_back("enable");
  if (p.has_config) parts.push_back("config");
  if (!p.commit_command.empty()) parts.push_back("commit");
  if (!p.save_command.empty()) parts.push_back("save");
  if (!p.detect_commands.empty()) parts.push_back("detect");
  return parts.empty() ? "-" : absl::StrJoin(parts, ",");
}

}  // namespace

CLI::App* AddPlatformsCommand(CLI::App* app, PlatformsFlags* flags) {
  CLI::App* platforms = app->add_subcommand(
      "platforms", "List every platform (device_type) with its aliases, or print one's definition");
  platforms->add_option("name", flags->name, "A platform or alias: print its definition file");
  return platforms;
}

int PlatformsCommand(const PlatformsFlags& flags, const PlatformSet& platforms, std::ostream& out,
                     std::ostream& err) {
  if (!flags.name.empty()) {
    const Platform* platform = platforms.Find(flags.name);
    if (platform == nullptr) {
      err << "coord platforms: " << UnknownPlatform(flags.name) << "\n";
      return 2;
    }
    if (platform->definition.empty()) {
      out << "# " << platform->name << ": " << platform->os
          << "; give it as device_type and the session picks the platform from each platform's "
             "detect section\n";
      return 0;
    }
    out << "# " << platform->name << " from " << platform->source << "\n" << platform->definition;
    return 0;
  }
  std::vector<const Platform*> all = platforms.All();
  size_t width = 8;
  for (const Platform* p : all) width = std::max(width, p->name.size());
  out << "platform" << std::string(width - 8 + 2, ' ') << "supports                         "
      << "vendor / os; aliases\n";
  for (const Platform* p : all) {
    std::string supports = Supports(*p);
    out << p->name << std::string(width - p->name.size() + 2, ' ') << supports
        << std::string(supports.size() < 33 ? 33 - supports.size() : 1, ' ') << p->vendor
        << (p->os.empty() ? "" : " " + p->os)
        << (p->aliases.empty() ? "" : "; " + absl::StrJoin(p->aliases, ", "))
        << (platforms.IsBuiltin(*p) ? "" : " [" + p->source + "]") << "\n";
  }
  out << all.size() << " platforms, and `autodetect`; `coord platforms NAME` prints one\n";
  return 0;
}

std::vector<std::string> PlatformDirs(const std::string& env_value,
                                      const std::vector<std::string>& flags) {
  std::vector<std::string> dirs = absl::StrSplit(env_value, ':', absl::SkipEmpty());
  dirs.insert(dirs.end(), flags.begin(), flags.end());
  return dirs;
}

}  // namespace netshard
