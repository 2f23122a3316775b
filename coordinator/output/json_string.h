// JSON string literals from untrusted bytes: device output may hold any
// byte, and a jsonl consumer must still parse every line.
#ifndef NETSHARD_COORDINATOR_OUTPUT_JSON_STRING_H_
#define NETSHARD_COORDINATOR_OUTPUT_JSON_STRING_H_

#include <string>

#include "absl/strings/string_view.h"

namespace netshard {

// Appends `text` as a quoted JSON string. Valid UTF-8 passes through; each
// byte of an invalid sequence becomes the code point of the same value
// (\u0080..\u00ff), so the result is always valid JSON and UTF-8.
void AppendJsonString(std::string* out, absl::string_view text);

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_OUTPUT_JSON_STRING_H_
