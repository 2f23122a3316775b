#include "common/platform/platform_set.h"

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/closest_name.h"
#include "common/embedded_file.h"
#include "common/file_text.h"
#include "common/status_macros.h"

namespace netshard {

// Generated from common/platforms/*.yaml (netshard_embed_files).
const std::vector<EmbeddedFile>& BuiltinPlatformFiles();

namespace {

// Before the real platform is known: any common prompt ending, no paging,
// no enable, no error words.
std::unique_ptr<Platform> AutodetectPlatform() {
  auto p = std::make_unique<Platform>();
  p->name = std::string(kAutodetect);
  p->os = "found from what the device says";
  p->prompt_terminators = ">#$%]";
  p->prompt_openers = "<[(";
  p->prompt_mode_spaces = true;  // "sim1 > ", "[admin@MikroTik] > "
  p->source = "(built in)";
  return p;
}

PlatformSet* installed = nullptr;

}  // namespace

PlatformSet::PlatformSet() : autodetect_(AutodetectPlatform()) {}

std::unique_ptr<PlatformSet> PlatformSet::Empty() {
  return std::unique_ptr<PlatformSet>(new PlatformSet());
}

std::unique_ptr<PlatformSet> PlatformSet::Builtin() {
  std::unique_ptr<PlatformSet> set = Empty();
  for (const EmbeddedFile& file : BuiltinPlatformFiles()) {
    absl::Status added = set->Add(file.text, absl::StrCat("common/platforms/", file.name));
    // platform_set_test checks every embedded file loads; should one not,
    // the program still runs with the others.
    if (!added.ok()) std::cerr << "netshard: built-in platform skipped: " << added.message() << "\n";
  }
  return set;
}

absl::StatusOr<std::unique_ptr<PlatformSet>> PlatformSet::Load(
    const std::vector<std::string>& dirs) {
  std::unique_ptr<PlatformSet> set = Builtin();
  for (const std::string& dir : dirs) {
    std::error_code error;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
      if (entry.path().extension() == ".yaml" || entry.path().extension() == ".yml") {
        files.push_back(entry.path());
      }
    }
    if (error) {
      return absl::InvalidArgumentError(
          absl::StrCat("platforms directory ", dir, ": ", error.message()));
    }
    std::sort(files.begin(), files.end());
    for (const auto& path : files) {
      std::optional<std::string> text = ReadFileText(path.string());
      if (!text) return absl::InvalidArgumentError(absl::StrCat(path.string(), ": cannot read it"));
      RETURN_IF_ERROR(set->Add(*text, path.string()));
    }
  }
  return set;
}

absl::Status PlatformSet::Add(absl::string_view text, absl::string_view source) {
  ASSIGN_OR_RETURN(std::unique_ptr<Platform> platform, ParsePlatform(text, source));
  std::string name = platform->name;
  std::unique_ptr<Platform> replaced = std::move(platforms_[name]);
  platforms_[name] = std::move(platform);
  absl::Status indexed = IndexAliases();
  if (!indexed.ok()) {
    if (replaced != nullptr) {
      platforms_[name] = std::move(replaced);
    } else {
      platforms_.erase(name);
    }
    IndexAliases().IgnoreError();  // as it was, which indexed cleanly
  }
  return indexed;
}

absl::Status PlatformSet::IndexAliases() {
  aliases_.clear();
  for (const auto& [name, platform] : platforms_) {
    for (const std::string& alias : platform->aliases) {
      const Platform* other = nullptr;
      if (auto it = platforms_.find(alias); it != platforms_.end()) other = it->second.get();
      if (auto it = aliases_.find(alias); it != aliases_.end()) other = it->second;
      if (other != nullptr && other != platform.get()) {
        return absl::InvalidArgumentError(
            absl::StrCat(platform->source, ": aliases: '", alias, "' already names platform ",
                         other->name, " (", other->source, ")"));
      }
      aliases_[alias] = platform.get();
    }
  }
  return absl::OkStatus();
}

const Platform* PlatformSet::Find(absl::string_view device_type) const {
  if (device_type == kAutodetect) return autodetect_.get();
  if (auto it = platforms_.find(device_type); it != platforms_.end()) return it->second.get();
  if (auto it = aliases_.find(device_type); it != aliases_.end()) return it->second;
  return nullptr;
}

std::vector<const Platform*> PlatformSet::All() const {
  std::vector<const Platform*> all;
  for (const auto& [name, platform] : platforms_) all.push_back(platform.get());
  return all;
}

std::vector<std::string> PlatformSet::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, platform] : platforms_) names.push_back(name);
  for (const auto& [alias, platform] : aliases_) names.push_back(alias);
  names.push_back(std::string(kAutodetect));
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> PlatformSet::Closest(absl::string_view device_type,
                                              size_t limit) const {
  return ClosestNames(device_type, Names(), limit);
}

bool PlatformSet::IsBuiltin(const Platform& platform) const {
  return absl::StartsWith(platform.source, "common/platforms/");
}

const PlatformSet& Platforms() {
  static const PlatformSet* builtin = PlatformSet::Builtin().release();
  return installed != nullptr ? *installed : *builtin;
}

void InstallPlatforms(std::unique_ptr<PlatformSet> set) {
  delete installed;
  installed = set.release();
}

std::string UnknownPlatform(absl::string_view device_type) {
  std::vector<std::string> closest = Platforms().Closest(device_type);
  std::string hint;
  if (!closest.empty()) {
    hint = absl::StrCat("; did you mean '", absl::StrJoin(closest, "', '"), "'?");
  }
  std::vector<std::string> names;
  for (const Platform* platform : Platforms().All()) names.push_back(platform->name);
  return absl::StrCat("unknown '", device_type, "'", hint, " known: ", absl::StrJoin(names, ", "),
                      ", autodetect (`coord platforms` lists their aliases; --platforms DIR "
                      "adds your own)");
}

const Platform* FindPlatform(absl::string_view device_type) {
  return Platforms().Find(device_type);
}

}  // namespace netshard
