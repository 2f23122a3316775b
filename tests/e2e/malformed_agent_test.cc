// A broken agent cannot break a run: a test double speaking the real proto
// over real gRPC sends a malformed output chunk for one job and proper
// results for the rest; the real `coord` fails that one job and no other.
#include <filesystem>
#include <fstream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "netshard/v1/agent.grpc.pb.h"
#include "tests/e2e/e2e_fixture.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;
using testing::BinDir;
using testing::ReadFile;
using testing::Subprocess;

constexpr char kBadDevice[] = "r3";
constexpr int kRouters = 5;

// Answers every job with one output per command; for kBadDevice it first
// streams a chunk whose index is -1 as an int (a coordinator that trusts it
// indexes its outputs negatively).
class MalformedAgent final : public v1::Agent::Service {
 public:
  grpc::Status Run(
      grpc::ServerContext*,
      grpc::ServerReaderWriter<v1::AgentMessage, v1::CoordinatorMessage>* stream) override {
    v1::CoordinatorMessage in;
    if (!stream->Read(&in) || !in.has_spec()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "no spec");
    }
    const v1::RunSpec spec = in.spec();
    v1::AgentMessage out;
    out.mutable_hello()->set_agent_name("malformed");
    out.mutable_hello()->set_capacity(kRouters);
    stream->Write(out);
    while (stream->Read(&in) && !in.has_end_of_jobs()) {
      if (!in.has_job()) continue;
      if (in.job().name() == kBadDevice) {
        out.Clear();
        out.mutable_output_chunk()->set_job_id(in.job().job_id());
        out.mutable_output_chunk()->set_output_index(0xffffffff);
        out.mutable_output_chunk()->set_data("garbage");
        stream->Write(out);
      }
      out.Clear();
      v1::DeviceResult* result = out.mutable_result();
      result->set_job_id(in.job().job_id());
      result->set_agent("malformed");
      for (const std::string& command : spec.commands()) {
        v1::CommandOutput* output = result->add_outputs();
        output->set_command(command);
        output->set_output("output of " + command);
      }
      stream->Write(out);
    }
    return grpc::Status::OK;
  }
};

TEST(MalformedAgentTest, MalformedChunkFailsOnlyItsJob) {
  std::string dir = testing::MakeTempDir();
  setenv("XDG_STATE_HOME", dir.c_str(), 1);  // coord's journal, not the user's
  std::ofstream inventory(dir + "/devices.yaml");
  inventory << "routers:\n";
  for (int i = 1; i <= kRouters; ++i) {
    // Never dialled: the double runs nothing.
    inventory << "- name: r" << i << "\n  device_type: cisco_ios\n  ip: 127.0.0.1\n  port: "
              << 2200 + i << "\n  username: u\n  password: p\n";
  }
  inventory.close();

  MalformedAgent service;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_TRUE(server != nullptr);
  ASSERT_GT(port, 0);

  auto coord = Subprocess::Start({BinDir() + "/coord", "run", "-i", dir + "/devices.yaml",
                                  "--agent", absl::StrCat("127.0.0.1:", port), "--cmd",
                                  "sh clock", "--format", "jsonl"},
                                 dir + "/coord.out", dir + "/coord.err");
  ASSERT_TRUE(coord.ok()) << coord.status();
  absl::StatusOr<int> status = (*coord)->Wait(absl::Seconds(60));
  server->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(*status, 1) << ReadFile(dir + "/coord.err");  // some device failed

  std::vector<Record> records = ParseJsonl(ReadFile(dir + "/coord.out"));
  ASSERT_EQ(records.size(), static_cast<size_t>(kRouters)) << ReadFile(dir + "/coord.err");
  int failed = 0;
  for (const Record& record : records) {
    if (record.name == kBadDevice) {
      ++failed;
      EXPECT_FALSE(record.ok);
      EXPECT_EQ(record.code, "INTERNAL");
      EXPECT_THAT(record.message, HasSubstr("agent fault"));
      EXPECT_THAT(record.message, HasSubstr("index 4294967295"));
    } else {
      EXPECT_TRUE(record.ok) << record.name << " " << record.code << " " << record.message;
      EXPECT_EQ(record.output, "output of sh clock");
    }
  }
  EXPECT_EQ(failed, 1);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace netshard
