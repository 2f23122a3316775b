// Reads one devsim platform file (docs/devsim-platforms.md) into a
// SimPlatform, filling in the documented defaults.
#ifndef NETSHARD_TESTS_DEVSIM_SIM_PLATFORM_FILE_H_
#define NETSHARD_TESTS_DEVSIM_SIM_PLATFORM_FILE_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tests/devsim/sim_platform.h"

namespace netshard::devsim {

// The platform `text` describes. Errors are InvalidArgument and read
// "FILE:LINE: FIELD: problem" (an unknown or duplicate field, a wrong type,
// a missing required field, a value out of range), `file` naming the source.
absl::StatusOr<SimPlatform> ParseSimPlatform(absl::string_view text, absl::string_view file);

}  // namespace netshard::devsim

#endif  // NETSHARD_TESTS_DEVSIM_SIM_PLATFORM_FILE_H_
