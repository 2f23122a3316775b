// Structured output: a command's text through the template library, as
// JSON — a list of objects with lower-case keys, each value a string or a
// list of strings, exactly what Netmiko's use_textfsm returns.
#ifndef NETSHARD_COORDINATOR_OUTPUT_PARSED_OUTPUT_H_
#define NETSHARD_COORDINATOR_OUTPUT_PARSED_OUTPUT_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/inventory/inventory.h"
#include "common/secret_value.h"
#include "common/textfsm/textfsm_library.h"
#include "netshard/v1/agent.pb.h"

namespace netshard {

// The records as one JSON array.
std::string RecordsJson(const FsmTable& table);

// The template library to use: `flag` (--templates) if given, else the
// NETSHARD_TEMPLATES variable, else `data_dir`/templates (an installed
// program's share/netshard, see common/data_dir.h) when it holds an index.
// An error says how to point at one.
absl::StatusOr<std::string> TemplatesDir(const std::string& flag, const EnvLookup& env,
                                         const std::string& data_dir);

// What a result record carries for one command with --parse: the field
// "parsed" with the records, or "parse_note" with why there are none (no
// template, a template error) — never a failure of the device.
struct ParsedField {
  std::string name;  // "parsed" or "parse_note"
  std::string json;  // its value, as JSON
};
ParsedField ParseOutput(TemplateLibrary& library, const std::string& platform,
                        const std::string& command, const std::string& output);

// ParseOutput for one output of a result: a command the device rejected is
// not parsed.
ParsedField ParseCommandOutput(TemplateLibrary& library, const std::string& platform,
                               const v1::CommandOutput& output);

// The platform a result's templates are chosen by: what autodetect found,
// else the device's device_type.
std::string ParsePlatform(const Device& device, const v1::DeviceResult& result);

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_OUTPUT_PARSED_OUTPUT_H_
