#include "coordinator/dispatch/result_assembly.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;

v1::OutputChunk Chunk(uint64_t job, uint32_t index, const std::string& data) {
  v1::OutputChunk chunk;
  chunk.set_job_id(job);
  chunk.set_output_index(index);
  chunk.set_data(data);
  return chunk;
}

// A result listing `outputs` outputs, each holding `tail`.
v1::DeviceResult Result(uint64_t job, int outputs, const std::string& tail = "") {
  v1::DeviceResult result;
  result.set_job_id(job);
  result.set_agent("a");
  for (int i = 0; i < outputs; ++i) {
    v1::CommandOutput* output = result.add_outputs();
    output->set_command("show " + std::to_string(i));
    output->set_output(tail);
  }
  return result;
}

void ExpectAgentFault(const v1::DeviceResult& result, const std::string& what) {
  EXPECT_EQ(result.error().code(), v1::INTERNAL);
  EXPECT_EQ(result.error().stage(), v1::STAGE_DISPATCH);
  EXPECT_THAT(result.error().message(), HasSubstr("agent fault"));
  EXPECT_THAT(result.error().message(), HasSubstr(what));
  EXPECT_EQ(result.outputs_size(), 0);
  EXPECT_EQ(result.agent(), "a");  // who sent it stays known
}

TEST(ResultAssemblyTest, ChunksThenResultBytesMakeEachOutput) {
  ResultAssembly assembly;
  assembly.AddChunk(Chunk(7, 1, "ab"));
  assembly.AddChunk(Chunk(7, 1, "cd"));
  assembly.AddChunk(Chunk(7, 0, "x"));
  v1::DeviceResult result = assembly.Complete(Result(7, 2, "!"));
  EXPECT_FALSE(result.has_error());
  ASSERT_EQ(result.outputs_size(), 2);
  EXPECT_EQ(result.outputs(0).output(), "x!");
  EXPECT_EQ(result.outputs(1).output(), "abcd!");
}

TEST(ResultAssemblyTest, ResultWithoutChunksIsUntouched) {
  ResultAssembly assembly;
  v1::DeviceResult result = assembly.Complete(Result(1, 1, "out"));
  EXPECT_FALSE(result.has_error());
  EXPECT_EQ(result.outputs(0).output(), "out");
}

TEST(ResultAssemblyTest, HugeChunkIndexFailsTheJobWithoutAllocating) {
  ResultAssembly assembly;
  assembly.AddChunk(Chunk(3, 0x7fffffff, "x"));
  ExpectAgentFault(assembly.Complete(Result(3, 1)), "index 2147483647");
}

TEST(ResultAssemblyTest, IndexThatWouldBeNegativeFailsTheJob) {
  ResultAssembly assembly;
  assembly.AddChunk(Chunk(3, 0xffffffff, "x"));
  ExpectAgentFault(assembly.Complete(Result(3, 1)), "index 4294967295");
}

TEST(ResultAssemblyTest, ChunkForAnOutputTheResultDoesNotListFailsTheJob) {
  ResultAssembly assembly;
  assembly.AddChunk(Chunk(3, 2, "x"));
  ExpectAgentFault(assembly.Complete(Result(3, 2)), "index 2 but the result lists 2 outputs");
}

TEST(ResultAssemblyTest, ChunkBytesPastTheJobLimitFailTheJob) {
  ResultAssembly assembly(ResultAssemblyLimits{.max_outputs = 4, .max_job_bytes = 10});
  assembly.AddChunk(Chunk(5, 0, "123456"));
  assembly.AddChunk(Chunk(5, 1, "123456"));
  assembly.AddChunk(Chunk(5, 1, "more"));  // ignored: the job has failed
  ExpectAgentFault(assembly.Complete(Result(5, 2)), "more than 10 bytes");
}

TEST(ResultAssemblyTest, ResultBytesCountTowardsTheJobLimit) {
  ResultAssembly assembly(ResultAssemblyLimits{.max_outputs = 4, .max_job_bytes = 10});
  assembly.AddChunk(Chunk(5, 0, "123456"));
  ExpectAgentFault(assembly.Complete(Result(5, 1, "123456")), "more than 10 bytes");
  ExpectAgentFault(assembly.Complete(Result(6, 1, "12345678901")), "more than 10 bytes");
}

TEST(ResultAssemblyTest, IndexAtTheOutputLimitFailsTheJob) {
  ResultAssembly assembly(ResultAssemblyLimits{.max_outputs = 4, .max_job_bytes = 100});
  assembly.AddChunk(Chunk(5, 4, ""));
  ExpectAgentFault(assembly.Complete(Result(5, 8)), "over the limit of 4 outputs");
}

TEST(ResultAssemblyTest, AFaultyJobLeavesTheOthersWhole) {
  ResultAssembly assembly;
  assembly.AddChunk(Chunk(1, 0, "one"));
  assembly.AddChunk(Chunk(2, 0xffffffff, "bad"));
  assembly.AddChunk(Chunk(3, 0, "three"));
  ExpectAgentFault(assembly.Complete(Result(2, 1)), "index");
  v1::DeviceResult one = assembly.Complete(Result(1, 1));
  v1::DeviceResult three = assembly.Complete(Result(3, 1));
  EXPECT_FALSE(one.has_error());
  EXPECT_EQ(one.outputs(0).output(), "one");
  EXPECT_FALSE(three.has_error());
  EXPECT_EQ(three.outputs(0).output(), "three");
  // The fault is forgotten with the job: an id seen again starts clean.
  EXPECT_FALSE(assembly.Complete(Result(2, 1)).has_error());
}

}  // namespace
}  // namespace netshard
