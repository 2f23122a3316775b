// A real SSH server (libssh server API) that simulates a fleet of devices on
// loopback: one listening port, and each device is the 127.X.Y.Z local
// address a client connected to.
#ifndef NETSHARD_TESTS_DEVSIM_DEVSIM_SERVER_H_
#define NETSHARD_TESTS_DEVSIM_DEVSIM_SERVER_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "common/mutex.h"
#include "absl/time/time.h"
#include "tests/devsim/fleet_config.h"

struct ssh_bind_struct;
struct ssh_session_struct;

namespace netshard::devsim {

struct FleetOptions {
  int count = 10;
  int port = 0;  // 0: the kernel picks one
  std::string first_address = "127.1.0.1";
  std::string username = "cisco";
  std::string password = "cisco";
  std::string secret = "cisco";
  absl::Duration latency = absl::ZeroDuration();  // before each command line's reply
  // Per-device platforms and faults; the default is a cisco_ios fleet.
  FleetConfig config;
  absl::Duration idle_timeout = absl::Minutes(5);  // a silent client is dropped
  // The fleet's SSH host key: loaded from this file, or made and saved there
  // when missing, so clients that remember keys see the same one next time.
  // Empty: a new key every start.
  std::string host_key_file;
};

struct SimulatedAddress {
  std::string address;
  std::string hostname;
  uint32_t host_order = 0;
};

// The fleet's devices in order: addresses from `first` upward, skipping
// last octets 0 and 255, all inside 127.0.0.0/8.
absl::StatusOr<std::vector<SimulatedAddress>> PlanFleet(
    const std::string& first, int count);

// Thread contract: Start and Stop from one thread; sessions run on threads of
// their own.
class DevsimServer {
 public:
  static absl::StatusOr<std::unique_ptr<DevsimServer>> Start(
      const FleetOptions& options);
  ~DevsimServer();

  int port() const { return port_; }
  const std::vector<SimulatedAddress>& devices() const { return devices_; }
  const DeviceBehaviour& behaviour(int index) const { return behaviours_[index]; }
  int sessions_open() const { return sessions_open_.load(); }
  // The most sessions open at once since Start.
  int peak_sessions() const { return peak_sessions_.load(); }

  // Stops accepting and ends open sessions; waits (bounded) for them.
  void Stop();

 private:
  DevsimServer() = default;
  void AcceptLoop();
  void Serve(ssh_session_struct* session, int device_index);
  void SpawnSession(ssh_session_struct* session, int device_index, ssh_bind_struct* own_bind);
  bool Authenticate(ssh_session_struct* session, const DeviceBehaviour& behaviour);
  // Sleeps up to `delay`, less if the server stops meanwhile.
  void Pause(absl::Duration delay) const;

  FleetOptions options_;
  std::vector<SimulatedAddress> devices_;
  std::vector<DeviceBehaviour> behaviours_;  // by device index
  std::unordered_map<uint32_t, int> index_by_address_;
  ssh_bind_struct* bind_ = nullptr;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> sessions_open_{0};
  std::atomic<int> peak_sessions_{0};
  Mutex mu_;
  // Sockets of open sessions, shut down by Stop to end them promptly.
  absl::flat_hash_set<int> session_fds_ ABSL_GUARDED_BY(mu_);
  std::thread acceptor_;
};

}  // namespace netshard::devsim

#endif  // NETSHARD_TESTS_DEVSIM_DEVSIM_SERVER_H_
