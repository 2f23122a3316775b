#include "coordinator/agent_channel.h"

namespace netshard {

std::shared_ptr<grpc::Channel> AgentChannel(const AgentTarget& target) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(-1);  // outputs arrive in chunks; no cliff for one result
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

}  // namespace netshard
