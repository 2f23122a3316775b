// coord: runs CLI commands on many network devices over SSH at once.
//
//   coord run --cmd "sh clock"                     # embedded engine
//   coord run -i devices.yaml --agent 10.0.0.5:50061 --cmd "sh clock"
//   coord run --config-file changes.txt --save     # config mode, then save
//   coord run --agents-file agents.yaml --max-logins-per-second 20 --cmd "sh ver"
//   coord agents --agent 10.0.0.5:50061 --agent-dns agents.netshard.svc:50061
//
// Exit status: 0 every device succeeded, 1 some device failed, 2 usage or
// inventory error, 3 the journal is missing results (a write failed; it
// wins over 1 and 130), 130 cancelled (SIGINT/SIGTERM).
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <tuple>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "common/closest_name.h"
#include "common/data_dir.h"
#include "common/inventory/inventory.h"
#include "common/version.h"
#include "coordinator/dispatch/agent_targets.h"
#include "coordinator/cli/ask_secret.h"
#include "coordinator/output/detected_inventory.h"
#include "coordinator/dispatch/device_filter.h"
#include "coordinator/cli/run_flags.h"
#include "coordinator/cli/stop_signals.h"
#include "coordinator/engine/engine.h"
#include "common/mutex.h"
#include "common/process_setup.h"
#include "coordinator/dispatch/agent_info.h"
#include "coordinator/output/journal.h"
#include "coordinator/cli/inventory_command.h"
#include "coordinator/cli/parse_command.h"
#include "coordinator/cli/platforms_command.h"
#include "coordinator/output/parsed_output.h"
#include "coordinator/dispatch/plan.h"
#include "coordinator/output/result_printer.h"
#include "coordinator/dispatch/run.h"

namespace netshard {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitDeviceFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitJournalFailed = 3;
constexpr int kExitCancelled = 130;  // 128 + SIGINT, as shells report it

absl::StatusOr<std::vector<AgentTarget>> FindAgents(const AgentSources& flags) {
  return CollectAgents(flags, ResolveWithSystem);
}

// --ask-pass / --ask-secret: asked once, for every device whose credentials
// the coordinator holds (not those an agent supplies).
absl::Status AskCredentials(const RunFlags& flags, Inventory* inventory) {
  for (auto [wanted, flag, prompt, field] :
       {std::tuple{flags.ask_pass, "--ask-pass", "Device password: ", &Device::password},
        std::tuple{flags.ask_secret, "--ask-secret", "Enable secret: ", &Device::secret}}) {
    if (!wanted) continue;
    absl::StatusOr<std::string> answer = AskSecret(prompt);
    if (!answer.ok()) {
      return absl::Status(answer.status().code(),
                          absl::StrCat(flag, ": ", answer.status().message()));
    }
    for (Device& device : inventory->devices) {
      if (!device.agent_credentials) device.*field = *answer;
    }
  }
  return absl::OkStatus();
}

int RunCommand(const RunFlags& flags) {
  absl::StatusOr<v1::RunSpec> made = MakeSpec(flags);
  if (!made.ok()) {
    std::cerr << "coord: " << made.status().message() << "\n";
    return kExitUsage;
  }
  v1::RunSpec& spec = *made;
  if (flags.gather && flags.format != "text") {
    std::cerr << "coord: --gather needs --format text\n";
    return kExitUsage;
  }
  if (!flags.output_dir.empty()) {
    std::error_code error;
    std::filesystem::create_directories(flags.output_dir, error);
    if (error || access(flags.output_dir.c_str(), W_OK) != 0) {
      std::cerr << "coord: --output-dir " << flags.output_dir << ": cannot write there"
                << (error ? ": " + error.message() : "") << "\n";
      return kExitUsage;
    }
  }
  absl::StatusOr<Inventory> inventory = LoadSelected(flags.inventory, ProcessEnv);
  const std::string& earlier = flags.resume.empty() ? flags.retry_failed : flags.resume;
  if (flags.repair_journal && earlier.empty()) {
    std::cerr << "coord: --repair-journal needs --resume or --retry-failed\n";
    return kExitUsage;
  }
  if (inventory.ok() && !earlier.empty()) {
    std::string repaired;
    inventory = PickFromJournal(*inventory, earlier,
                                flags.resume.empty() ? JournalPick::kFailed
                                                     : JournalPick::kUnfinished,
                                flags.repair_journal, &repaired);
    if (!repaired.empty()) std::cerr << "coord: " << repaired << std::endl;
  }
  if (!inventory.ok()) {
    std::cerr << "coord: " << inventory.status().message() << "\n";
    return kExitUsage;
  }
  if (absl::Status asked = AskCredentials(flags, &*inventory); !asked.ok()) {
    std::cerr << "coord: " << asked.message() << "\n";
    return kExitUsage;
  }
  if (inventory->devices.empty()) {
    std::cerr << "coord: nothing left to run according to " << earlier << "\n";
    return kExitOk;
  }
  // Results go to the journal as they arrive; a resumed run adds to its own.
  absl::StatusOr<std::string> journal_path =
      !flags.journal.empty() ? absl::StatusOr<std::string>(flags.journal)
      : !earlier.empty()     ? absl::StatusOr<std::string>(earlier)
                             : DefaultJournalPath(spec.run_id());
  if (!journal_path.ok()) {
    std::cerr << "coord: " << journal_path.status().message() << "\n";
    return kExitUsage;
  }
  absl::StatusOr<std::vector<AgentTarget>> agents = FindAgents(flags.agents);
  if (!agents.ok()) {
    std::cerr << "coord: " << agents.status().message() << "\n";
    return kExitUsage;
  }
  RunOptions options = MakeRunOptions(flags, std::move(spec), *std::move(agents));
  if (!options.agents.empty()) {
    for (const std::string& unused : EngineOnlyFlags(flags)) {
      std::cerr << "coord: " << unused << " is not used with agents: each agent has its own ("
                << "agent " << unused << ")" << std::endl;
    }
  }
  options.journal_path = *journal_path;
  options.on_event = [](const std::string& event) {
    static Mutex mu;
    MutexLock lock(&mu);
    std::cerr << "coord: " << event << std::endl;
  };

  PrintOptions print;
  std::unique_ptr<TemplateLibrary> library;
  if (flags.parse) {
    absl::StatusOr<std::string> dir = TemplatesDir(flags.templates, ProcessEnv, InstalledDataDir());
    absl::StatusOr<std::unique_ptr<TemplateLibrary>> opened =
        dir.ok() ? TemplateLibrary::Open(*dir) : dir.status();
    if (!opened.ok()) {
      std::cerr << "coord: --parse: " << opened.status().message() << "\n";
      return kExitUsage;
    }
    library = *std::move(opened);
    print.parse = library.get();
  }
  print.format = flags.format == "jsonl"  ? OutputFormat::kJsonl
                 : flags.format == "json" ? OutputFormat::kJson
                                          : OutputFormat::kText;
  print.gather = flags.gather;
  print.output_dir = flags.output_dir;
  print.progress = !flags.quiet && isatty(STDERR_FILENO);
  print.wipe_progress = isatty(STDOUT_FILENO);
  auto fleet = std::make_shared<const Inventory>(*std::move(inventory));
  ResultPrinter printer(fleet->devices, print, &std::cout, &std::cerr);
  DetectedInventory detected(fleet->devices, fleet->source, &printer);
  ResultSink* sink = flags.detect_out.empty() ? static_cast<ResultSink*>(&printer) : &detected;
  absl::StatusOr<std::unique_ptr<netshard::Run>> run = netshard::Run::Create(fleet, options, sink);
  if (!run.ok()) {
    std::cerr << "coord: " << run.status().message() << "\n";
    return kExitUsage;
  }
  std::cerr << "coord: journal: " << *journal_path << std::endl;
  absl::Duration grace = absl::Seconds(flags.grace_s);
  (*run)->Start();
  RunSummary summary;
  {
    // Ctrl-C while the run goes; joined before the run is waited for.
    StopSignalWatcher stop_signals(
        [&run, grace](const char* signal) {
          std::cerr << "coord: " << signal << ": no new devices; those in progress may finish for "
                    << absl::FormatDuration(grace) << " (again to cancel them now)" << std::endl;
          (*run)->Stop(absl::StrCat("run cancelled (", signal, ")"));
        },
        [&run](bool again) {
          std::cerr << "coord: " << (again ? "cancelling" : "grace period over: cancelling")
                    << " devices in progress (again to quit at once)" << std::endl;
          (*run)->Cancel();
        },
        grace, kExitCancelled);
    summary = (*run)->Wait();
  }
  printer.Finish();
  if (!flags.detect_out.empty()) {
    if (absl::Status written = detected.Write(flags.detect_out); !written.ok()) {
      std::cerr << "coord: " << written.message() << "\n";
      return kExitUsage;
    }
    std::cerr << "coord: detected inventory: " << flags.detect_out << std::endl;
  }
  RunCounts counts = printer.counts();
  // Machine formats keep stdout pure; the summary goes to stderr.
  (print.format == OutputFormat::kText ? std::cout : std::cerr)
      << SummaryLine(counts, summary.elapsed) << std::endl;
  if (summary.journal_missing > 0) {
    std::cerr << "coord: the journal is missing " << summary.journal_missing << " of "
              << (*run)->size() << " results (" << summary.journal_failure
              << "); --resume from it would run them again" << std::endl;
    return kExitJournalFailed;
  }
  if (counts.by_error.count("CANCELLED") > 0) return kExitCancelled;
  return counts.failed == 0 ? kExitOk : kExitDeviceFailed;
}

struct PlanFlags {
  InventoryFlags inventory;
  AgentSources agents;
  double timeout_s = 5;
};

// What each agent says of itself; segments an agents file assigns replace
// the advertised ones, as a run would use them.
std::vector<AgentReport> AskAgents(const std::vector<AgentTarget>& agents, double timeout_s) {
  std::vector<AgentReport> reports;
  for (const AgentTarget& agent : agents) {
    AgentReport& report =
        reports.emplace_back(AgentReport{agent.label, QueryAgent(agent,
                                                                 absl::Seconds(timeout_s))});
    if (report.info.ok() && agent.segments) {
      report.info->clear_segments();
      for (const std::string& segment : *agent.segments) report.info->add_segments(segment);
    }
  }
  return reports;
}

// What a run would do, touching no device. Exit 1 when some device has no
// agent that could take it.
int Plan(const PlanFlags& flags) {
  absl::StatusOr<Inventory> inventory = LoadSelected(flags.inventory, ProcessEnv);
  if (!inventory.ok()) {
    std::cerr << "coord: " << inventory.status().message() << "\n";
    return kExitUsage;
  }
  absl::StatusOr<std::vector<AgentTarget>> agents = FindAgents(flags.agents);
  if (!agents.ok()) {
    std::cerr << "coord: " << agents.status().message() << "\n";
    return kExitUsage;
  }
  std::vector<AgentReport> reports = AskAgents(*agents, flags.timeout_s);
  if (!reports.empty()) std::cout << AgentTable(reports) << "\n";
  bool all_served = false;
  std::cout << PlanTable(*inventory, reports, &all_served);
  // What `coord run` would refuse, plan says too.
  if (absl::Status reachable = CheckCredentialsReachable(*inventory, agents->empty());
      !reachable.ok()) {
    std::cout << "\n" << reachable.message() << "; `coord run` would refuse this inventory\n";
    return kExitDeviceFailed;
  }
  return all_served ? kExitOk : kExitDeviceFailed;
}

// "unknown command 'rnu'; did you mean 'run'?" when the first word after
// the program's own options names no subcommand; "" otherwise.
std::string UnknownSubcommand(const CLI::App& app, int argc, char** argv) {
  std::vector<std::string> names;
  for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(command->get_name());
  }
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    if (word == "--platforms") {
      ++i;  // its directory
      continue;
    }
    if (absl::StartsWith(word, "-")) continue;
    if (std::find(names.begin(), names.end(), word) != names.end()) return "";
    std::vector<std::string> closest = ClosestNames(word, names);
    return absl::StrCat("unknown command '", word, "'",
                        closest.empty() ? "" : absl::StrCat("; did you mean '", closest[0], "'?"),
                        " (commands: ", absl::StrJoin(names, ", "), "; coord --help)");
  }
  return "";
}

int Agents(const AgentSources& flags, double timeout_s) {
  absl::StatusOr<std::vector<AgentTarget>> agents = FindAgents(flags);
  if (!agents.ok() || agents->empty()) {
    std::cerr << "coord: "
              << (agents.ok() ? "give --agent, --agent-dns or --agents-file"
                              : agents.status().message())
              << "\n";
    return kExitUsage;
  }
  std::vector<AgentReport> reports = AskAgents(*agents, timeout_s);
  bool all_up = true;
  for (const AgentReport& report : reports) all_up &= report.info.ok();
  std::cout << AgentTable(reports);
  return all_up ? kExitOk : kExitDeviceFailed;
}

}  // namespace
}  // namespace netshard

int main(int argc, char** argv) {
  netshard::BlockStopSignals();
  netshard::RaiseOpenFileLimit();
  netshard::RunFlags flags;
  CLI::App app{"coord: run CLI commands on many network devices over SSH at once"};
  app.require_subcommand(1);
  app.fallthrough();  // --platforms after the subcommand too
  CLI::App* run = app.add_subcommand("run", "Run commands on every device of an inventory");
  netshard::AddRunFlags(run, &flags);
  netshard::AgentSources agents;
  double agents_timeout_s = 5;
  CLI::App* agents_command =
      app.add_subcommand("agents", "Show each agent's health, version, segments and load");
  netshard::AddAgentSources(agents_command, &agents, "at least one agent");
  agents_command->add_option("--timeout", agents_timeout_s, "Seconds to wait for each agent")
      ->check(CLI::Range(0.1, 600.0))->capture_default_str();
  netshard::PlanFlags plan_flags;
  netshard::InventoryCommandFlags inventory_flags;
  CLI::App* inventory = netshard::AddInventoryCommand(&app, &inventory_flags);
  netshard::ParseFlags parse_flags;
  CLI::App* parse = netshard::AddParseCommand(&app, &parse_flags);
  netshard::PlatformsFlags platforms_flags;
  CLI::App* platforms = netshard::AddPlatformsCommand(&app, &platforms_flags);
  std::vector<std::string> platform_dirs;
  app.add_option("--platforms", platform_dirs,
                 "A directory of platform files (*.yaml) adding to or overriding the built-in "
                 "ones (repeat; also $NETSHARD_PLATFORMS, ':'-separated)")
      ->allow_extra_args(false);  // one directory each, so a NAME after it stays a NAME
  CLI::App* plan = app.add_subcommand(
      "plan", "Show, without connecting to devices, which agents answer and who takes each segment");
  netshard::AddInventoryFlags(plan, &plan_flags.inventory);
  netshard::AddAgentSources(plan, &plan_flags.agents, "none: only the inventory's segments");
  plan->add_option("--timeout", plan_flags.timeout_s, "Seconds to wait for each agent")
      ->check(CLI::Range(0.1, 600.0))->capture_default_str();
  app.set_version_flag("--version", netshard::VersionLine("coord"));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (std::string unknown = netshard::UnknownSubcommand(app, argc, argv); !unknown.empty()) {
      std::cerr << "coord: " << unknown << "\n";
      return netshard::kExitUsage;
    }
    int rc = app.exit(e);
    return rc == 0 ? 0 : netshard::kExitUsage;
  }
  // `agents` and `parse` name no device_type: only the others load platforms.
  if (agents_command->parsed()) return netshard::Agents(agents, agents_timeout_s);
  if (parse->parsed()) {
    return netshard::ParseCommand(parse_flags, std::cin, std::cout, std::cerr, netshard::ProcessEnv,
                                  netshard::InstalledDataDir());
  }
  const char* env_dirs = std::getenv("NETSHARD_PLATFORMS");
  absl::StatusOr<std::unique_ptr<netshard::PlatformSet>> loaded = netshard::PlatformSet::Load(
      netshard::PlatformDirs(env_dirs != nullptr ? env_dirs : "", platform_dirs));
  if (!loaded.ok()) {
    std::cerr << "coord: " << loaded.status().message() << "\n";
    return netshard::kExitUsage;
  }
  netshard::InstallPlatforms(*std::move(loaded));
  if (platforms->parsed()) {
    return netshard::PlatformsCommand(platforms_flags, netshard::Platforms(), std::cout, std::cerr);
  }
  if (plan->parsed()) return netshard::Plan(plan_flags);
  if (inventory->parsed()) {
    return netshard::InventoryCommand(inventory_flags, netshard::ProcessEnv, std::cout, std::cerr);
  }
  return netshard::RunCommand(flags);
}
