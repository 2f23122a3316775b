// `coord parse`: saved `show` output, from stdin, through a TextFSM template
// — the one the library's index picks for --platform and --command, or the
// --template given — printed as one JSON array of records.
#ifndef NETSHARD_COORDINATOR_CLI_PARSE_COMMAND_H_
#define NETSHARD_COORDINATOR_CLI_PARSE_COMMAND_H_

#include <iosfwd>
#include <string>

#include "CLI/CLI.hpp"
#include "common/secret_value.h"

namespace netshard {

struct ParseFlags {
  std::string platform;
  std::string command;
  std::string templates;      // the library ("": $NETSHARD_TEMPLATES)
  std::string template_file;  // one template, no index
};

CLI::App* AddParseCommand(CLI::App* app, ParseFlags* flags);

// Exit status: 0 parsed, 1 the template raised an Error on this output,
// 2 usage (no template for it, a bad template, a missing flag). `data_dir`
// is the installed program's share/netshard (see TemplatesDir).
int ParseCommand(const ParseFlags& flags, std::istream& in, std::ostream& out, std::ostream& err,
                 const EnvLookup& env, const std::string& data_dir);

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_CLI_PARSE_COMMAND_H_
