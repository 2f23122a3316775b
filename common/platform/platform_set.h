// Every platform a program knows: the built-in files (common/platforms/,
// compiled in), then the files of each --platforms directory, a later file
// overriding an earlier one of the same name.
#ifndef NETSHARD_COMMON_PLATFORM_PLATFORM_SET_H_
#define NETSHARD_COMMON_PLATFORM_PLATFORM_SET_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/platform/platform.h"

namespace netshard {

// Thread contract: built by one thread, then only read (safe to share).
class PlatformSet {
 public:
  // The built-in platforms and, in order, every *.yaml of each of `dirs`.
  // Errors name the file, line and field.
  static absl::StatusOr<std::unique_ptr<PlatformSet>> Load(const std::vector<std::string>& dirs);
  // The built-in platforms only (which always load).
  static std::unique_ptr<PlatformSet> Builtin();
  // No platforms but autodetect, for a run's own definitions.
  static std::unique_ptr<PlatformSet> Empty();

  // Adds (or replaces, by name) the platform defined by `text`.
  absl::Status Add(absl::string_view text, absl::string_view source);

  // By name or alias; "autodetect" is the platform that finds the real one.
  // Null when unknown.
  const Platform* Find(absl::string_view device_type) const;
  // Every platform, by name (not autodetect).
  std::vector<const Platform*> All() const;
  // Known names and aliases closest to `device_type`, best first, for a
  // "did you mean" (empty when nothing is close).
  std::vector<std::string> Closest(absl::string_view device_type, size_t limit = 3) const;
  // Every name and alias, sorted.
  std::vector<std::string> Names() const;
  // Whether `platform` is the built-in definition of its name.
  bool IsBuiltin(const Platform& platform) const;

 private:
  PlatformSet();
  // Rebuilds aliases_ after a change; an alias claimed twice is an error.
  absl::Status IndexAliases();

  std::map<std::string, std::unique_ptr<Platform>, std::less<>> platforms_;
  std::map<std::string, const Platform*, std::less<>> aliases_;
  std::unique_ptr<Platform> autodetect_;
};

// The message for a device_type no platform has: the closest names first
// ("did you mean 'hp_comware'?"), then every known one.
std::string UnknownPlatform(absl::string_view device_type);

// The process's platforms: the built-ins until InstallPlatforms is called.
const PlatformSet& Platforms();
// Makes `set` the process's platforms.
// REQUIRES: before any other thread reads Platforms() (in main).
void InstallPlatforms(std::unique_ptr<PlatformSet> set);
// Platforms().Find(device_type).
const Platform* FindPlatform(absl::string_view device_type);

}  // namespace netshard

#endif  // NETSHARD_COMMON_PLATFORM_PLATFORM_SET_H_
