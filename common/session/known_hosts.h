// A known_hosts file (OpenSSH's format) read once per process and shared by
// every session that checks a host key against it.
//
// Why not libssh's own check: it reads and parses the whole file for each
// session, twice (host key preference during key exchange, then the check),
// so a fleet-sized file made host-key checking a third of the client's CPU,
// and concurrent sessions read the file while others appended to it. Here
// the files are parsed into an immutable snapshot that every lookup shares;
// a lookup only stats the files (outside any lock) and takes a lock for a
// pointer copy and a hash lookup. A file changed on disk (someone removed a
// replaced device's entry) is read again, once, into a new snapshot that
// replaces the old; sessions still holding the old finish with it. Hashed
// and pattern entries are matched against a name once per snapshot.
//
// Understood: plain host names and "[host]:port", comma lists, `*`/`?`
// patterns, `!` negations, hashed names (|1|salt|hash), the @revoked marker
// (such a key is refused). @cert-authority lines are ignored, as libssh does.
//
// Thread-safe: any number of sessions may Check, KnownTypes and Remember at
// once.
#ifndef NETSHARD_COMMON_SESSION_KNOWN_HOSTS_H_
#define NETSHARD_COMMON_SESSION_KNOWN_HOSTS_H_

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
  // directory) and remembers it: lookups see it at once.
  absl::Status Remember(absl::string_view host, int port, const HostKey& key);

  const std::string& path() const { return path_; }

  // Visible for tests: a store over `path` and `global_path` ("": none).
  KnownHosts(std::string path, std::string global_path);

 private:
  // What a file was when it was read; a change on disk shows in these.
  struct FileStamp {
    bool exists = false;
    int error = 0;  // errno of a stat that failed, other than ENOENT
    ino_t inode = 0;
    off_t size = 0;
    timespec mtime{};
    bool operator==(const FileStamp& other) const;
  };
  // One listed key for a host.
  struct Listed {
    HostKey key;
    bool revoked = false;
  };
  class Snapshot;  // the files as parsed, immutable

  // Every key listed for the host: from a snapshot as current as the files
  // on disk, and from what this process remembered since it was read.
  absl::StatusOr<std::vector<Listed>> Lookup(absl::string_view host, int port);
  // The listing, if the snapshot held is as the files are `now`.
  bool ListCurrent(const std::string& name, const FileStamp& now, const FileStamp& global_now,
                   std::vector<Listed>* listed) ABSL_LOCKS_EXCLUDED(mu_);

  const std::string path_;
  const std::string global_path_;
  // One reload at a time, so sessions that find the file changed parse it
  // once between them, not once each. Held while reading the files.
  Mutex load_mu_ ABSL_ACQUIRED_BEFORE(mu_);
  // One append at a time, so each knows whether the file it appended to
  // was the one the snapshot holds. Held while appending.
  Mutex write_mu_ ABSL_ACQUIRED_BEFORE(mu_);
  // Held for pointer copies and hash lookups only: never for I/O.
  Mutex mu_;
  std::shared_ptr<const Snapshot> snapshot_ ABSL_GUARDED_BY(mu_);
  // path_ as snapshot_ together with remembered_ describe it.
  FileStamp stamp_ ABSL_GUARDED_BY(mu_);
  // Remembered since snapshot_ was read, by known_hosts name.
  absl::flat_hash_map<std::string, std::vector<Listed>> remembered_ ABSL_GUARDED_BY(mu_);
};

// How known_hosts names a host: "host" on port 22, else "[host]:port".
std::string KnownHostsName(absl::string_view host, int port);

}  // namespace netshard

#endif  // NETSHARD_COMMON_SESSION_KNOWN_HOSTS_H_
