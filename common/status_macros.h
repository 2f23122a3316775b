// RETURN_IF_ERROR / ASSIGN_OR_RETURN: Debian's abseil (20220623) ships none.
#ifndef NETSHARD_COMMON_STATUS_MACROS_H_
#define NETSHARD_COMMON_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define NETSHARD_CONCAT_INNER_(a, b) a##b
#define NETSHARD_CONCAT_(a, b) NETSHARD_CONCAT_INNER_(a, b)

#define RETURN_IF_ERROR(expr)                   \
  do {                                          \
    absl::Status netshard_status_ = (expr);     \
    if (!netshard_status_.ok()) return netshard_status_; \
  } while (0)

#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL_(NETSHARD_CONCAT_(netshard_statusor_, __LINE__), lhs, expr)

#define ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                           \
  if (!statusor.ok()) return statusor.status();     \
  lhs = std::move(statusor).value()

#endif  // NETSHARD_COMMON_STATUS_MACROS_H_
