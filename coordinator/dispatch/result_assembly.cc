#include "coordinator/dispatch/result_assembly.h"

#include "absl/strings/str_cat.h"

namespace netshard {
namespace {

v1::DeviceResult AgentFault(v1::DeviceResult result, const std::string& what) {
  result.clear_outputs();  // assembled from bytes that cannot be trusted
  v1::DeviceError* error = result.mutable_error();
  error->set_code(v1::INTERNAL);
  error->set_stage(v1::STAGE_DISPATCH);
  error->set_message(absl::StrCat("agent fault: ", what));
  return result;
}

}  // namespace

void ResultAssembly::AddChunk(v1::OutputChunk chunk) {
  Partial& job = partial_[chunk.job_id()];
  if (!job.fault.empty()) return;
  job.bytes += chunk.data().size();
  if (chunk.output_index() >= limits_.max_outputs) {
    job.fault = absl::StrCat("output chunk index ", chunk.output_index(), " is over the limit of ",
                             limits_.max_outputs, " outputs");
  } else if (job.bytes > limits_.max_job_bytes) {
    job.fault = absl::StrCat("output chunks of more than ", limits_.max_job_bytes,
                             " bytes for one job");
  } else {
    job.outputs[chunk.output_index()].append(chunk.data());
    return;
  }
  job.outputs.clear();
}

v1::DeviceResult ResultAssembly::Complete(v1::DeviceResult result) {
  uint64_t bytes = 0;
  for (const v1::CommandOutput& output : result.outputs()) bytes += output.output().size();
  auto it = partial_.find(result.job_id());
  if (it == partial_.end()) {
    if (bytes <= limits_.max_job_bytes) return result;
    return AgentFault(std::move(result),
                      absl::StrCat("a result of more than ", limits_.max_job_bytes, " bytes"));
  }
  Partial job = std::move(it->second);
  partial_.erase(it);
  if (!job.fault.empty()) return AgentFault(std::move(result), job.fault);
  if (job.bytes + bytes > limits_.max_job_bytes) {
    return AgentFault(std::move(result), absl::StrCat("outputs of more than ",
                                                      limits_.max_job_bytes, " bytes"));
  }
  // The agent lists every output it streamed chunks of; a chunk beyond
  // the list is a broken agent, not an output to invent.
  uint32_t listed = static_cast<uint32_t>(result.outputs_size());
  if (!job.outputs.empty() && job.outputs.rbegin()->first >= listed) {
    return AgentFault(std::move(result),
                      absl::StrCat("output chunk index ", job.outputs.rbegin()->first,
                                   " but the result lists ", listed, " outputs"));
  }
  for (auto& [index, head] : job.outputs) {
    v1::CommandOutput* output = result.mutable_outputs(static_cast<int>(index));
    head.append(output->output());
    output->set_output(std::move(head));
  }
  return result;
}

}  // namespace netshard
