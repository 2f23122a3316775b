// Secrets kept out of the inventory text: `${env:NAME}` values, *_env
// fields naming an environment variable, and *_file fields naming a file
// only its owner may read. Errors name the variable or file, never a value.
#ifndef NETSHARD_COMMON_SECRET_VALUE_H_
#define NETSHARD_COMMON_SECRET_VALUE_H_

#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"

namespace netshard {

// An environment variable's value, or nullopt when unset. A seam: libraries
// take one instead of reading the process environment.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment (for *_main.cc).
std::optional<std::string> ProcessEnv(const std::string& name);

// Variable `name`'s value. Unset, or no `env` given: an error naming it.
absl::StatusOr<std::string> EnvValue(const std::string& name, const EnvLookup& env);

// NAME, when `value` is a whole-value `${env:NAME}`; nullopt otherwise.
std::optional<std::string> EnvReference(const std::string& value);

// `value` with a whole-value `${env:NAME}` replaced by the variable; any
// other value as it is.
absl::StatusOr<std::string> ExpandEnv(const std::string& value, const EnvLookup& env);

// OK when `path` is a regular file that neither group nor others may read
// or write (as ssh insists for private keys); else why not, with the mode.
absl::Status CheckPrivateFile(const std::string& path);

// A private file's contents with one trailing newline (\n or \r\n) removed.
absl::StatusOr<std::string> ReadSecretFile(const std::string& path);

}  // namespace netshard

#endif  // NETSHARD_COMMON_SECRET_VALUE_H_
