// Serves Prometheus metrics over HTTP (GET /metrics) on its own thread,
// with cpp-httplib. Stops and joins when destroyed.
#ifndef NETSHARD_AGENT_METRICS_SERVER_H_
#define NETSHARD_AGENT_METRICS_SERVER_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"

namespace httplib {
class Server;
}

namespace netshard {

class MetricsServer {
 public:
  // Listens on `host_port` (port 0: any free); each scrape returns
  // `render()`, which must be thread-safe.
  static absl::StatusOr<std::unique_ptr<MetricsServer>> Start(const std::string& host_port,
                                                              std::function<std::string()> render);
  ~MetricsServer();

  int port() const { return port_; }

 private:
  MetricsServer() = default;

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace netshard

#endif  // NETSHARD_AGENT_METRICS_SERVER_H_
