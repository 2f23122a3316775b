#include "common/known_hosts.h"

#include <fcntl.h>
#include <fnmatch.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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

bool SameStamp(const struct stat& now, bool exists, ino_t inode, off_t size,
               const timespec& mtime) {
  return exists && now.st_ino == inode && now.st_size == size &&
         now.st_mtim.tv_sec == mtime.tv_sec && now.st_mtim.tv_nsec == mtime.tv_nsec;
}

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

KnownHosts::KnownHosts(std::string path, std::string global_path)
    : path_(std::move(path)), global_path_(std::move(global_path)) {}

absl::Status KnownHosts::Refresh() {
  auto unchanged = [](const std::string& file, const FileStamp& stamp) {
    struct stat now{};
    if (file.empty() || stat(file.c_str(), &now) != 0) return !stamp.exists;
    return SameStamp(now, stamp.exists, stamp.inode, stamp.size, stamp.mtime);
  };
  if (loaded_ && unchanged(path_, stamp_) && unchanged(global_path_, global_stamp_)) {
    return absl::OkStatus();
  }
  loaded_ = true;
  entries_.clear();
  by_name_.clear();
  scanned_.clear();
  stamp_ = FileStamp{};
  global_stamp_ = FileStamp{};
  if (!global_path_.empty()) {
    absl::Status global = Load(global_path_, global_stamp_);
    if (!global.ok()) global_stamp_ = FileStamp{};  // not ours: ignore what we cannot read
  }
  absl::Status status = Load(path_, stamp_);
  if (!status.ok()) loaded_ = false;  // and fail again next time, never read as empty
  return status;
}

absl::Status KnownHosts::Load(const std::string& file, FileStamp& stamp) {
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
  stamp = {true, before.st_ino, before.st_size, before.st_mtim};
  for (absl::string_view line : absl::StrSplit(*text, '\n')) {
    std::vector<absl::string_view> fields =
        absl::StrSplit(absl::StripAsciiWhitespace(line), absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (fields.empty() || fields[0].front() == '#') continue;
    Entry entry;
    if (fields[0].front() == '@') {
      if (fields[0] != "@revoked") continue;  // @cert-authority: host certificates unsupported
      entry.revoked = true;
      fields.erase(fields.begin());
    }
    if (fields.size() < 3) continue;  // malformed: skipped, as OpenSSH does
    for (absl::string_view pattern : absl::StrSplit(fields[0], ',', absl::SkipEmpty())) {
      entry.patterns.push_back(absl::StartsWith(pattern, "|") ? std::string(pattern)
                                                               : absl::AsciiStrToLower(pattern));
    }
    if (entry.patterns.empty()) continue;
    entry.key = {std::string(fields[1]), std::string(fields[2])};
    Add(std::move(entry));
  }
  return absl::OkStatus();
}

void KnownHosts::Add(Entry entry) {
  entries_.push_back(std::make_unique<Entry>(std::move(entry)));
  const Entry* added = entries_.back().get();
  if (IsSingleName(added->patterns)) {
    by_name_[added->patterns[0]].push_back(added);
  } else {
    scanned_.push_back(added);
  }
}

std::vector<const KnownHosts::Entry*> KnownHosts::Matching(const std::string& name) {
  std::vector<const Entry*> found;
  auto it = by_name_.find(name);
  if (it != by_name_.end()) found = it->second;
  for (const Entry* entry : scanned_) {
    if (ListMatches(entry->patterns, name)) found.push_back(entry);
  }
  return found;
}

absl::StatusOr<KnownHosts::Verdict> KnownHosts::Check(absl::string_view host, int port,
                                                      const HostKey& key) {
  MutexLock lock(&mu_);
  if (absl::Status status = Refresh(); !status.ok()) return status;
  bool same_type = false;
  bool other_type = false;
  for (const Entry* entry : Matching(KnownHostsName(host, port))) {
    bool same_key = entry->key.type == key.type && entry->key.base64 == key.base64;
    if (entry->revoked) {
      if (same_key) return Verdict::kRevoked;
      continue;
    }
    if (same_key) return Verdict::kKnown;
    same_type = same_type || entry->key.type == key.type;
    other_type = true;
  }
  if (same_type) return Verdict::kChanged;
  return other_type ? Verdict::kOtherType : Verdict::kUnknown;
}

std::vector<std::string> KnownHosts::KnownTypes(absl::string_view host, int port) {
  MutexLock lock(&mu_);
  std::vector<std::string> types;
  if (!Refresh().ok()) return types;  // Check reports it
  for (const Entry* entry : Matching(KnownHostsName(host, port))) {
    if (entry->revoked) continue;
    if (std::find(types.begin(), types.end(), entry->key.type) == types.end()) {
      types.push_back(entry->key.type);
    }
  }
  return types;
}

absl::Status KnownHosts::Remember(absl::string_view host, int port, const HostKey& key) {
  MutexLock lock(&mu_);
  (void)Refresh();  // what others appended meanwhile stays visible
  std::string directory = path_.substr(0, path_.find_last_of('/'));
  if (!directory.empty() && directory != path_) mkdir(directory.c_str(), 0700);
  int fd = open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot write ", path_, ": ", std::strerror(errno)));
  }
  std::string name = KnownHostsName(host, port);
  std::string line = absl::StrCat(name, " ", key.type, " ", key.base64, "\n");
  bool written = write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  struct stat after{};
  bool stamped = fstat(fd, &after) == 0;
  int saved_errno = errno;
  close(fd);
  if (!written) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot write ", path_, ": ", std::strerror(saved_errno)));
  }
  Entry entry;
  entry.patterns = {name};
  entry.key = key;
  Add(std::move(entry));
  if (stamped) stamp_ = {true, after.st_ino, after.st_size, after.st_mtim};
  return absl::OkStatus();
}

}  // namespace netshard
