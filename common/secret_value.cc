#include "common/secret_value.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/file_text.h"
#include "common/status_macros.h"

namespace netshard {

std::optional<std::string> ProcessEnv(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

std::optional<std::string> EnvReference(const std::string& value) {
  constexpr absl::string_view kOpen = "${env:";
  if (!absl::StartsWith(value, kOpen) || !absl::EndsWith(value, "}")) return std::nullopt;
  return value.substr(kOpen.size(), value.size() - kOpen.size() - 1);
}

absl::StatusOr<std::string> ExpandEnv(const std::string& value, const EnvLookup& env) {
  std::optional<std::string> name = EnvReference(value);
  if (!name) return value;
  return EnvValue(*name, env);
}

absl::StatusOr<std::string> EnvValue(const std::string& name, const EnvLookup& env) {
  if (name.empty()) return absl::InvalidArgumentError("names no environment variable");
  std::optional<std::string> found = env ? env(name) : std::nullopt;
  if (!found) {
    return absl::InvalidArgumentError(
        absl::StrCat("environment variable ", name, " is not set"));
  }
  return *found;
}

absl::Status CheckPrivateFile(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", strerror(errno)));
  }
  if (!S_ISREG(info.st_mode)) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": not a regular file"));
  }
  if ((info.st_mode & 077) != 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: group or others may access it (mode %04o); chmod 600 it", path,
                        info.st_mode & 07777));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadSecretFile(const std::string& path) {
  RETURN_IF_ERROR(CheckPrivateFile(path));
  std::optional<std::string> text = ReadFileText(path);
  if (!text) return absl::InvalidArgumentError(absl::StrCat(path, ": cannot read"));
  std::string secret = *std::move(text);
  if (absl::EndsWith(secret, "\n")) secret.pop_back();
  if (absl::EndsWith(secret, "\r")) secret.pop_back();
  return secret;
}

}  // namespace netshard
