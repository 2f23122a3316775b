#include "common/session/known_hosts.h"

#include <fcntl.h>
#include <fnmatch.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/file_text.h"

namespace netshard {
namespace {

constexpr char kGlobalKnownHosts[] = "/etc/ssh/ssh_known_hosts";

std::string HomeKnownHosts() {
  passwd entry{};
  passwd* found = nullptr;
  char buffer[4096];
  if (getpwuid_r(geteuid(), &entry, buffer, sizeof(buffer), &found) != 0 || found == nullptr) {
    return "";
  }
  return absl::StrCat(found->pw_dir, "/.ssh/known_hosts");
}

std::string Decode64(absl::string_view text) {
  std::string out(text.size() * 3 / 4 + 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return "";
  // EVP_DecodeBlock counts the padding as zero bytes.
  n -= static_cast<int>(text.size() - absl::StripSuffix(absl::StripSuffix(text, "="), "=").size());
  out.resize(n);
  return out;
}

// |1|base64(salt)|base64(HMAC-SHA1(salt, name)) — OpenSSH's HashKnownHosts.
bool HashedNameMatches(absl::string_view pattern, const std::string& name) {
  std::vector<absl::string_view> parts = absl::StrSplit(pattern, '|');
  if (parts.size() != 4 || parts[1] != "1") return false;
  std::string salt = Decode64(parts[2]);
  std::string hash = Decode64(parts[3]);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (salt.empty() ||
      HMAC(EVP_sha1(), salt.data(), static_cast<int>(salt.size()),
           reinterpret_cast<const unsigned char*>(name.data()), name.size(), digest,
           &length) == nullptr) {
    return false;
  }
  return hash.size() == length && std::memcmp(hash.data(), digest, length) == 0;
}

bool PatternMatches(const std::string& pattern, const std::string& name) {
  if (absl::StartsWith(pattern, "|")) return HashedNameMatches(pattern, name);
  return fnmatch(pattern.c_str(), name.c_str(), FNM_CASEFOLD) == 0;
}

// OpenSSH's rule: a matching negation excludes the entry, else any match
// includes it.
bool ListMatches(const std::vector<std::string>& patterns, const std::string& name) {
  bool matched = false;
  for (const std::string& pattern : patterns) {
    if (pattern.front() == '!') {
      if (PatternMatches(pattern.substr(1), name)) return false;
    } else {
      matched = matched || PatternMatches(pattern, name);
    }
  }
  return matched;
}

bool IsSingleName(const std::vector<std::string>& patterns) {
  return patterns.size() == 1 && patterns[0].find_first_of("*?!|") == std::string::npos;
}

// Names whose pattern and hashed matches a snapshot memoizes: a bound on its
// memory for fleets larger than this (lookups past it are still right).
constexpr size_t kMemoNames = 1 << 18;

}  // namespace

std::string KnownHostsName(absl::string_view host, int port) {
  std::string lower = absl::AsciiStrToLower(host);
  return port == 22 ? lower : absl::StrCat("[", lower, "]:", port);
}

KnownHosts& KnownHosts::ForFile(const std::string& path) {
  static Mutex* mu = new Mutex;
  static auto* stores = new absl::flat_hash_map<std::string, std::unique_ptr<KnownHosts>>;
  std::string file = path.empty() ? HomeKnownHosts() : path;
  MutexLock lock(mu);
  std::unique_ptr<KnownHosts>& store = (*stores)[file];
  if (store == nullptr) store = std::make_unique<KnownHosts>(file, kGlobalKnownHosts);
  return *store;
}

// The files as one reading parsed them. Immutable but for the memo of
// pattern matches, which has its own lock (held for hash lookups only).
class KnownHosts::Snapshot {
 public:
  // Reads both files. An error when `path` exists but cannot be read; a
  // global file that cannot be read is skipped (it is not ours).
  static absl::StatusOr<std::shared_ptr<const Snapshot>> Read(const std::string& path,
                                                             const std::string& global_path) {
    std::shared_ptr<Snapshot> snapshot(new Snapshot);
    if (!global_path.empty()) {
      FileStamp global = StampOf(global_path);
      if (!snapshot->Load(global_path, &snapshot->global_stamp_).ok()) {
        snapshot->global_stamp_ = global;  // and not tried again until it changes
      }
    }
    if (absl::Status status = snapshot->Load(path, &snapshot->stamp_); !status.ok()) return status;
    return std::shared_ptr<const Snapshot>(std::move(snapshot));
  }

  static FileStamp StampOf(const struct stat& info) {
    return {true, 0, info.st_ino, info.st_size, info.st_mtim};
  }
  static FileStamp StampOf(const std::string& file) {
    struct stat info{};
    if (file.empty()) return {};
    if (stat(file.c_str(), &info) == 0) return StampOf(info);
    return errno == ENOENT ? FileStamp{} : FileStamp{false, errno};
  }

  const FileStamp& stamp() const { return stamp_; }
  const FileStamp& global_stamp() const { return global_stamp_; }

  // Every key listed for `name`, in the order the old store gave them:
  // plain names, then `remembered` (appended since), then patterns and
  // hashed names in file order.
  std::vector<Listed> List(const std::string& name, std::vector<Listed> remembered) const {
    std::vector<Listed> listed;
    if (auto it = by_name_.find(name); it != by_name_.end()) {
      for (const Entry* entry : it->second) listed.push_back(entry->listed);
    }
    listed.insert(listed.end(), std::make_move_iterator(remembered.begin()),
                  std::make_move_iterator(remembered.end()));
    for (const Entry* entry : Scanned(name)) listed.push_back(entry->listed);
    return listed;
  }

 private:
  struct Entry {
    std::vector<std::string> patterns;  // a hashed name is one "|1|..." pattern
    Listed listed;
  };

  Snapshot() = default;

  // The pattern and hashed entries naming `name`: an HMAC per hashed entry
  // the first time a name is asked for, a hash lookup after.
  std::vector<const Entry*> Scanned(const std::string& name) const {
    if (scanned_.empty()) return {};
    {
      MutexLock lock(&memo_mu_);
      if (auto it = memo_.find(name); it != memo_.end()) return it->second;
    }
    std::vector<const Entry*> found;
    for (const Entry* entry : scanned_) {
      if (ListMatches(entry->patterns, name)) found.push_back(entry);
    }
    MutexLock lock(&memo_mu_);
    if (memo_.size() < kMemoNames) memo_.emplace(name, found);
    return found;
  }

  absl::Status Load(const std::string& file, FileStamp* stamp) {
    struct stat before{};
    if (file.empty() || stat(file.c_str(), &before) != 0) {
      if (file.empty() || errno == ENOENT) return absl::OkStatus();
      return absl::PermissionDeniedError(
          absl::StrCat("cannot read ", file, ": ", std::strerror(errno)));
    }
    if (!S_ISREG(before.st_mode)) {
      return absl::FailedPreconditionError(absl::StrCat("cannot read ", file, ": not a file"));
    }
    std::optional<std::string> text = ReadFileText(file);
    if (!text) {
      return absl::PermissionDeniedError(
          absl::StrCat("cannot read ", file, ": ", std::strerror(errno)));
    }
    // Stamped as before the read: a change during it shows next time.
    *stamp = StampOf(before);
    for (absl::string_view line : absl::StrSplit(*text, '\n')) Parse(line);
    return absl::OkStatus();
  }

  void Parse(absl::string_view line) {
    std::vector<absl::string_view> fields =
        absl::StrSplit(absl::StripAsciiWhitespace(line), absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (fields.empty() || fields[0].front() == '#') return;
    Entry entry;
    if (fields[0].front() == '@') {
      if (fields[0] != "@revoked") return;  // @cert-authority: host certificates unsupported
      entry.listed.revoked = true;
      fields.erase(fields.begin());
    }
    if (fields.size() < 3) return;  // malformed: skipped, as OpenSSH does
    for (absl::string_view pattern : absl::StrSplit(fields[0], ',', absl::SkipEmpty())) {
      entry.patterns.push_back(absl::StartsWith(pattern, "|") ? std::string(pattern)
                                                               : absl::AsciiStrToLower(pattern));
    }
    if (entry.patterns.empty()) return;
    entry.listed.key = {std::string(fields[1]), std::string(fields[2])};
    const Entry* added = &entries_.emplace_back(std::move(entry));
    if (IsSingleName(added->patterns)) {
      by_name_[added->patterns[0]].push_back(added);
    } else {
      scanned_.push_back(added);
    }
  }

  FileStamp stamp_;
  FileStamp global_stamp_;
  std::deque<Entry> entries_;  // never moves an entry: the indexes point into it
  // Plain, single names straight to their entries; the rest are scanned.
  absl::flat_hash_map<std::string, std::vector<const Entry*>> by_name_;
  std::vector<const Entry*> scanned_;
  mutable Mutex memo_mu_;
  mutable absl::flat_hash_map<std::string, std::vector<const Entry*>> memo_
      ABSL_GUARDED_BY(memo_mu_);
};

bool KnownHosts::FileStamp::operator==(const FileStamp& other) const {
  return exists == other.exists && error == other.error && inode == other.inode &&
         size == other.size && mtime.tv_sec == other.mtime.tv_sec &&
         mtime.tv_nsec == other.mtime.tv_nsec;
}

KnownHosts::KnownHosts(std::string path, std::string global_path)
    : path_(std::move(path)), global_path_(std::move(global_path)) {}

bool KnownHosts::ListCurrent(const std::string& name, const FileStamp& now,
                             const FileStamp& global_now, std::vector<Listed>* listed) {
  std::shared_ptr<const Snapshot> snapshot;
  std::vector<Listed> remembered;
  {
    MutexLock lock(&mu_);
    if (snapshot_ == nullptr || !(stamp_ == now) || !(snapshot_->global_stamp() == global_now)) {
      return false;
    }
    snapshot = snapshot_;
    if (auto it = remembered_.find(name); it != remembered_.end()) remembered = it->second;
  }
  *listed = snapshot->List(name, std::move(remembered));
  return true;
}

absl::StatusOr<std::vector<KnownHosts::Listed>> KnownHosts::Lookup(absl::string_view host,
                                                                   int port) {
  std::string name = KnownHostsName(host, port);
  std::vector<Listed> listed;
  if (ListCurrent(name, Snapshot::StampOf(path_), Snapshot::StampOf(global_path_), &listed)) {
    return listed;
  }
  MutexLock load(&load_mu_);
  // Another session may have read the files while this one waited.
  if (ListCurrent(name, Snapshot::StampOf(path_), Snapshot::StampOf(global_path_), &listed)) {
    return listed;
  }
  absl::StatusOr<std::shared_ptr<const Snapshot>> fresh = Snapshot::Read(path_, global_path_);
  if (!fresh.ok()) return fresh.status();  // and read again next time, never taken as empty
  {
    MutexLock lock(&mu_);
    snapshot_ = *fresh;
    stamp_ = (*fresh)->stamp();
    remembered_.clear();  // in the file, so in the snapshot
  }
  return (*fresh)->List(name, {});
}

absl::StatusOr<KnownHosts::Verdict> KnownHosts::Check(absl::string_view host, int port,
                                                      const HostKey& key) {
  absl::StatusOr<std::vector<Listed>> listed = Lookup(host, port);
  if (!listed.ok()) return listed.status();
  bool same_type = false;
  bool other_type = false;
  for (const Listed& entry : *listed) {
    bool same_key = entry.key.type == key.type && entry.key.base64 == key.base64;
    if (entry.revoked) {
      if (same_key) return Verdict::kRevoked;
      continue;
    }
    if (same_key) return Verdict::kKnown;
    same_type = same_type || entry.key.type == key.type;
    other_type = true;
  }
  if (same_type) return Verdict::kChanged;
  return other_type ? Verdict::kOtherType : Verdict::kUnknown;
}

std::vector<std::string> KnownHosts::KnownTypes(absl::string_view host, int port) {
  std::vector<std::string> types;
  absl::StatusOr<std::vector<Listed>> listed = Lookup(host, port);
  if (!listed.ok()) return types;  // Check reports it
  for (const Listed& entry : *listed) {
    if (entry.revoked) continue;
    if (std::find(types.begin(), types.end(), entry.key.type) == types.end()) {
      types.push_back(entry.key.type);
    }
  }
  return types;
}

absl::Status KnownHosts::Remember(absl::string_view host, int port, const HostKey& key) {
  std::string name = KnownHostsName(host, port);
  std::string line = absl::StrCat(name, " ", key.type, " ", key.base64, "\n");
  MutexLock appending(&write_mu_);
  std::string directory = path_.substr(0, path_.find_last_of('/'));
  if (!directory.empty() && directory != path_) mkdir(directory.c_str(), 0700);
  int fd = open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot write ", path_, ": ", std::strerror(errno)));
  }
  struct stat before{};
  struct stat after{};
  bool stamped = fstat(fd, &before) == 0;
  bool written = write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  int saved_errno = errno;
  stamped = stamped && fstat(fd, &after) == 0;
  close(fd);
  if (!written) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot write ", path_, ": ", std::strerror(saved_errno)));
  }
  MutexLock lock(&mu_);
  remembered_[name].push_back({key, false});
  // Appended to the very file the snapshot read: snapshot and remembered
  // keys still describe it. Otherwise the next lookup reads it again.
  if (stamped && stamp_ == Snapshot::StampOf(before)) stamp_ = Snapshot::StampOf(after);
  return absl::OkStatus();
}

}  // namespace netshard
