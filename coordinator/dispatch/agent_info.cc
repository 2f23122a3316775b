#include "coordinator/dispatch/agent_info.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "coordinator/dispatch/agent_channel.h"
#include "grpcpp/grpcpp.h"
#include "netshard/v1/agent.grpc.pb.h"

namespace netshard {

absl::StatusOr<v1::InfoResponse> QueryAgent(const AgentTarget& agent, absl::Duration timeout) {
  std::unique_ptr<v1::Agent::Stub> stub = v1::Agent::NewStub(AgentChannel(agent));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  v1::InfoResponse info;
  grpc::Status status = stub->Info(&context, v1::InfoRequest(), &info);
  if (!status.ok()) return absl::UnavailableError(DescribeAgentError(status, agent.tls.has_value()));
  return info;
}

std::string AgentTable(const std::vector<AgentReport>& reports) {
  constexpr char kRow[] = "%-22s %-6s %-24s %-8s %-20s %8s %8s %8s\n";
  std::string out = absl::StrFormat(kRow, "ADDRESS", "HEALTH", "NAME", "VERSION", "SEGMENTS",
                                    "CAPACITY", "RUNNING", "QUEUED");
  for (const AgentReport& report : reports) {
    if (!report.info.ok()) {
      absl::StrAppend(&out, absl::StrFormat("%-22s %-6s %s\n", report.address, "DOWN",
                                            report.info.status().message()));
      continue;
    }
    const v1::InfoResponse& info = *report.info;
    std::string segments = info.segments().empty() ? "-" : absl::StrJoin(info.segments(), ",");
    absl::StrAppend(&out, absl::StrFormat(kRow, report.address, "ok", info.name(), info.version(),
                                          segments, absl::StrCat(info.capacity()),
                                          absl::StrCat(info.jobs_running()),
                                          absl::StrCat(info.jobs_queued())));
  }
  return out;
}

}  // namespace netshard
