// HOST:PORT as flags and files give it ("10.0.0.5:50061",
// "agents.example.net:50061", "[::1]:50061"), and the one loopback rule
// that decides where plaintext is allowed.
#ifndef NETSHARD_COMMON_HOST_PORT_H_
#define NETSHARD_COMMON_HOST_PORT_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace netshard {

struct HostPort {
  std::string host;  // without the brackets of an IPv6 literal
  int port = 0;
};

// nullopt unless `value` is HOST:PORT with a non-empty host and a port in
// 0..65535 (0: "any free", for listening).
std::optional<HostPort> SplitHostPort(absl::string_view value);

// "host:port", with an IPv6 host in brackets.
std::string JoinHostPort(absl::string_view host, int port);

// 127.0.0.0/8, ::1 or localhost.
bool IsLoopbackHost(absl::string_view host);

inline constexpr int kNotAnIp = -1;

// 0 if a TCP socket can bind `ip` (a literal) and `port` (nothing is sent),
// kNotAnIp if `ip` is none, else the errno of the bind.
int BindErrno(const std::string& ip, int port);

// "" if `address` is an IP address of this machine that connections can
// leave from, else why not: a typo then fails at start, not per device.
std::string SourceAddressProblem(const std::string& address);

}  // namespace netshard

#endif  // NETSHARD_COMMON_HOST_PORT_H_
