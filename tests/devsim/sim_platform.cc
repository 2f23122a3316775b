#include "tests/devsim/sim_platform.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>

#include "absl/strings/str_cat.h"
#include "common/embedded_file.h"
#include "common/file_text.h"
#include "common/mutex.h"
#include "common/status_macros.h"
#include "tests/devsim/sim_platform_file.h"

namespace netshard {
// Generated from tests/devsim/platforms/*.yaml (netshard_embed_files).
const std::vector<EmbeddedFile>& DevsimPlatformFiles();
}  // namespace netshard

namespace netshard::devsim {
namespace {

// One file's text and the name errors give it.
struct Source {
  std::string name;
  std::string text;
};

// All of `sources`, or the first error; two files may not share a name.
absl::StatusOr<std::vector<SimPlatform>> ParseAll(const std::vector<Source>& sources) {
  std::vector<SimPlatform> platforms;
  for (const Source& source : sources) {
    ASSIGN_OR_RETURN(SimPlatform platform, ParseSimPlatform(source.text, source.name));
    for (const SimPlatform& earlier : platforms) {
      if (earlier.name == platform.name) {
        return absl::InvalidArgumentError(absl::StrCat(source.name, ":1: name: '", platform.name,
                                                       "' is also ", earlier.source, "'s name"));
      }
    }
    platforms.push_back(std::move(platform));
  }
  return platforms;
}

// Thread contract: any thread; mu_ guards the set.
class Registry {
 public:
  static Registry& Get() {
    static Registry* registry = new Registry();
    return *registry;
  }

  const SimPlatform* Find(absl::string_view name) {
    MutexLock lock(&mu_);
    auto it = by_name_.find(name);
    return it == by_name_.end() ? nullptr : it->second;
  }

  std::vector<std::string> Names() {
    MutexLock lock(&mu_);
    std::vector<std::string> names;
    for (const auto& [name, platform] : by_name_) names.push_back(name);
    return names;
  }

  void Add(std::vector<SimPlatform> platforms) {
    MutexLock lock(&mu_);
    for (SimPlatform& platform : platforms) {
      owned_.push_back(std::make_unique<SimPlatform>(std::move(platform)));
      by_name_[owned_.back()->name] = owned_.back().get();
    }
  }

 private:
  // A built-in file that does not load is left out with a message rather
  // than taking every other platform down with it: many people write these
  // files, and devsim_platform_file_test names each broken one.
  Registry() {
    std::vector<SimPlatform> platforms;
    for (const EmbeddedFile& file : DevsimPlatformFiles()) {
      std::string source = absl::StrCat("tests/devsim/platforms/", file.name);
      auto platform = ParseSimPlatform(file.text, source);
      if (!platform.ok()) {
        std::cerr << "devsim: built-in platform left out: " << platform.status().message() << "\n";
        continue;
      }
      platforms.push_back(*std::move(platform));
    }
    Add(std::move(platforms));
  }

  Mutex mu_;
  std::map<std::string, const SimPlatform*, std::less<>> by_name_ ABSL_GUARDED_BY(mu_);
  // Never freed: a device may still use a platform a later file replaced.
  std::vector<std::unique_ptr<SimPlatform>> owned_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

const SimPlatform* FindSimPlatform(absl::string_view name) { return Registry::Get().Find(name); }

std::vector<std::string> SimPlatformNames() { return Registry::Get().Names(); }

absl::Status AddSimPlatformDir(const std::string& dir) {
  std::error_code error;
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    std::string extension = entry.path().extension().string();
    if (extension == ".yaml" || extension == ".yml") paths.push_back(entry.path());
  }
  if (error) {
    return absl::InvalidArgumentError(
        absl::StrCat("platforms directory ", dir, ": ", error.message()));
  }
  std::sort(paths.begin(), paths.end());  // the same first error on every run
  std::vector<Source> sources;
  for (const auto& path : paths) {
    std::optional<std::string> text = ReadFileText(path.string());
    if (!text) return absl::NotFoundError(absl::StrCat(path.string(), ": cannot read"));
    sources.push_back({path.string(), *std::move(text)});
  }
  ASSIGN_OR_RETURN(std::vector<SimPlatform> platforms, ParseAll(sources));
  Registry::Get().Add(std::move(platforms));
  return absl::OkStatus();
}

}  // namespace netshard::devsim
