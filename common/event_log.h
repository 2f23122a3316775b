// Structured logs: one line per event in logfmt (`ts=… level=info
// event=job_done run=… device=sim1 code=AUTH_FAILED …`), so grep, awk and
// log shippers all read them. Callers pass only names, addresses, codes and
// device-error messages — never credentials, which no field may hold.
#ifndef NETSHARD_COMMON_EVENT_LOG_H_
#define NETSHARD_COMMON_EVENT_LOG_H_

#include <initializer_list>
#include <ostream>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/mutex.h"

namespace netshard {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

// "debug", "info", "warn" or "error".
absl::StatusOr<LogLevel> ParseLogLevel(absl::string_view name);

// Thread-safe; lines never interleave.
class EventLog {
 public:
  using Field = std::pair<absl::string_view, std::string>;

  // Writes events at `min` and above to `out` (not owned).
  EventLog(std::ostream* out, LogLevel min) : out_(out), min_(min) {}

  bool enabled(LogLevel level) const { return level >= min_; }
  void Log(LogLevel level, absl::string_view event, std::initializer_list<Field> fields = {});

 private:
  std::ostream* const out_;
  const LogLevel min_;
  Mutex mu_;  // one line at a time
};

}  // namespace netshard

#endif  // NETSHARD_COMMON_EVENT_LOG_H_
