#include "common/job_runner.h"

#include "absl/time/clock.h"
#include "common/device_error.h"
#include "common/device_session.h"
#include "common/platform.h"

namespace netshard {

v1::DeviceResult RunJob(const v1::RunSpec& spec, const v1::Job& job) {
  absl::Time start = absl::Now();
  v1::DeviceResult result;
  result.set_job_id(job.job_id());
  SessionOptions options;
  options.host = job.host();
  options.port = static_cast<int>(job.port());
  options.platform = FindPlatform(job.platform());
  options.username = job.username();
  options.password = job.password();
  options.secret = job.secret();
  options.key_file = job.key_file();
  options.host_key_policy = spec.host_key_policy();
  options.known_hosts_file = spec.known_hosts_file();
  uint32_t timeout_ms =
      job.step_timeout_ms() != 0 ? job.step_timeout_ms() : spec.step_timeout_ms();
  if (timeout_ms != 0) options.step_timeout = absl::Milliseconds(timeout_ms);

  absl::Status status;
  if (options.platform == nullptr) {
    status = DeviceFailure(v1::INTERNAL, v1::STAGE_DISPATCH,
                           "unknown platform '" + job.platform() + "'");
  } else {
    absl::StatusOr<std::unique_ptr<DeviceSession>> session =
        DeviceSession::Open(options);
    status = session.status();
    for (int i = 0; status.ok() && i < spec.commands_size(); ++i) {
      absl::StatusOr<std::string> output = (*session)->Run(spec.commands(i));
      status = output.status();
      if (output.ok()) {
        v1::CommandOutput* out = result.add_outputs();
        out->set_command(spec.commands(i));
        out->set_output(*std::move(output));
      }
    }
  }
  if (!status.ok()) *result.mutable_error() = ToDeviceError(status);
  result.set_elapsed_ms(absl::ToInt64Milliseconds(absl::Now() - start));
  return result;
}

}  // namespace netshard
