#include "common/session/job_runner.h"

#include <map>
#include <memory>
#include <optional>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/device_error.h"
#include "common/session/device_session.h"
#include "common/mutex.h"
#include "common/platform/platform.h"
#include "common/platform/platform_set.h"
#include "common/status_macros.h"

namespace netshard {
namespace {

// The first of the values that is set (non-zero), in milliseconds.
absl::Duration FirstSet(std::initializer_list<uint32_t> values, absl::Duration fallback) {
  for (uint32_t ms : values) {
    if (ms != 0) return absl::Milliseconds(ms);
  }
  return fallback;
}

// A Job's timeouts override the RunSpec's; either's step timeout fills the
// rest.
SessionTimeouts ResolveTimeouts(const v1::RunSpec& spec, const v1::Job& job) {
  const v1::Timeouts& j = job.timeouts();
  const v1::Timeouts& s = spec.timeouts();
  absl::Duration step =
      FirstSet({job.step_timeout_ms(), spec.step_timeout_ms()}, absl::Seconds(30));
  SessionTimeouts t;
  t.connect = FirstSet({j.connect_ms(), s.connect_ms()}, step);
  t.auth = FirstSet({j.auth_ms(), s.auth_ms()}, step);
  t.banner = FirstSet({j.banner_ms(), s.banner_ms()}, step);
  t.command = FirstSet({j.command_ms(), s.command_ms()}, step);
  t.device = FirstSet({j.device_ms(), s.device_ms()}, absl::InfiniteDuration());
  return t;
}

// The platforms a spec carries, parsed once per distinct set: an agent sees
// the same spec for every job of a run. Safe to share between threads.
class SpecPlatformCache {
 public:
  absl::StatusOr<std::shared_ptr<const PlatformSet>> Get(const v1::RunSpec& spec) {
    size_t key = 0;
    for (const v1::PlatformDefinition& definition : spec.platforms()) {
      key = absl::HashOf(key, definition.source(), definition.text());
    }
    // Parsed under the lock: the jobs starting together wait for one parse
    // instead of each doing it.
    MutexLock lock(&mu_);
    if (auto it = sets_.find(key); it != sets_.end()) return it->second;
    std::unique_ptr<PlatformSet> set = PlatformSet::Empty();
    for (const v1::PlatformDefinition& definition : spec.platforms()) {
      RETURN_IF_ERROR(set->Add(definition.text(), definition.source()));
    }
    std::shared_ptr<const PlatformSet> shared = std::move(set);
    if (sets_.size() >= kMaxSets) sets_.clear();
    sets_[key] = shared;
    return shared;
  }

 private:
  static constexpr size_t kMaxSets = 64;  // far more than runs at once
  Mutex mu_;
  std::map<size_t, std::shared_ptr<const PlatformSet>> sets_ ABSL_GUARDED_BY(mu_);
};

absl::StatusOr<std::shared_ptr<const PlatformSet>> SpecPlatforms(const v1::RunSpec& spec) {
  static auto* cache = new SpecPlatformCache();
  return cache->Get(spec);
}

// The run's own definitions (`spec_platforms`, may be null) before the
// process's.
SessionOptions ToSessionOptions(const v1::RunSpec& spec, const v1::Job& job,
                                const PlatformSet* spec_platforms) {
  SessionOptions options;
  options.device.host = job.host();
  options.device.port = static_cast<int>(job.port());
  options.device.username = job.username();
  options.device.password = job.password();
  options.device.key_file = job.key_file();
  options.device.key_passphrase = job.key_passphrase();
  options.device.algorithms = job.algorithms();
  options.device.use_keys = job.use_keys();
  options.device.source_address = spec.source_address();
  options.platform = spec_platforms != nullptr ? spec_platforms->Find(job.platform()) : nullptr;
  if (options.platform == nullptr) options.platform = FindPlatform(job.platform());
  if (options.platform != nullptr && options.platform->name == kAutodetect) {
    const PlatformSet& candidates =
        spec_platforms != nullptr && !spec_platforms->All().empty() ? *spec_platforms : Platforms();
    for (const Platform* platform : candidates.All()) {
      if (!platform->detect_commands.empty()) options.detect_candidates.push_back(platform);
    }
  } else if (options.platform != nullptr) {
    options.device.username += options.platform->username_suffix;
  }
  options.secret = job.secret();
  options.exec = spec.transport() == v1::TRANSPORT_EXEC;
  options.max_output_bytes =
      spec.max_output_bytes() != 0 ? spec.max_output_bytes() : kDefaultMaxOutputBytes;
  options.timeouts = ResolveTimeouts(spec, job);
  options.host_key.policy = spec.host_key_policy();
  options.host_key.known_hosts_file = spec.known_hosts_file();
  if (job.has_jump_host()) {
    const v1::JumpHost& jump = job.jump_host();
    SshEndpoint bastion;
    bastion.host = jump.host();
    bastion.port = jump.port() != 0 ? static_cast<int>(jump.port()) : 22;
    bastion.username = jump.username();
    bastion.password = jump.password();
    bastion.key_file = jump.key_file();
    bastion.source_address = spec.source_address();
    options.jump_host = bastion;
  }
  return options;
}

// One device's run: its session, its result, where large outputs spill.
struct Progress {
  Session& session;
  v1::DeviceResult& result;
  const OutputSpill& spill;
};

// Runs one command or configuration line, keeping its output in the result
// (as far as it came, if it fails). Returns the device's complaint when it
// refused the line.
absl::StatusOr<std::optional<std::string>> Step(
    Progress& run, const std::string& line, const RE2* expect, v1::Stage stage,
    const std::vector<PlatformAnswer>* answers = nullptr) {
  int index = run.result.outputs_size();
  v1::CommandOutput* out = run.result.add_outputs();
  out->set_command(line);
  std::string held;
  OutputSink sink = [&](absl::string_view text) {
    held.append(text.data(), text.size());
    if (run.spill && held.size() >= kSpillBytes) {
      run.spill(index, std::move(held));
      held.clear();
    }
  };
  absl::Time sent = absl::Now();
  absl::StatusOr<CommandReply> reply = run.session.Run(line, expect, stage, &sink, answers);
  out = run.result.mutable_outputs(index);
  out->set_output(std::move(held));
  out->set_elapsed_ms(absl::ToInt64Milliseconds(absl::Now() - sent));
  RETURN_IF_ERROR(reply.status());
  out->set_rejected(reply->rejection.has_value());
  if (!reply->rejection) return std::nullopt;
  return absl::StrCat("'", line, "': ", *reply->rejection);
}

absl::Status Rejected(v1::Stage stage, const std::string& complaint) {
  return DeviceFailure(v1::COMMAND_REJECTED, stage, complaint);
}

// Config mode: enter, send each line, commit where changes are staged,
// leave, save if asked. A refused line (unless keep_going) abandons the
// staged changes and leaves config mode before reporting it.
absl::Status ApplyConfig(Progress& run, const v1::RunSpec& spec,
                         std::optional<std::string>& first_rejection) {
  Session& session = run.session;
  const Platform& platform = session.platform();
  if (!platform.has_config) {
    return Rejected(v1::STAGE_CONFIG,
                    absl::StrCat("platform ", platform.name, " has no configuration mode"));
  }
  if (!platform.config_command.empty()) {
    ASSIGN_OR_RETURN(CommandReply enter,
                     session.Run(platform.config_command, nullptr, v1::STAGE_CONFIG));
    if (enter.rejection) {
      return Rejected(v1::STAGE_CONFIG,
                      absl::StrCat("cannot enter configuration mode: ", *enter.rejection));
    }
  }
  auto abandon = [&](const std::string& complaint) {
    for (const std::string& command : platform.config_abort_commands) {
      if (!session.Run(command, nullptr, v1::STAGE_CONFIG).ok()) break;
    }
    return Rejected(v1::STAGE_CONFIG, complaint);
  };
  for (const std::string& line : spec.config_lines()) {
    ASSIGN_OR_RETURN(std::optional<std::string> complaint,
                     Step(run, line, nullptr, v1::STAGE_CONFIG));
    if (complaint && !spec.keep_going()) return abandon(*complaint);
    if (complaint && !first_rejection) first_rejection = complaint;
  }
  if (!platform.commit_command.empty()) {
    ASSIGN_OR_RETURN(std::optional<std::string> complaint,
                     Step(run, platform.commit_command, nullptr, v1::STAGE_CONFIG));
    if (complaint) return abandon(*complaint);
  }
  auto save = [&]() -> absl::Status {
    if (!spec.save() || platform.save_command.empty()) return absl::OkStatus();
    ASSIGN_OR_RETURN(std::optional<std::string> complaint,
                     Step(run, platform.save_command, nullptr, v1::STAGE_CONFIG,
                          &platform.save_answers));
    if (complaint) return Rejected(v1::STAGE_CONFIG, *complaint);
    return absl::OkStatus();
  };
  if (platform.save_in_config) RETURN_IF_ERROR(save());
  if (!platform.config_exit_command.empty()) {
    RETURN_IF_ERROR(
        session.Run(platform.config_exit_command, nullptr, v1::STAGE_CONFIG).status());
  }
  if (!platform.save_in_config) RETURN_IF_ERROR(save());
  return absl::OkStatus();
}

absl::Status RunSession(const SessionOpener& open, const v1::RunSpec& spec, const v1::Job& job,
                        v1::DeviceResult& result, const OutputSpill& spill,
                        CancelToken* cancelled) {
  absl::StatusOr<std::shared_ptr<const PlatformSet>> platforms =
      spec.platforms_size() == 0 ? absl::StatusOr<std::shared_ptr<const PlatformSet>>(nullptr)
                                 : SpecPlatforms(spec);
  if (!platforms.ok()) {
    return DeviceFailure(v1::INTERNAL, v1::STAGE_DISPATCH,
                         absl::StrCat("the run's platforms: ", platforms.status().message()));
  }
  SessionOptions options = ToSessionOptions(spec, job, platforms->get());
  options.cancelled = cancelled;
  if (options.platform == nullptr) {
    return DeviceFailure(v1::INTERNAL, v1::STAGE_DISPATCH,
                         "unknown platform '" + job.platform() + "'");
  }
  absl::Time start = absl::Now();
  ASSIGN_OR_RETURN(std::unique_ptr<Session> session, open(options));
  result.set_login_ms(std::max<int64_t>(1, absl::ToInt64Milliseconds(absl::Now() - start)));
  result.set_platform(session->platform().name);
  if (spec.detect_only()) return absl::OkStatus();
  Progress run{*session, result, spill};
  std::optional<std::string> first_rejection;
  if (spec.config_lines_size() > 0 && options.exec) {
    return Rejected(v1::STAGE_CONFIG, "configuration needs the shell transport, not exec");
  }
  if (spec.config_lines_size() > 0) {
    RETURN_IF_ERROR(ApplyConfig(run, spec, first_rejection));
  }
  for (int i = 0; i < spec.commands_size(); ++i) {
    std::unique_ptr<RE2> expect;
    if (i < spec.expects_size() && !spec.expects(i).empty()) {
      expect = std::make_unique<RE2>(spec.expects(i));
    }
    ASSIGN_OR_RETURN(std::optional<std::string> complaint,
                     Step(run, spec.commands(i), expect.get(), v1::STAGE_COMMAND));
    if (complaint && !spec.keep_going()) return Rejected(v1::STAGE_COMMAND, *complaint);
    if (complaint && !first_rejection) first_rejection = complaint;
  }
  if (first_rejection) return Rejected(v1::STAGE_COMMAND, *first_rejection);
  return absl::OkStatus();
}

// Worth another try: the device was not reached at all, so nothing ran and
// no login was attempted. Host key and authentication failures are final.
bool Unreachable(const absl::Status& status) {
  v1::DeviceError error = ToDeviceError(status);
  return error.stage() == v1::STAGE_CONNECT &&
         (error.code() == v1::CONNECT_REFUSED || error.code() == v1::CONNECT_TIMEOUT ||
          error.code() == v1::CONNECT_FAILED);
}

constexpr absl::Duration kMaxBackoff = absl::Seconds(60);

// Waits `delay` unless the run is cancelled first (then CANCELLED, `what`).
absl::Status Pause(absl::Duration delay, CancelToken* cancelled, const std::string& what) {
  if (cancelled == nullptr) {
    absl::SleepFor(delay);
    return absl::OkStatus();
  }
  if (!cancelled->WaitFor(delay)) return absl::OkStatus();
  return DeviceFailure(v1::CANCELLED, v1::STAGE_DISPATCH, "run cancelled " + what);
}

}  // namespace

v1::DeviceResult RunJob(const v1::RunSpec& spec, const v1::Job& job, const OutputSpill& spill,
                        CancelToken* cancelled) {
  static const auto* open = new SessionOpener(
      [](const SessionOptions& options) -> absl::StatusOr<std::unique_ptr<Session>> {
        return DeviceSession::Open(options);
      });
  return RunJobWith(*open, spec, job, spill, cancelled);
}

v1::DeviceResult RunJobWith(const SessionOpener& open, const v1::RunSpec& spec,
                            const v1::Job& job, const OutputSpill& spill,
                            CancelToken* cancelled) {
  v1::DeviceResult result;
  result.set_job_id(job.job_id());
  absl::Status status = Pause(absl::Milliseconds(job.start_delay_ms()), cancelled,
                              "before the device was started");
  absl::Time start = absl::Now();  // the device's time, not its wait for a login slot
  if (status.ok()) status = RunSession(open, spec, job, result, spill, cancelled);
  absl::Duration backoff = absl::Milliseconds(spec.retry_backoff_ms());
  uint32_t attempts = 1;
  for (; !status.ok() && attempts <= spec.connect_retries() && Unreachable(status); ++attempts) {
    absl::Status paused = Pause(std::min(backoff, kMaxBackoff), cancelled, "between retries");
    if (!paused.ok()) break;
    backoff *= 2;
    result.clear_outputs();
    status = RunSession(open, spec, job, result, spill, cancelled);
  }
  if (!status.ok() && cancelled != nullptr && cancelled->cancelled() &&
      ToDeviceError(status).code() != v1::CANCELLED) {
    // The cancel cut the connection or login short: that, not the broken
    // socket, is what happened.
    status = DeviceFailure(v1::CANCELLED, ToDeviceError(status).stage(),
                           "run cancelled while the device worked");
  }
  if (!status.ok()) {
    *result.mutable_error() = ToDeviceError(status);
    if (attempts > 1) {
      result.mutable_error()->mutable_message()->append(
          absl::StrCat(" (", attempts, " attempts)"));
    }
  }
  result.set_elapsed_ms(absl::ToInt64Milliseconds(absl::Now() - start));
  return result;
}

}  // namespace netshard
