#include "coordinator/dispatch/agent_channel.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace netshard {

std::shared_ptr<grpc::Channel> AgentChannel(const AgentTarget& target) {
  grpc::ChannelArguments args;
  // Large outputs arrive in chunks, so a message this big is an agent's
  // fault, not a device's; without a cap one could take all our memory.
  args.SetMaxReceiveMessageSize(256 << 20);
  // A dead agent or link is noticed without traffic (agent_main.cc allows
  // pings this often).
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 20000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10000);
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  if (!target.tls) {
    return grpc::CreateCustomChannel(target.address, grpc::InsecureChannelCredentials(), args);
  }
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = target.tls->material.ca_pem;
  options.pem_cert_chain = target.tls->material.cert_pem;
  options.pem_private_key = target.tls->material.key_pem;
  if (!target.tls->server_name.empty()) args.SetSslTargetNameOverride(target.tls->server_name);
  return grpc::CreateCustomChannel(target.address, grpc::SslCredentials(options), args);
}

std::string DescribeAgentError(const grpc::Status& status, bool tls) {
  const std::string& said = status.error_message();
  std::string why;
  // OpenSSL 1.1 spells its reasons CERTIFICATE_VERIFY_FAILED, 3.0 "certificate verify failed".
  if (absl::StrContains(said, "CERTIFICATE_VERIFY_FAILED") ||
      absl::StrContains(said, "certificate verify failed")) {
    why = "TLS handshake failed: the agent's certificate is not signed by --tls-ca";
  } else if (absl::StrContains(said, "WRONG_VERSION_NUMBER") ||
             absl::StrContains(said, "wrong version number")) {
    why = "TLS handshake failed: the agent speaks plaintext (no --tls-* on the agent)";
  } else if (tls && absl::StrContains(said, "Peer name")) {
    why = "TLS handshake failed: the agent's certificate names another host (--tls-server-name)";
  } else if (tls && (absl::StrContains(said, "Socket closed") ||
                     absl::StrContains(said, "Ssl handshake failed"))) {
    why = "TLS handshake failed: the agent refused our certificate (not signed by the CA it "
          "trusts?)";
  } else if (!tls && (absl::StrContains(said, "Socket closed") ||
                      absl::StrContains(said, "Connection reset"))) {
    why = "the agent closed the connection at once: it wants TLS (give --tls-ca, --tls-cert, "
          "--tls-key)";
  }
  return why.empty() ? said : absl::StrCat(why, " [", said, "]");
}

}  // namespace netshard
