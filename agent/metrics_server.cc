#include "agent/metrics_server.h"

#include "absl/strings/str_cat.h"
#include "common/host_port.h"
#include "httplib.h"

namespace netshard {

absl::StatusOr<std::unique_ptr<MetricsServer>> MetricsServer::Start(
    const std::string& host_port, std::function<std::string()> render) {
  std::optional<HostPort> split = SplitHostPort(host_port);
  if (!split) {
    return absl::InvalidArgumentError(absl::StrCat("expected HOST:PORT, got '", host_port, "'"));
  }
  const std::string& host = split->host;
  int port = split->port;
  std::unique_ptr<MetricsServer> metrics(new MetricsServer());
  metrics->server_ = std::make_unique<httplib::Server>();
  metrics->server_->Get("/metrics", [render](const httplib::Request&, httplib::Response& response) {
    response.set_content(render(), "text/plain; version=0.0.4");
  });
  // A scraper that stalls must not hold a thread for long.
  metrics->server_->set_read_timeout(5, 0);
  metrics->server_->set_write_timeout(5, 0);
  metrics->port_ = port == 0 ? metrics->server_->bind_to_any_port(host)
                             : (metrics->server_->bind_to_port(host, port) ? port : -1);
  if (metrics->port_ <= 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", host_port));
  }
  metrics->thread_ = std::thread([server = metrics->server_.get()] { server->listen_after_bind(); });
  return metrics;
}

MetricsServer::~MetricsServer() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace netshard
