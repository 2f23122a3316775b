// Where finished device results go: a printer, a reorder buffer, a test.
#ifndef NETSHARD_COORDINATOR_OUTPUT_RESULT_SINK_H_
#define NETSHARD_COORDINATOR_OUTPUT_RESULT_SINK_H_

#include "netshard/v1/agent.pb.h"

namespace netshard {

// Implementations must be thread-safe: results arrive from many threads.
class ResultSink {
 public:
  virtual ~ResultSink() = default;
  // Called exactly once per job of a run.
  virtual void Accept(v1::DeviceResult result) = 0;
};

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_OUTPUT_RESULT_SINK_H_
