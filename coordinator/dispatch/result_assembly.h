// Puts large outputs back together: the chunks an agent streams ahead of a
// job's result, followed by the bytes the result itself holds. What an agent
// sends is checked, not trusted: a chunk for an output the result does not
// list, an index past the limit or more bytes than a job may hold fail that
// job (INTERNAL, blaming the agent) and no other.
#ifndef NETSHARD_COORDINATOR_DISPATCH_RESULT_ASSEMBLY_H_
#define NETSHARD_COORDINATOR_DISPATCH_RESULT_ASSEMBLY_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "netshard/v1/agent.pb.h"

namespace netshard {

struct ResultAssemblyLimits {
  // Chunk indexes must be below this (a run's commands and config lines,
  // with their commit and save, are far fewer).
  uint32_t max_outputs = 1 << 16;
  // A job's output bytes, chunks and result together; at least the run's
  // --max-output (a device session cuts a job's output there).
  uint64_t max_job_bytes = uint64_t{1} << 30;
};

// Thread contract: one per agent stream, used by its thread only.
class ResultAssembly {
 public:
  explicit ResultAssembly(ResultAssemblyLimits limits = {}) : limits_(limits) {}

  // Keeps the chunk's bytes; a chunk out of limits drops what the job had
  // and marks it failed (memory never grows past the limits).
  void AddChunk(v1::OutputChunk chunk);

  // `result` with each output made whole, or, when the agent broke the
  // chunk contract for it, the result turned into an INTERNAL error at
  // STAGE_DISPATCH saying what was wrong. Forgets the job's chunks.
  v1::DeviceResult Complete(v1::DeviceResult result);

 private:
  struct Partial {
    std::map<uint32_t, std::string> outputs;  // output index -> bytes so far
    uint64_t bytes = 0;
    std::string fault;  // non-empty: the job fails with this
  };

  const ResultAssemblyLimits limits_;
  absl::flat_hash_map<uint64_t, Partial> partial_;  // by job id
};

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_DISPATCH_RESULT_ASSEMBLY_H_
