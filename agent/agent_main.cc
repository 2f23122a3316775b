// agent: runs device jobs for coordinators, near a network segment.
//
//   agent --listen 127.0.0.1:50061 --workers 100
//   agent --listen 0.0.0.0:50061 --tls-cert agent.pem --tls-key agent.key
//         --tls-client-ca ca.pem --segment msk --source-address 10.20.0.5
//
// SIGTERM or SIGINT drains: coordinators are told to send no more jobs, the
// jobs already received finish and report, then the agent exits.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <iostream>

#include "CLI/CLI.hpp"
#include "common/process_setup.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "agent/agent_service.h"
#include "agent/metrics_server.h"
#include "common/event_log.h"
#include "common/host_port.h"
#include "common/tls_files.h"
#include "grpcpp/grpcpp.h"

namespace {

// Plaintext gRPC carries device credentials, so it is only for loopback.
bool IsLoopbackListen(const std::string& address) {
  std::optional<netshard::HostPort> split = netshard::SplitHostPort(address);
  return split && netshard::IsLoopbackHost(split->host);
}

// An address this machine has, so a typo fails at start, not per device.
std::string CheckSourceAddress(const std::string& address) {
  sockaddr_storage storage{};
  socklen_t length = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
  if (inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    length = sizeof(*v4);
  } else if (inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    length = sizeof(*v6);
  } else {
    return "expected an IP address, got '" + address + "'";
  }
  int fd = socket(storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  bool bound = fd >= 0 && bind(fd, reinterpret_cast<sockaddr*>(&storage), length) == 0;
  std::string why = bound ? "" : absl::StrCat(address, " is not an address of this machine: ",
                                              strerror(errno));
  if (fd >= 0) close(fd);
  return why;
}

// Serves only coordinators whose certificate the client CA signed.
std::shared_ptr<grpc::ServerCredentials> MutualTls(const netshard::TlsMaterial& material) {
  grpc::SslServerCredentialsOptions options(
      GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  options.pem_root_certs = material.ca_pem;
  options.pem_key_cert_pairs.push_back({material.key_pem, material.cert_pem});
  return grpc::SslServerCredentials(options);
}

std::string DefaultName(const std::string& listen) {
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  return absl::StrCat(host, "/", listen);
}

}  // namespace

int main(int argc, char** argv) {
  netshard::AgentOptions options;
  std::string listen = "127.0.0.1:50061";
  bool insecure_listen = false;
  double drain_timeout_s = 120;
  CLI::App app{"agent: runs netshard device jobs near a network segment"};
  app.add_option("--listen", listen, "HOST:PORT to serve gRPC on (port 0: any free)")
      ->capture_default_str();
  app.add_option("--workers", options.workers, "Concurrent device sessions")
      ->check(CLI::Range(1, 20000))->capture_default_str();
  app.add_option("--name", options.name, "Agent name in results (default HOSTNAME/LISTEN)");
  app.add_option("--segment", options.segments, "Network segment this agent reaches (repeat)");
  app.add_option("--known-hosts", options.known_hosts_file,
                 "known_hosts file for device host keys (default ~/.ssh/known_hosts)");
  app.add_option("--source-address", options.source_address,
                 "Local IP address device connections leave from (for segments that admit "
                 "only known sources)")
      ->check([](const std::string& v) { return CheckSourceAddress(v); });
  std::string credentials_file;
  app.add_option("--credentials", credentials_file,
                 "Device credentials kept here, for inventory devices with `credentials: agent` "
                 "(YAML, mode 0600)");
  netshard::TlsFiles tls;
  app.add_option("--tls-cert", tls.cert, "This agent's certificate (PEM): serve mutual TLS");
  app.add_option("--tls-key", tls.key, "Its private key (PEM)");
  app.add_option("--tls-client-ca", tls.ca,
                 "CA (PEM) whose certificates coordinators must present; others are refused");
  app.add_flag("--insecure-listen", insecure_listen,
               "Allow plaintext on a non-loopback address (labs only: credentials cross it)");
  std::string metrics_listen;
  app.add_option("--metrics-listen", metrics_listen,
                 "HOST:PORT to serve Prometheus metrics on (GET /metrics); default: none");
  std::string log_level = "info";
  app.add_option("--log-level", log_level, "Structured log lines on stderr from: debug (every "
                 "device), info (runs, failed devices), warn, error")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}))->capture_default_str();
  app.add_option("--drain-timeout", drain_timeout_s,
                 "Seconds to let running jobs finish after SIGTERM")
      ->check(CLI::Range(0.0, 86400.0))->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
  if (tls.any()) {
    absl::StatusOr<netshard::TlsMaterial> material =
        netshard::LoadTls(tls, {"--tls-client-ca", "--tls-cert", "--tls-key"});
    if (!material.ok()) {
      std::cerr << "agent: " << material.status().message() << "\n";
      return 2;
    }
    credentials = MutualTls(*material);
  } else if (!IsLoopbackListen(listen) && !insecure_listen) {
    std::cerr << "agent: refusing to listen on " << listen
              << " without TLS: device credentials would cross the network in the clear. "
                 "Give --tls-cert, --tls-key and --tls-client-ca, listen on 127.0.0.1, or pass "
                 "--insecure-listen for a lab.\n";
    return 2;
  }
  if (options.name.empty()) options.name = DefaultName(listen);
  if (!credentials_file.empty()) {
    absl::StatusOr<netshard::AgentCredentials> credentials =
        netshard::AgentCredentials::Load(credentials_file, netshard::ProcessEnv);
    if (!credentials.ok()) {
      std::cerr << "agent: --credentials " << credentials.status().message() << "\n";
      return 2;
    }
    options.credentials =
        std::make_shared<const netshard::AgentCredentials>(*std::move(credentials));
  }
  netshard::RaiseOpenFileLimit();
  netshard::BlockStopSignals();

  netshard::EventLog log(&std::cerr, *netshard::ParseLogLevel(log_level));
  options.log = &log;
  netshard::AgentService service(options);
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(listen, credentials, &port);
  builder.SetMaxReceiveMessageSize(-1);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::cerr << "agent: cannot listen on " << listen << "\n";
    return 2;
  }
  std::unique_ptr<netshard::MetricsServer> metrics;
  if (!metrics_listen.empty()) {
    absl::StatusOr<std::unique_ptr<netshard::MetricsServer>> started = netshard::MetricsServer::Start(
        metrics_listen, [&service] { return service.metrics().Render(); });
    if (!started.ok()) {
      std::cerr << "agent: --metrics-listen " << started.status().message() << "\n";
      return 2;
    }
    metrics = *std::move(started);
  }
  log.Log(netshard::LogLevel::kInfo, "listening",
          {{"name", options.name},
           {"port", absl::StrCat(port)},
           {"tls", tls.any() ? "mutual" : "plaintext"},
           {"workers", absl::StrCat(options.workers)},
           {"metrics_port", metrics != nullptr ? absl::StrCat(metrics->port()) : ""}});
  int signal_number = netshard::AwaitStopSignal();
  log.Log(netshard::LogLevel::kInfo, "draining", {{"signal", strsignal(signal_number)}});
  service.BeginDrain();
  server->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(drain_timeout_s)));
  log.Log(netshard::LogLevel::kInfo, "stopped");
  return 0;
}
