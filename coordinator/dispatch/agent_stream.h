// One agent's part of a run: a Run stream that takes jobs from the shared
// JobTable as the agent's credits allow (pull-based dispatch, DESIGN.md
// contract 2) and completes them as results stream back.
#ifndef NETSHARD_COORDINATOR_DISPATCH_AGENT_STREAM_H_
#define NETSHARD_COORDINATOR_DISPATCH_AGENT_STREAM_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "common/cancel_token.h"
#include "coordinator/dispatch/job_table.h"
#include "netshard/v1/agent.grpc.pb.h"

namespace netshard {

struct AgentStreamOptions {
  std::string address;  // host:port, for messages
  // Set: results say they came via this name (the agents file's), not the
  // one the agent gives itself.
  std::string name;
  bool tls = false;  // dialled with TLS, for what a failure means
  // Set: the segments this agent is used for, whatever it advertises.
  std::optional<Segments> segments;
  // Jobs sent beyond the agent's capacity, to hide the round trip between a
  // result and the next job. 0 by default: a prefetched job waits a whole
  // device session behind a busy worker while another agent may sit idle,
  // which at a run's tail costs far more (measured: +15% wall on a
  // latency-bound run) than the round trip saves.
  int prefetch = 0;
  // An agent silent this long (no result, no heartbeat) is treated as lost.
  absl::Duration silence_timeout = absl::Seconds(15);
  // Once notified, the agent is told to cancel what it holds: its devices
  // in progress stop and report CANCELLED. Null: never. Not owned.
  CancelToken* cancel = nullptr;
  // Told of events a user should see (an agent lost, jobs moved). May be
  // called from any stream's thread; null: nobody is told.
  std::function<void(const std::string&)> on_event;
};

// Runs the stream to its end on the calling thread: until every job of the
// table is done, or the agent is lost, in which case its in-flight jobs go
// back to the table. Always ends with table->TakerGone().
void RunAgentStream(v1::Agent::StubInterface* stub, const v1::RunSpec& spec,
                    const AgentStreamOptions& options, JobTable* table);

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_DISPATCH_AGENT_STREAM_H_
