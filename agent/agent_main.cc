// agent: runs device jobs for coordinators, near a network segment.
//
//   agent --listen 127.0.0.1:50061 --workers 100
//   agent --listen 0.0.0.0:50061 --tls-cert agent.pem --tls-key agent.key
//         --tls-client-ca ca.pem --segment msk --source-address 10.20.0.5
//
// SIGTERM or SIGINT drains: coordinators are told to send no more jobs, the
// jobs already received finish and report, then the agent exits.
#include <cstring>
#include <iostream>

#include "CLI/CLI.hpp"
#include "common/process_setup.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "agent/agent_service.h"
#include "common/version.h"
#include "agent/metrics_server.h"
#include "common/event_log.h"
#include "common/host_port.h"
#include "common/tls_files.h"
#include "grpcpp/grpcpp.h"

namespace {

// Why `address` cannot be listened on as written ("" if it can): a port
// left out would otherwise surface later as a complaint about TLS.
std::string ListenProblem(const std::string& address) {
  if (netshard::SplitHostPort(address)) return "";
  return absl::StrCat("'", address, "' ",
                      absl::StrContains(address, ':') ? "is not HOST:PORT" : "has no port",
                      ": give HOST:PORT, e.g. 127.0.0.1:50061 (port 0: any free)");
}

// Plaintext gRPC carries device credentials, so it is only for loopback.
bool IsLoopbackListen(const std::string& address) {
  std::optional<netshard::HostPort> split = netshard::SplitHostPort(address);
  return split && netshard::IsLoopbackHost(split->host);
}

// Why gRPC could not listen on `listen`, as far as a bind of our own tells.
std::string ListenFailure(const std::string& listen) {
  std::optional<netshard::HostPort> split = netshard::SplitHostPort(listen);
  int error = split ? netshard::BindErrno(split->host, split->port) : netshard::kNotAnIp;
  if (error == EADDRINUSE) return "the port is taken (another agent on it?)";
  if (error == 0 || error == netshard::kNotAnIp) return "see gRPC's message above";
  return strerror(error);
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
      ->check([](const std::string& v) { return ListenProblem(v); })
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
      ->check([](const std::string& v) { return netshard::SourceAddressProblem(v); });
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
  double stall_timeout_s = absl::ToDoubleSeconds(options.outbox.stall);
  app.add_option("--stall-timeout", stall_timeout_s,
                 "Seconds a coordinator may leave a result unread (stopped, hung) before its "
                 "run is cancelled here; other runs never wait for it")
      ->check(CLI::Range(1.0, 86400.0))->capture_default_str();
  app.set_version_flag("--version", netshard::VersionLine("agent"));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  options.outbox.stall = absl::Seconds(stall_timeout_s);
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
  // gRPC sets SO_REUSEPORT by default: a second agent on a taken port would
  // start and silently split the coordinators' connections with the first.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // A coordinator that died or lost its link is noticed without traffic,
  // and its pings (coordinator/agent_channel.cc: every 20 s, idle or not)
  // are welcome rather than answered with GOAWAY.
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 20000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 5000);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::cerr << "agent: cannot listen on " << listen << ": " << ListenFailure(listen) << "\n";
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
