// Puts large outputs back together: the chunks an agent streams ahead of a
// job's result, followed by the bytes the result itself holds.
#ifndef NETSHARD_COORDINATOR_RESULT_ASSEMBLY_H_
#define NETSHARD_COORDINATOR_RESULT_ASSEMBLY_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "netshard/v1/agent.pb.h"

namespace netshard {

// Thread contract: one per agent stream, used by its thread only.
class ResultAssembly {
 public:
  void AddChunk(v1::OutputChunk chunk);

  // `result` with each output made whole; forgets the job's chunks.
  v1::DeviceResult Complete(v1::DeviceResult result);

 private:
  // job id -> output index -> bytes so far
  absl::flat_hash_map<uint64_t, std::map<uint32_t, std::string>> partial_;
};

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_RESULT_ASSEMBLY_H_
