// A logged-in CLI session with one device, as the job runner sees it: send a
// line, get its output or the device's complaint. DeviceSession is the real
// one (libssh); tests give the job runner a scripted one, so its config,
// abandon, keep-going and retry rules are checked without a device.
#ifndef NETSHARD_COMMON_SESSION_SESSION_H_
#define NETSHARD_COMMON_SESSION_SESSION_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/platform/platform.h"
#include "netshard/v1/agent.pb.h"
#include "re2/re2.h"

namespace netshard {

// What a command produced; `rejection` holds the device's complaint when it
// refused the command.
struct CommandReply {
  std::string output;  // empty when it went to an OutputSink
  std::optional<std::string> rejection;
};

// Receives a command's clean output piece by piece, as the device sends it.
using OutputSink = std::function<void(absl::string_view)>;

// Every failure is a DeviceFailure status (see device_error.h).
class Session {
 public:
  virtual ~Session() = default;

  // Sends `command` and returns its cleaned output, read until the prompt
  // returns or, when `expect` is given, until the last line matches it.
  // With a `sink`, the output goes there as it arrives. Questions in
  // `answers` that the device asks on the way are answered.
  absl::StatusOr<CommandReply> Run(const std::string& command, const RE2* expect = nullptr,
                                   v1::Stage stage = v1::STAGE_COMMAND,
                                   const OutputSink* sink = nullptr,
                                   const std::vector<PlatformAnswer>* answers = nullptr) {
    return RunCommand(command, expect, stage, sink, answers);
  }

  // The platform the device is driven as: the one asked for, or the one
  // autodetect found.
  virtual const Platform& platform() const = 0;

 protected:
  // Run's work; Run keeps the defaults, which virtual functions must not.
  virtual absl::StatusOr<CommandReply> RunCommand(
      const std::string& command, const RE2* expect, v1::Stage stage, const OutputSink* sink,
      const std::vector<PlatformAnswer>* answers) = 0;
};

}  // namespace netshard

#endif  // NETSHARD_COMMON_SESSION_SESSION_H_
