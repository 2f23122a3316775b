#include "common/event_log.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace netshard {
namespace {

constexpr const char* kLevelNames[] = {"debug", "info", "warn", "error"};

// A logfmt value: bare when it can be, else quoted with \" \\ \n escaped.
std::string Quote(absl::string_view value) {
  bool bare = !value.empty();
  for (char c : value) bare &= absl::ascii_isgraph(static_cast<unsigned char>(c)) && c != '"' && c != '=';
  if (bare) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace

absl::StatusOr<LogLevel> ParseLogLevel(absl::string_view name) {
  for (int i = 0; i < 4; ++i) {
    if (name == kLevelNames[i]) return static_cast<LogLevel>(i);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("log level '", name, "': expected debug, info, warn or error"));
}

void EventLog::Log(LogLevel level, absl::string_view event, std::initializer_list<Field> fields) {
  if (!enabled(level)) return;
  std::string line = absl::StrCat(
      "ts=", absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()),
      " level=", kLevelNames[static_cast<int>(level)], " event=", Quote(event));
  for (const Field& field : fields) absl::StrAppend(&line, " ", field.first, "=", Quote(field.second));
  line.push_back('\n');
  MutexLock lock(&mu_);
  *out_ << line << std::flush;
}

}  // namespace netshard
