// PEM material for one end of the mutual-TLS control channel between
// coordinator and agents, read from files once, at start, so a wrong path
// is an error naming the flag and file before any device is touched.
#ifndef NETSHARD_COMMON_TLS_FILES_H_
#define NETSHARD_COMMON_TLS_FILES_H_

#include <string>

#include "absl/status/statusor.h"

namespace netshard {

// Paths; each "" when not given.
struct TlsFiles {
  std::string ca;    // the CA that signs the peer's certificate
  std::string cert;  // this end's certificate (chain)
  std::string key;   // its private key
  bool any() const { return !ca.empty() || !cert.empty() || !key.empty(); }
};

struct TlsMaterial {
  std::string ca_pem;
  std::string cert_pem;
  std::string key_pem;
};

// Reads all three files. Mutual TLS needs every one: a missing path, an
// unreadable file or one without the expected PEM block is an error naming
// `names.ca`/`names.cert`/`names.key` (the flags or fields they came from)
// and the path.
absl::StatusOr<TlsMaterial> LoadTls(const TlsFiles& files, const TlsFiles& names);

}  // namespace netshard

#endif  // NETSHARD_COMMON_TLS_FILES_H_
