// coord: runs CLI commands on many network devices over SSH at once.
//
//   coord run --cmd "sh clock"                     # embedded engine
//   coord run -i devices.yaml --agent 10.0.0.5:50061 --cmd "sh clock"
//   coord run --config-file changes.txt --save     # config mode, then save
//   coord agents --agent 10.0.0.5:50061 --agent 10.0.0.6:50061
//
// Exit status: 0 every device succeeded, 1 some device failed, 2 usage or
// inventory error, 130 cancelled (SIGINT/SIGTERM).
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>
#include <tuple>

#include "CLI/CLI.hpp"
#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/inventory.h"
#include "common/status_macros.h"
#include "coordinator/config_lines.h"
#include "coordinator/device_filter.h"
#include "re2/re2.h"
#include "common/mutex.h"
#include "common/process_setup.h"
#include "coordinator/agent_info.h"
#include "coordinator/input_order.h"
#include "coordinator/journal.h"
#include "coordinator/plan.h"
#include "coordinator/result_printer.h"
#include "coordinator/run.h"

namespace netshard {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitDeviceFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitCancelled = 130;  // 128 + SIGINT, as shells report it

// The first SIGINT/SIGTERM stops the run gently: no new device starts,
// those in progress finish and report, every other device ends CANCELLED
// and the summary is printed. A second one exits at once.
void CancelOnStopSignal(JobTable* table) {
  std::thread([table] {
    int signal_number = AwaitStopSignal();
    std::cerr << "coord: " << strsignal(signal_number)
              << ": finishing devices in progress, cancelling the rest (again to quit now)"
              << std::endl;
    table->Cancel(absl::StrCat("run cancelled (", strsignal(signal_number), ")"));
    AwaitStopSignal();
    std::_Exit(kExitCancelled);
  }).detach();
}

struct RunFlags {
  std::vector<std::string> commands;
  std::vector<std::string> expects;
  std::vector<std::string> config_lines;
  std::string config_file;
  bool save = false;
  bool keep_going = false;
  double connect_timeout_s = 0;
  double auth_timeout_s = 0;
  double banner_timeout_s = 0;
  double command_timeout_s = 0;
  double device_timeout_s = 0;
  DeviceFilter filter;
  int retries = 0;
  double retry_backoff_s = 1;
  std::string inventory = "devices.yaml";
  std::vector<std::string> agents;
  int limit = 100;
  std::string order = "completion";
  std::string format = "text";
  bool gather = false;
  std::string output_dir;
  bool quiet = false;
  std::string journal;
  std::string resume;
  std::string retry_failed;
  double timeout_s = 30;
  double silence_timeout_s = 15;
  int prefetch = 0;
  std::string host_key_policy = "accept-new";
  std::string known_hosts;
};

// host:port with a port in range; the address itself is left to gRPC.
std::string CheckAgentAddress(const std::string& value) {
  size_t colon = value.rfind(':');
  int port = 0;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(value.substr(colon + 1), &port) || port < 1 || port > 65535) {
    return "expected HOST:PORT, got '" + value + "'";
  }
  return "";
}

uint32_t Millis(double seconds) { return static_cast<uint32_t>(seconds * 1000); }

// The RunSpec the flags describe, or a usage error naming the flag.
absl::StatusOr<v1::RunSpec> MakeSpec(const RunFlags& flags) {
  v1::RunSpec spec;
  spec.set_run_id(absl::StrFormat("%016x", absl::Uniform<uint64_t>(absl::BitGen())));
  if (flags.commands.empty() && flags.config_lines.empty() && flags.config_file.empty()) {
    return absl::InvalidArgumentError("give --cmd, --config or --config-file");
  }
  for (const std::string& command : flags.commands) spec.add_commands(command);
  if (flags.expects.size() > flags.commands.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--expect: ", flags.expects.size(), " given for ", flags.commands.size(),
        " --cmd; the Nth --expect ends the Nth --cmd"));
  }
  for (size_t i = 0; i < flags.expects.size(); ++i) {
    RE2 expect(flags.expects[i], RE2::Quiet);
    if (!flags.expects[i].empty() && !expect.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("--expect #", i + 1, " '", flags.expects[i],
                                                     "': ", expect.error()));
    }
    spec.add_expects(flags.expects[i]);
  }
  ASSIGN_OR_RETURN(std::vector<std::string> lines,
                   ConfigLines(flags.config_lines, flags.config_file));
  for (std::string& line : lines) spec.add_config_lines(std::move(line));
  if (flags.save && spec.config_lines().empty()) {
    return absl::InvalidArgumentError("--save needs --config or --config-file");
  }
  spec.set_save(flags.save);
  spec.set_connect_retries(flags.retries);
  spec.set_retry_backoff_ms(Millis(flags.retry_backoff_s));
  spec.set_keep_going(flags.keep_going);
  spec.set_step_timeout_ms(Millis(flags.timeout_s));
  v1::Timeouts* timeouts = spec.mutable_timeouts();
  timeouts->set_connect_ms(Millis(flags.connect_timeout_s));
  timeouts->set_auth_ms(Millis(flags.auth_timeout_s));
  timeouts->set_banner_ms(Millis(flags.banner_timeout_s));
  timeouts->set_command_ms(Millis(flags.command_timeout_s));
  timeouts->set_device_ms(Millis(flags.device_timeout_s));
  return spec;
}

int Run(const RunFlags& flags) {
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
  absl::StatusOr<Inventory> inventory = LoadInventory(flags.inventory);
  if (inventory.ok()) inventory = SelectDevices(*inventory, flags.filter);
  const std::string& earlier = flags.resume.empty() ? flags.retry_failed : flags.resume;
  if (inventory.ok() && !earlier.empty()) {
    inventory = PickFromJournal(*inventory, earlier,
                                flags.resume.empty() ? JournalPick::kFailed
                                                     : JournalPick::kUnfinished);
  }
  if (!inventory.ok()) {
    std::cerr << "coord: " << inventory.status().message() << "\n";
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
  if (absl::Status fits = CheckConfigurable(*inventory, spec); !fits.ok()) {
    std::cerr << "coord: " << fits.message() << "\n";
    return kExitUsage;
  }
  spec.set_host_key_policy(flags.host_key_policy == "strict" ? v1::HOST_KEY_STRICT
                           : flags.host_key_policy == "off"  ? v1::HOST_KEY_OFF
                                                             : v1::HOST_KEY_ACCEPT_NEW);
  spec.set_known_hosts_file(flags.known_hosts);

  PrintOptions print;
  print.format = flags.format == "jsonl"  ? OutputFormat::kJsonl
                 : flags.format == "json" ? OutputFormat::kJson
                                          : OutputFormat::kText;
  print.gather = flags.gather;
  print.output_dir = flags.output_dir;
  print.progress = !flags.quiet && isatty(STDERR_FILENO);
  print.wipe_progress = isatty(STDOUT_FILENO);
  ResultPrinter printer(inventory->devices, print, &std::cout, &std::cerr);
  InputOrder input_order(&printer);
  absl::StatusOr<std::unique_ptr<JournalSink>> journal = JournalSink::Open(
      *journal_path, inventory->devices,
      flags.order == "input" ? static_cast<ResultSink*>(&input_order) : &printer);
  if (!journal.ok()) {
    std::cerr << "coord: " << journal.status().message() << "\n";
    return kExitUsage;
  }
  std::cerr << "coord: journal: " << *journal_path << std::endl;
  ResultSink* sink = journal->get();

  absl::Time start = absl::Now();
  int takers = flags.agents.empty() ? 1 : static_cast<int>(flags.agents.size());
  // A config run whose agent vanished may or may not have applied it:
  // reported as such, never sent again (DESIGN.md contract 4).
  bool config_run = spec.config_lines_size() > 0;
  JobTable table(MakeJobs(*inventory), sink, takers, config_run ? 1 : 3,
                 config_run ? "; config run: the device may or may not have applied it, not re-sent"
                            : "");
  CancelOnStopSignal(&table);
  if (flags.agents.empty()) {
    RunEmbedded(spec, flags.limit, &table);
  } else {
    AgentStreamOptions options;
    options.silence_timeout = absl::Seconds(flags.silence_timeout_s);
    options.prefetch = flags.prefetch;
    options.on_event = [](const std::string& event) {
      static Mutex mu;
      MutexLock lock(&mu);
      std::cerr << "coord: " << event << std::endl;
    };
    RunThroughAgents(spec, flags.agents, options, &table);
  }
  printer.Finish();
  RunCounts counts = printer.counts();
  std::string summary = SummaryLine(counts, absl::Now() - start);
  // Machine formats keep stdout pure; the summary goes to stderr.
  (print.format == OutputFormat::kText ? std::cout : std::cerr) << summary << std::endl;
  if (counts.by_error.count("CANCELLED") > 0) return kExitCancelled;
  return counts.failed == 0 ? kExitOk : kExitDeviceFailed;
}

struct PlanFlags {
  std::string inventory = "devices.yaml";
  std::vector<std::string> agents;
  DeviceFilter filter;
  double timeout_s = 5;
};

std::vector<AgentReport> AskAgents(const std::vector<std::string>& addresses, double timeout_s) {
  std::vector<AgentReport> reports;
  for (const std::string& address : addresses) {
    reports.push_back({address, QueryAgent(address, absl::Seconds(timeout_s))});
  }
  return reports;
}

// What a run would do, touching no device. Exit 1 when some device has no
// agent that could take it.
int Plan(const PlanFlags& flags) {
  absl::StatusOr<Inventory> inventory = LoadInventory(flags.inventory);
  if (inventory.ok()) inventory = SelectDevices(*inventory, flags.filter);
  if (!inventory.ok()) {
    std::cerr << "coord: " << inventory.status().message() << "\n";
    return kExitUsage;
  }
  std::vector<AgentReport> reports = AskAgents(flags.agents, flags.timeout_s);
  if (!reports.empty()) std::cout << AgentTable(reports) << "\n";
  bool all_served = false;
  std::cout << PlanTable(*inventory, reports, &all_served);
  return all_served ? kExitOk : kExitDeviceFailed;
}

int Agents(const std::vector<std::string>& addresses, double timeout_s) {
  std::vector<AgentReport> reports = AskAgents(addresses, timeout_s);
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
  CLI::App* run = app.add_subcommand("run", "Run commands on every device of an inventory");
  run->add_option("--cmd", flags.commands, "Command to run (repeat for several, in order)");
  run->add_option("--expect", flags.expects,
                  "Regex ending the Nth --cmd when the device's last line matches it, instead "
                  "of the prompt (e.g. '\\[confirm\\]'); '' keeps the prompt");
  run->add_option("--config", flags.config_lines,
                  "Configuration line (repeat): enters config mode, sends the lines, commits "
                  "where needed, leaves; runs before --cmd");
  run->add_option("--config-file", flags.config_file,
                  "File of configuration lines (blank lines and '!'/'#' comments skipped)");
  run->add_flag("--save", flags.save,
                "After configuring, save (write memory / copy running-config startup-config)");
  run->add_option("--retries", flags.retries,
                  "Try an unreachable device (refused, timed out, no SSH) again up to N times; "
                  "authentication failures are never retried")
      ->check(CLI::Range(0, 10))->capture_default_str();
  run->add_option("--retry-backoff", flags.retry_backoff_s,
                  "Seconds before the first retry; doubled for each next one")
      ->check(CLI::Range(0.0, 600.0))->capture_default_str();
  run->add_flag("--keep-going", flags.keep_going,
                "Go on past a command or line the device rejects (the device still reports "
                "COMMAND_REJECTED)");
  for (auto [name, value, what] :
       {std::tuple{"--connect-timeout", &flags.connect_timeout_s, "TCP, SSH banner, key exchange"},
        std::tuple{"--auth-timeout", &flags.auth_timeout_s, "authentication"},
        std::tuple{"--banner-timeout", &flags.banner_timeout_s, "login banner to first prompt"},
        std::tuple{"--command-timeout", &flags.command_timeout_s, "each command"},
        std::tuple{"--device-timeout", &flags.device_timeout_s,
                   "each device from start to finish"}}) {
    run->add_option(name, *value,
                    absl::StrCat("Seconds for ", what,
                                 " (default: --timeout, none for --device-timeout; inventory "
                                 "fields override)"))
        ->check(CLI::Range(0.1, 86400.0));
  }
  run->add_option("-i,--inventory", flags.inventory, "Inventory file (course devices.yaml format)")
      ->capture_default_str();
  run->add_option("--group", flags.filter.groups, "Only devices of this inventory group (repeat)");
  run->add_option("--filter", flags.filter.filters,
                  "Only devices with KEY=VALUE (name, ip, device_type, segment, group, or a "
                  "`vars` field; * and ? match; repeat: all must hold)");
  run->add_option("--limit-to", flags.filter.limit_to,
                  "Only the first N matching devices (a canary run)")
      ->check(CLI::Range(1, 10000000));
  run->add_option("--agent", flags.agents, "Agent HOST:PORT (repeat; none: run in-process)")
      ->check([](const std::string& v) { return netshard::CheckAgentAddress(v); });
  run->add_option("--limit", flags.limit, "Devices at once, in-process engine")
      ->check(CLI::Range(1, 100000))->capture_default_str();
  run->add_option("--order", flags.order, "Result order: completion or input")
      ->check(CLI::IsMember({"completion", "input"}))->capture_default_str();
  run->add_option("--format", flags.format,
                  "Output: text, jsonl (a record per device as it finishes) or json (one "
                  "object keyed by device name)")
      ->check(CLI::IsMember({"text", "jsonl", "json"}))->capture_default_str();
  run->add_flag("--gather", flags.gather,
                "Text: show devices with identical output once, under one header naming them "
                "all (printed at the end)");
  run->add_option("--output-dir", flags.output_dir,
                  "Also write each device's output to DIR/<name>.txt (and DIR/<name>.error); "
                  "text output then shows only each device's status");
  run->add_flag("-q,--quiet", flags.quiet, "No progress line on stderr");
  run->add_option("--journal", flags.journal,
                  "Append every result to this jsonl file as it arrives (default: a file per "
                  "run under $XDG_STATE_HOME/netshard/runs, path printed at the start)");
  auto* resume = run->add_option("--resume", flags.resume,
                                 "Run only the devices this journal has no result for (or "
                                 "CANCELLED); new results are added to it");
  run->add_option("--retry-failed", flags.retry_failed,
                  "Run only the devices whose last result in this journal is a failure")
      ->excludes(resume);
  run->add_option("--timeout", flags.timeout_s,
                  "Seconds any one step (connect, login, prompt, one command) may take")
      ->check(CLI::Range(0.1, 86400.0))->capture_default_str();
  run->add_option("--agent-silence-timeout", flags.silence_timeout_s,
                  "Seconds an agent may stay silent before its jobs move elsewhere")
      ->check(CLI::Range(1.0, 3600.0))->capture_default_str();
  run->add_option("--host-key-policy", flags.host_key_policy,
                  "Device host keys: accept-new (remember unknown, refuse changed), strict, off")
      ->check(CLI::IsMember({"accept-new", "strict", "off"}))->capture_default_str();
  run->add_option("--known-hosts", flags.known_hosts,
                  "known_hosts file for the in-process engine (default ~/.ssh/known_hosts; "
                  "agents use their own --known-hosts)");
  run->add_option("--agent-prefetch", flags.prefetch,
                  "Jobs sent to an agent beyond its capacity (helps only very short jobs)")
      ->check(CLI::Range(0, 10000))->capture_default_str();
  std::vector<std::string> agents;
  double agents_timeout_s = 5;
  CLI::App* agents_command =
      app.add_subcommand("agents", "Show each agent's health, version, segments and load");
  agents_command->add_option("--agent", agents, "Agent HOST:PORT (repeat)")
      ->required()
      ->check([](const std::string& v) { return netshard::CheckAgentAddress(v); });
  agents_command->add_option("--timeout", agents_timeout_s, "Seconds to wait for each agent")
      ->check(CLI::Range(0.1, 600.0))->capture_default_str();
  netshard::PlanFlags plan_flags;
  CLI::App* plan = app.add_subcommand(
      "plan", "Show, without connecting to devices, which agents answer and who takes each segment");
  plan->add_option("-i,--inventory", plan_flags.inventory, "Inventory file")->capture_default_str();
  plan->add_option("--agent", plan_flags.agents, "Agent HOST:PORT (repeat)")
      ->check([](const std::string& v) { return netshard::CheckAgentAddress(v); });
  plan->add_option("--group", plan_flags.filter.groups, "Only devices of this group (repeat)");
  plan->add_option("--filter", plan_flags.filter.filters, "Only devices with KEY=VALUE (repeat)");
  plan->add_option("--timeout", plan_flags.timeout_s, "Seconds to wait for each agent")
      ->check(CLI::Range(0.1, 600.0))->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : netshard::kExitUsage;
  }
  if (agents_command->parsed()) return netshard::Agents(agents, agents_timeout_s);
  if (plan->parsed()) return netshard::Plan(plan_flags);
  return netshard::Run(flags);
}
