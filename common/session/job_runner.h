// Runs one Job: a whole device session, start to finish, as a DeviceResult.
// The one piece of work both the agent and the embedded engine do.
#ifndef NETSHARD_COMMON_SESSION_JOB_RUNNER_H_
#define NETSHARD_COMMON_SESSION_JOB_RUNNER_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "common/cancel_token.h"
#include "common/session/device_session.h"
#include "common/session/session.h"
#include "netshard/v1/agent.pb.h"

namespace netshard {

// Takes a large output early, in pieces of kSpillBytes or more, while the
// device still sends it: (index of the output in the result, bytes). The
// output is then its spilled pieces in order, followed by what the result
// holds.
using OutputSpill = std::function<void(int output_index, std::string data)>;
inline constexpr size_t kSpillBytes = 256 << 10;

// Runs `spec`'s configuration and commands on `job`'s device, after the
// job's start delay. Never fails: a failed device is a result with an
// error, holding every output gathered before the failure (the failing
// command's too, as far as it came). Output past spec.max_output_bytes
// (0: kDefaultMaxOutputBytes) ends the job OUTPUT_TOO_LARGE. Once
// `cancelled` (may be null) is notified, the job ends CANCELLED at its next
// wait or read.
v1::DeviceResult RunJob(const v1::RunSpec& spec, const v1::Job& job,
                        const OutputSpill& spill = nullptr, CancelToken* cancelled = nullptr);

// Opens a logged-in session; RunJob's is DeviceSession::Open. Its tests give
// a scripted one.
using SessionOpener =
    std::function<absl::StatusOr<std::unique_ptr<Session>>(const SessionOptions&)>;

// RunJob with the sessions `open` makes.
v1::DeviceResult RunJobWith(const SessionOpener& open, const v1::RunSpec& spec,
                            const v1::Job& job, const OutputSpill& spill = nullptr,
                            CancelToken* cancelled = nullptr);

// What runs a job; a seam so dispatch can be tested without devices.
using JobFunction = std::function<v1::DeviceResult(const v1::RunSpec&, const v1::Job&,
                                                   const OutputSpill&, CancelToken*)>;

}  // namespace netshard

#endif  // NETSHARD_COMMON_SESSION_JOB_RUNNER_H_
