#include "common/device_error.h"

#include "absl/types/optional.h"

#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace netshard {
namespace {

constexpr char kPayloadUrl[] = "type.netshard.dev/DeviceError";

absl::StatusCode CanonicalCode(v1::ErrorCode code) {
  switch (code) {
    case v1::CONNECT_TIMEOUT:
    case v1::COMMAND_TIMEOUT:
      return absl::StatusCode::kDeadlineExceeded;
    case v1::AUTH_FAILED:
    case v1::ENABLE_FAILED:
      return absl::StatusCode::kPermissionDenied;
    case v1::CANCELLED:
      return absl::StatusCode::kCancelled;
    case v1::COMMAND_REJECTED:
      return absl::StatusCode::kInvalidArgument;
    case v1::OUTPUT_TOO_LARGE:
      return absl::StatusCode::kResourceExhausted;
    case v1::INTERNAL:
      return absl::StatusCode::kInternal;
    default:
      return absl::StatusCode::kUnavailable;
  }
}

}  // namespace

absl::Status DeviceFailure(v1::ErrorCode code, v1::Stage stage,
                           std::string message) {
  absl::Status status(CanonicalCode(code), message);
  status.SetPayload(kPayloadUrl,
                    absl::Cord(absl::StrCat(static_cast<int>(code), ",",
                                            static_cast<int>(stage))));
  return status;
}

v1::DeviceError ToDeviceError(const absl::Status& status) {
  v1::DeviceError error;
  error.set_code(v1::INTERNAL);
  error.set_stage(v1::STAGE_DISPATCH);
  error.set_message(std::string(status.message()));
  absl::optional<absl::Cord> payload = status.GetPayload(kPayloadUrl);
  if (!payload) return error;
  std::vector<std::string> parts = absl::StrSplit(std::string(*payload), ',');
  int code = 0;
  int stage = 0;
  if (parts.size() == 2 && absl::SimpleAtoi(parts[0], &code) &&
      absl::SimpleAtoi(parts[1], &stage) && v1::ErrorCode_IsValid(code) &&
      v1::Stage_IsValid(stage)) {
    error.set_code(static_cast<v1::ErrorCode>(code));
    error.set_stage(static_cast<v1::Stage>(stage));
  }
  return error;
}

std::string ErrorCodeName(v1::ErrorCode code) {
  return v1::ErrorCode_Name(code);
}

std::string StageName(v1::Stage stage) {
  std::string name = v1::Stage_Name(stage);
  absl::string_view prefix = "STAGE_";
  if (absl::StartsWith(name, prefix)) name.erase(0, prefix.size());
  return name;
}

}  // namespace netshard
