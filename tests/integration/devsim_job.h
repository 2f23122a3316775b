// The job and run spec the integration tests give RunJob for one device of
// a devsim fleet: devsim's default credentials, host keys not checked (its
// keys are throwaway), 10 s per step.
#ifndef NETSHARD_TESTS_INTEGRATION_DEVSIM_JOB_H_
#define NETSHARD_TESTS_INTEGRATION_DEVSIM_JOB_H_

#include <string>

#include "netshard/v1/agent.pb.h"
#include "tests/devsim/devsim_server.h"

namespace netshard {

inline v1::Job DevsimJob(const devsim::DevsimServer& server, size_t index,
                         const std::string& platform) {
  v1::Job job;
  job.set_host(server.devices()[index].address);
  job.set_port(server.port());
  job.set_platform(platform);
  job.set_username("cisco");
  job.set_password("cisco");
  job.set_secret("cisco");
  return job;
}

inline v1::RunSpec DevsimSpec() {
  v1::RunSpec spec;
  spec.set_host_key_policy(v1::HOST_KEY_OFF);
  spec.set_step_timeout_ms(10000);
  return spec;
}

}  // namespace netshard

#endif  // NETSHARD_TESTS_INTEGRATION_DEVSIM_JOB_H_
