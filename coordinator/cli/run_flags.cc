#include "coordinator/cli/run_flags.h"

#include <tuple>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/host_port.h"
#include "common/status_macros.h"
#include "coordinator/dispatch/agent_targets.h"
#include "coordinator/cli/config_lines.h"
#include "re2/re2.h"

namespace netshard {

namespace {

uint32_t Millis(double seconds) { return static_cast<uint32_t>(seconds * 1000); }

// The range of a numeric flag: CLI11 checks it on coord's command line, and
// MakeSpec for every other front end (the Python module's keywords).
template <typename T>
struct Bound {
  T min;
  T max;
  CLI::Range Check() const { return CLI::Range(min, max); }
};
constexpr Bound<int> kRetries{0, 10};
constexpr Bound<double> kRetryBackoff{0.0, 600.0};
constexpr Bound<double> kTimeout{0.1, 86400.0};  // --timeout and each stage's
constexpr Bound<int> kLimit{1, 1000000};
constexpr Bound<double> kLoginsPerSecond{0.01, 100000.0};
constexpr Bound<double> kSilenceTimeout{1.0, 3600.0};
constexpr Bound<int> kPrefetch{0, 10000};

// The stage timeout flags (name, field, what it bounds); 0: not given.
// `Flags` is RunFlags, or const RunFlags to read them.
template <typename Flags>
auto StageTimeouts(Flags& flags) {
  using Field = decltype(&flags.connect_timeout_s);
  return std::vector<std::tuple<const char*, Field, const char*>>{{"--connect-timeout", &flags.connect_timeout_s, "TCP, SSH banner, key exchange"},
          {"--auth-timeout", &flags.auth_timeout_s, "authentication"},
          {"--banner-timeout", &flags.banner_timeout_s, "login banner to first prompt"},
          {"--command-timeout", &flags.command_timeout_s, "each command"},
          {"--device-timeout", &flags.device_timeout_s, "each device from start to finish"}};
}

template <typename T>
absl::Status InBound(const char* flag, T value, Bound<T> bound) {
  if (value >= bound.min && value <= bound.max) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(flag, ": ", value, " is not in [", bound.min, ", ", bound.max, "]"));
}

// What CLI11 checks on the command line, for flags that came another way.
// Options left at 0 ("not given") are not checked where 0 means the default.
absl::Status CheckBounds(const RunFlags& flags) {
  RETURN_IF_ERROR(InBound("--retries", flags.retries, kRetries));
  RETURN_IF_ERROR(InBound("--retry-backoff", flags.retry_backoff_s, kRetryBackoff));
  RETURN_IF_ERROR(InBound("--timeout", flags.timeout_s, kTimeout));
  for (auto [flag, value, what] : StageTimeouts(flags)) {
    if (*value != 0) RETURN_IF_ERROR(InBound(flag, *value, kTimeout));
  }
  if (flags.limit != 0) RETURN_IF_ERROR(InBound("--limit", flags.limit, kLimit));
  if (flags.logins_per_second != 0) {
    RETURN_IF_ERROR(InBound("--max-logins-per-second", flags.logins_per_second, kLoginsPerSecond));
  }
  RETURN_IF_ERROR(InBound("--agent-silence-timeout", flags.silence_timeout_s, kSilenceTimeout));
  return InBound("--agent-prefetch", flags.prefetch, kPrefetch);
}

}  // namespace

absl::StatusOr<v1::RunSpec> MakeSpec(const RunFlags& flags) {
  RETURN_IF_ERROR(CheckBounds(flags));
  v1::RunSpec spec;
  spec.set_run_id(absl::StrFormat("%016x", absl::Uniform<uint64_t>(absl::BitGen())));
  bool nothing_to_run =
      flags.commands.empty() && flags.config_lines.empty() && flags.config_file.empty();
  if (flags.detect_only != nothing_to_run) {
    return absl::InvalidArgumentError(flags.detect_only
                                          ? "--detect-only runs nothing: drop --cmd and --config"
                                          : "give --cmd, --config or --config-file");
  }
  if (!flags.detect_out.empty() && !flags.detect_only) {
    return absl::InvalidArgumentError("--detect-out needs --detect-only");
  }
  spec.set_detect_only(flags.detect_only);
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
  if (flags.transport == "exec") {
    if (!spec.config_lines().empty()) {
      return absl::InvalidArgumentError(
          "--transport exec runs commands only; --config needs --transport shell");
    }
    if (!flags.expects.empty()) {
      return absl::InvalidArgumentError(
          "--expect answers a shell's prompts; exec commands read to their end");
    }
    spec.set_transport(v1::TRANSPORT_EXEC);
  }
  spec.set_connect_retries(flags.retries);
  spec.set_retry_backoff_ms(Millis(flags.retry_backoff_s));
  spec.set_keep_going(flags.keep_going);
  spec.set_source_address(flags.source_address);
  spec.set_step_timeout_ms(Millis(flags.timeout_s));
  v1::Timeouts* timeouts = spec.mutable_timeouts();
  timeouts->set_connect_ms(Millis(flags.connect_timeout_s));
  timeouts->set_auth_ms(Millis(flags.auth_timeout_s));
  timeouts->set_banner_ms(Millis(flags.banner_timeout_s));
  timeouts->set_command_ms(Millis(flags.command_timeout_s));
  timeouts->set_device_ms(Millis(flags.device_timeout_s));
  spec.set_max_output_bytes(flags.max_output_bytes);
  spec.set_host_key_policy(flags.host_key_policy == "strict" ? v1::HOST_KEY_STRICT
                           : flags.host_key_policy == "off"  ? v1::HOST_KEY_OFF
                                                             : v1::HOST_KEY_ACCEPT_NEW);
  spec.set_known_hosts_file(flags.known_hosts);
  return spec;
}

RunOptions MakeRunOptions(const RunFlags& flags, v1::RunSpec spec,
                          std::vector<AgentTarget> agents) {
  RunOptions options;
  options.spec = std::move(spec);
  options.agents = std::move(agents);
  options.limit = flags.limit;
  options.logins_per_second = flags.logins_per_second;
  options.agent_silence_timeout = absl::Seconds(flags.silence_timeout_s);
  options.agent_prefetch = flags.prefetch;
  options.order = flags.order == "input" ? ResultOrder::kInput : ResultOrder::kCompletion;
  return options;
}

void AddAgentSources(CLI::App* app, AgentSources* flags, const std::string& none) {
  app->add_option("--agent", flags->addresses, "Agent HOST:PORT (repeat; " + none + ")")
      ->check([](const std::string& v) { return CheckHostPort(v); });
  app->add_option("--agent-dns", flags->dns_names,
                  "NAME:PORT: every address NAME resolves to is an agent (a headless Service, "
                  "round-robin DNS); repeat")
      ->check([](const std::string& v) { return CheckHostPort(v); });
  app->add_option("--agents-file", flags->agents_file,
                  "YAML list of agents (address or dns, optional name, segments, tls)");
  app->add_option("--tls-ca", flags->tls.ca, "CA (PEM) that signed the agents' certificates");
  app->add_option("--tls-cert", flags->tls.cert,
                  "This coordinator's certificate (PEM), which agents verify");
  app->add_option("--tls-key", flags->tls.key, "Its private key (PEM)");
  app->add_option("--tls-server-name", flags->tls_server_name,
                  "Name the agents' certificates must carry (default: the name or address dialled)");
  app->add_flag("--insecure-agents", flags->insecure,
                "Allow plaintext to agents off loopback (labs only: credentials cross it)");
}

void AddRunFlags(CLI::App* run, RunFlags* flags_pointer) {
  RunFlags& flags = *flags_pointer;
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
      ->check(kRetries.Check())->capture_default_str();
  run->add_option("--retry-backoff", flags.retry_backoff_s,
                  "Seconds before the first retry; doubled for each next one")
      ->check(kRetryBackoff.Check())->capture_default_str();
  run->add_flag("--keep-going", flags.keep_going,
                "Go on past a command or line the device rejects (the device still reports "
                "COMMAND_REJECTED)");
  for (auto [name, value, what] : StageTimeouts(flags)) {
    run->add_option(name, *value,
                    absl::StrCat("Seconds for ", what,
                                 " (default: --timeout, none for --device-timeout; inventory "
                                 "fields override)"))
        ->check(kTimeout.Check());
  }
  AddInventoryFlags(run, &flags.inventory);
  run->add_option("--limit-to", flags.inventory.filter.limit_to,
                  "Only the first N matching devices (a canary run)")
      ->check(CLI::Range(1, 10000000));
  AddAgentSources(run, &flags.agents, "none: run in-process");
  run->add_option("--limit", flags.limit,
                  "Devices at once, across every agent (default: 100 in-process; through "
                  "agents, their total capacity)")
      ->check(kLimit.Check());
  run->add_option("--max-logins-per-second", flags.logins_per_second,
                  "New logins per second per segment, across every agent (for TACACS/RADIUS "
                  "servers that throttle bursts); default: no pacing")
      ->check(kLoginsPerSecond.Check());
  run->add_option("--grace", flags.grace_s,
                  "After Ctrl-C, seconds devices in progress may take to finish before they "
                  "are cancelled too (a second Ctrl-C: at once)")
      ->check(CLI::Range(0.0, 86400.0))->capture_default_str();
  run->add_flag("--ask-pass", flags.ask_pass,
                "Ask for the devices' password on the terminal (no echo); it replaces the "
                "inventory's");
  run->add_flag("--ask-secret", flags.ask_secret,
                "Ask for the devices' enable secret on the terminal (no echo)");
  run->add_option("--source-address", flags.source_address,
                  "In-process engine: local IP address device connections leave from "
                  "(agents use their own --source-address)");
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
  run->add_flag("--repair-journal", flags.repair_journal,
                "With --resume/--retry-failed: cut off the journal's torn last line (left by a "
                "coordinator that stopped mid-write or a full disk); its device runs again");
  run->add_option("--timeout", flags.timeout_s,
                  "Seconds any one step (connect, login, prompt, one command) may take")
      ->check(kTimeout.Check())->capture_default_str();
  run->add_option("--agent-silence-timeout", flags.silence_timeout_s,
                  "Seconds an agent may stay silent before its jobs move elsewhere")
      ->check(kSilenceTimeout.Check())->capture_default_str();
  run->add_option("--host-key-policy", flags.host_key_policy,
                  "Device host keys: accept-new (remember unknown, refuse changed), strict, off")
      ->check(CLI::IsMember({"accept-new", "strict", "off"}))->capture_default_str();
  run->add_option("--transport", flags.transport,
                  "shell: PTY shell, paging off, enable, commands at the prompt (config needs "
                  "it); exec: each command as an SSH exec on its own connection, like "
                  "`ssh host cmd` — fewest round trips, login privilege, no config")
      ->check(CLI::IsMember({"shell", "exec"}))->capture_default_str();
  run->add_flag("--parse", flags.parse,
                "Also give each command's output as records: the TextFSM template the "
                "library's index picks for the device's device_type and the command "
                "(ntc-templates); in jsonl/json as \"parsed\", or \"parse_note\" when none");
  run->add_option("--templates", flags.templates,
                  "Template library for --parse: a directory with an index (default "
                  "$NETSHARD_TEMPLATES, else share/netshard/templates of the install)");
  run->add_option("--known-hosts", flags.known_hosts,
                  "known_hosts file for the in-process engine (default ~/.ssh/known_hosts; "
                  "agents use their own --known-hosts)");
  run->add_flag("--detect-only", flags.detect_only,
                "Log in and find each device's platform (device_type autodetect) and prompt; "
                "run nothing. Each result names the platform");
  run->add_option("--detect-out", flags.detect_out,
                  "With --detect-only: write the devices to this inventory file with the "
                  "device_type found (credentials are not copied)");
  run->add_option("--agent-prefetch", flags.prefetch,
                  "Jobs sent to an agent beyond its capacity (helps only very short jobs)")
      ->check(kPrefetch.Check())->capture_default_str();
  run->add_option("--max-output", flags.max_output_bytes,
                  "Most output one device's commands may bring, all together, e.g. 64M (0: "
                  "256M); a device past it ends OUTPUT_TOO_LARGE with the output up to it")
      ->transform(CLI::AsSizeValue(false));
}

std::vector<std::string> EngineOnlyFlags(const RunFlags& flags) {
  std::vector<std::string> given;
  if (!flags.source_address.empty()) given.push_back("--source-address");
  if (!flags.known_hosts.empty()) given.push_back("--known-hosts");
  return given;
}

}  // namespace netshard
