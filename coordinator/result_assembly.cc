#include "coordinator/result_assembly.h"

namespace netshard {

void ResultAssembly::AddChunk(v1::OutputChunk chunk) {
  partial_[chunk.job_id()][chunk.output_index()].append(chunk.data());
}

v1::DeviceResult ResultAssembly::Complete(v1::DeviceResult result) {
  auto it = partial_.find(result.job_id());
  if (it == partial_.end()) return result;
  for (auto& [index, head] : it->second) {
    // A chunk for an output the result does not list still counts: an
    // output is never silently dropped.
    while (result.outputs_size() <= static_cast<int>(index)) result.add_outputs();
    v1::CommandOutput* output = result.mutable_outputs(static_cast<int>(index));
    head.append(output->output());
    output->set_output(std::move(head));
  }
  partial_.erase(it);
  return result;
}

}  // namespace netshard
