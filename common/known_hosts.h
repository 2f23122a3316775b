// A known_hosts file (OpenSSH's format) read once per process and shared by
// every session that checks a host key against it.
//
// Why not libssh's own check: it reads and parses the whole file for each
// session, twice (host key preference during key exchange, then the check),
// so a fleet-sized file made host-key checking a third of the client's CPU,
// and concurrent sessions read the file while others appended to it. Here
// the file is parsed once into a map, re-read only when it changes on disk
// (someone removed a replaced device's entry), and appended under one lock.
//
// Understood: plain host names and "[host]:port", comma lists, `*`/`?`
// patterns, `!` negations, hashed names (|1|salt|hash), the @revoked marker
// (such a key is refused). @cert-authority lines are ignored, as libssh does.
#ifndef NETSHARD_COMMON_KNOWN_HOSTS_H_
#define NETSHARD_COMMON_KNOWN_HOSTS_H_

#include <sys/stat.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/mutex.h"

namespace netshard {

// A server's host key: its type as known_hosts writes it ("ssh-ed25519",
// "ssh-rsa", "ecdsa-sha2-nistp256") and its base64 blob.
struct HostKey {
  std::string type;
  std::string base64;
};

class KnownHosts {
 public:
  enum class Verdict {
    kKnown,      // this very key is listed for the host
    kChanged,    // another key of the same type is listed: refuse
    kOtherType,  // only keys of other types are listed: refuse, as libssh does
    kRevoked,    // the key is marked @revoked
    kUnknown,    // the host is not listed
  };

  // The process-wide store for `path` ("" is ~/.ssh/known_hosts), with
  // /etc/ssh/ssh_known_hosts consulted too (read only).
  static KnownHosts& ForFile(const std::string& path);

  // An error only when the file exists but cannot be read.
  absl::StatusOr<Verdict> Check(absl::string_view host, int port, const HostKey& key);

  // The key types listed for the host, to prefer them in the key exchange
  // (a device with several host keys then shows the one we know).
  std::vector<std::string> KnownTypes(absl::string_view host, int port);

  // Appends the key for the host to the file (created 0600, with its
  // directory) and remembers it.
  absl::Status Remember(absl::string_view host, int port, const HostKey& key);

  const std::string& path() const { return path_; }

  // Visible for tests: a store over `path` and `global_path` ("": none).
  KnownHosts(std::string path, std::string global_path);

 private:
  struct Entry {
    std::vector<std::string> patterns;  // a hashed name is one "|1|..." pattern
    HostKey key;
    bool revoked = false;
  };
  // What a file held when it was read; a change on disk shows in these.
  struct FileStamp {
    bool exists = false;
    ino_t inode = 0;
    off_t size = 0;
    timespec mtime{};
  };

  // Re-reads the files if they changed since they were read.
  absl::Status Refresh() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status Load(const std::string& file, FileStamp& stamp) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Add(Entry entry) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Every entry that names the host, as known_hosts writes it ("[h]:p").
  std::vector<const Entry*> Matching(const std::string& name) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string path_;
  const std::string global_path_;
  Mutex mu_;
  bool loaded_ ABSL_GUARDED_BY(mu_) = false;
  FileStamp stamp_ ABSL_GUARDED_BY(mu_);
  FileStamp global_stamp_ ABSL_GUARDED_BY(mu_);
  std::vector<std::unique_ptr<Entry>> entries_ ABSL_GUARDED_BY(mu_);
  // Plain, single names straight to their entries; the rest are scanned.
  absl::flat_hash_map<std::string, std::vector<const Entry*>> by_name_ ABSL_GUARDED_BY(mu_);
  std::vector<const Entry*> scanned_ ABSL_GUARDED_BY(mu_);
};

// How known_hosts names a host: "host" on port 22, else "[host]:port".
std::string KnownHostsName(absl::string_view host, int port);

}  // namespace netshard

#endif  // NETSHARD_COMMON_KNOWN_HOSTS_H_
