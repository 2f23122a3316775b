// Runs one Job: a whole device session, start to finish, as a DeviceResult.
// The one piece of work both the agent and the embedded engine do.
#ifndef NETSHARD_COMMON_JOB_RUNNER_H_
#define NETSHARD_COMMON_JOB_RUNNER_H_

#include <functional>

#include "netshard/v1/agent.pb.h"

namespace netshard {

// Runs `spec`'s commands on `job`'s device. Never fails: a failed device is a
// result with an error, holding the outputs gathered before the failure.
v1::DeviceResult RunJob(const v1::RunSpec& spec, const v1::Job& job);

// What runs a job; a seam so dispatch can be tested without devices.
using JobFunction =
    std::function<v1::DeviceResult(const v1::RunSpec&, const v1::Job&)>;

}  // namespace netshard

#endif  // NETSHARD_COMMON_JOB_RUNNER_H_
