// A failed device is data: an absl::Status whose payload carries the typed
// ErrorCode and Stage of DESIGN.md contract 5, so one error channel serves
// the session, the job runner and the wire.
#ifndef NETSHARD_COMMON_DEVICE_ERROR_H_
#define NETSHARD_COMMON_DEVICE_ERROR_H_

#include <string>

#include "absl/status/status.h"
#include "netshard/v1/agent.pb.h"

namespace netshard {

// Returns a non-OK status carrying `code` and `stage`. `message` must not
// hold a secret.
absl::Status DeviceFailure(v1::ErrorCode code, v1::Stage stage,
                           std::string message);

// The typed error carried by `status`; INTERNAL/DISPATCH when it carries
// none. REQUIRES: !status.ok().
v1::DeviceError ToDeviceError(const absl::Status& status);

// "AUTH_FAILED", "CONNECT"... : the stable names used in output.
std::string ErrorCodeName(v1::ErrorCode code);
std::string StageName(v1::Stage stage);

}  // namespace netshard

#endif  // NETSHARD_COMMON_DEVICE_ERROR_H_
