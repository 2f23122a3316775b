#include "coordinator/cli/parse_command.h"

#include <iostream>
#include <sstream>

#include "common/file_text.h"
#include "coordinator/output/parsed_output.h"

namespace netshard {

CLI::App* AddParseCommand(CLI::App* app, ParseFlags* flags) {
  CLI::App* parse = app->add_subcommand(
      "parse", "Parse saved command output (stdin) with TextFSM templates; print JSON records");
  parse->add_option("--platform", flags->platform, "Device type, as in the inventory (cisco_ios)");
  parse->add_option("--command", flags->command, "The command that produced the output");
  parse->add_option("--templates", flags->templates,
                    "Template library: a directory with an index (default "
                    "$NETSHARD_TEMPLATES, else share/netshard/templates of the install)");
  parse->add_option("--template", flags->template_file,
                    "Parse with this one template file instead of the library's choice");
  return parse;
}

int ParseCommand(const ParseFlags& flags, std::istream& in, std::ostream& out, std::ostream& err,
                 const EnvLookup& env, const std::string& data_dir) {
  constexpr int kOk = 0, kRaised = 1, kUsage = 2;
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<FsmTable> table;
  if (!flags.template_file.empty()) {
    std::optional<std::string> source = ReadFileText(flags.template_file);
    if (!source) {
      err << "coord parse: " << flags.template_file << ": cannot read the template\n";
      return kUsage;
    }
    absl::StatusOr<std::unique_ptr<TextFsm>> fsm = TextFsm::Parse(*source, flags.template_file);
    if (!fsm.ok()) {
      err << "coord parse: " << fsm.status().message() << "\n";
      return kUsage;
    }
    table = ParseWithTemplates({fsm->get()}, text.str());
  } else {
    if (flags.platform.empty() || flags.command.empty()) {
      err << "coord parse: give --platform and --command (or --template FILE)\n";
      return kUsage;
    }
    absl::StatusOr<std::string> dir = TemplatesDir(flags.templates, env, data_dir);
    absl::StatusOr<std::unique_ptr<TemplateLibrary>> library =
        dir.ok() ? TemplateLibrary::Open(*dir) : dir.status();
    if (!library.ok()) {
      err << "coord parse: " << library.status().message() << "\n";
      return kUsage;
    }
    table = (*library)->Parse(flags.platform, flags.command, text.str());
  }
  if (!table.ok()) {
    err << "coord parse: " << table.status().message() << "\n";
    return absl::IsFailedPrecondition(table.status()) ? kRaised : kUsage;
  }
  out << RecordsJson(*table) << "\n";
  return kOk;
}

}  // namespace netshard
