#include "coordinator/output/journal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <filesystem>
#include <map>

#include "absl/strings/str_cat.h"
#include "coordinator/output/result_printer.h"
#include "google/protobuf/util/json_util.h"
#include "netshard/v1/journal.pb.h"

namespace netshard {

absl::StatusOr<std::string> DefaultJournalPath(const std::string& run_id) {
  const char* state = std::getenv("XDG_STATE_HOME");
  const char* home = std::getenv("HOME");
  std::string base;
  if (state != nullptr && *state != '\0') {
    base = state;
  } else if (home != nullptr && *home != '\0') {
    base = absl::StrCat(home, "/.local/state");
  } else {
    return absl::FailedPreconditionError("--journal: no HOME or XDG_STATE_HOME; give --journal FILE");
  }
  std::string dir = base + "/netshard/runs";
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return absl::UnavailableError(absl::StrCat("--journal: cannot make ", dir, ": ", error.message()));
  return absl::StrCat(dir, "/", run_id, ".jsonl");
}

absl::StatusOr<std::unique_ptr<JournalSink>> JournalSink::Open(
    const std::string& path, const DeviceList& devices, ResultSink* next,
    std::function<void(const std::string&)> on_failure) {
  std::unique_ptr<JournalSink> sink(new JournalSink(path, devices, next, std::move(on_failure)));
  MutexLock lock(&sink->mu_);
  sink->fd_ = open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (sink->fd_ < 0) {
    return absl::UnavailableError(absl::StrCat("--journal ", path, ": ", strerror(errno)));
  }
  // A last record whose newline never made it would run into the next one
  // (read access for that check).
  struct stat info;
  char last = '\n';
  if (fstat(sink->fd_, &info) == 0 && info.st_size > 0 &&
      pread(sink->fd_, &last, 1, info.st_size - 1) == 1 && last != '\n' &&
      !sink->WriteLocked("\n")) {
    return absl::UnavailableError(sink->failure_);
  }
  return sink;
}

JournalSink::~JournalSink() {
  MutexLock lock(&mu_);
  if (fd_ >= 0) close(fd_);
}

void JournalSink::Accept(v1::DeviceResult result) {
  std::string line = JsonlRecord(devices_[result.job_id()], result);
  std::string failed;
  {
    MutexLock lock(&mu_);
    if (!failure_.empty()) {
      ++missing_;
    } else if (!WriteLocked(line)) {
      ++missing_;
      failed = failure_;
    }
  }
  if (!failed.empty() && on_failure_) on_failure_(failed);
  next_->Accept(std::move(result));
}

bool JournalSink::WriteLocked(const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t wrote = write(fd_, data.data() + done, data.size() - done);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) {
      failure_ = absl::StrCat("journal ", path_, ": write failed: ",
                              wrote < 0 ? strerror(errno) : "no progress");
      return false;
    }
    done += static_cast<size_t>(wrote);
  }
  return true;
}

int JournalSink::missing() const {
  MutexLock lock(&mu_);
  return missing_;
}

std::string JournalSink::failure() const {
  MutexLock lock(&mu_);
  return failure_;
}

absl::StatusOr<Inventory> PickFromJournal(const Inventory& inventory, const std::string& path,
                                          JournalPick pick, bool repair_torn,
                                          std::string* repaired) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("journal ", path, ": cannot read"));
  std::map<std::string, v1::JournalEntry> last;  // "ip:port" -> its last line
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  int number = 0;
  std::string line;
  std::string torn;          // "path:line" of a line that is not a record
  std::streamoff torn_at = 0;  // where that line starts
  std::streamoff offset = 0;
  while (std::getline(in, line)) {
    ++number;
    std::streamoff starts = offset;
    offset += static_cast<std::streamoff>(line.size()) + (in.eof() ? 0 : 1);
    if (line.empty()) continue;
    if (!torn.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("journal ", torn, ": not a result record"));
    }
    v1::JournalEntry entry;
    if (!google::protobuf::util::JsonStringToMessage(line, &entry, options).ok() ||
        entry.ip().empty()) {
      torn = absl::StrCat(path, ":", number);  // acceptable only as the very last line
      torn_at = starts;
      continue;
    }
    last[absl::StrCat(entry.ip(), ":", entry.port())] = entry;
  }
  if (!torn.empty()) {
    if (!repair_torn) {
      return absl::FailedPreconditionError(absl::StrCat(
          "journal ", torn, ": the last line is torn (the coordinator stopped mid-write, or its "
          "disk filled); --repair-journal cuts it off, and its device runs again"));
    }
    in.close();
    std::error_code error;
    std::filesystem::resize_file(path, static_cast<uintmax_t>(torn_at), error);
    if (error) {
      return absl::UnavailableError(
          absl::StrCat("journal ", path, ": cannot cut off the torn line: ", error.message()));
    }
    if (repaired != nullptr) {
      *repaired = absl::StrCat("journal ", torn, ": cut off the torn last line (",
                               offset - torn_at, " bytes)");
    }
  }
  Inventory picked;
  picked.source = inventory.source;
  for (const Device& device : inventory.devices) {
    auto it = last.find(absl::StrCat(device.address, ":", device.port));
    bool run = false;
    if (pick == JournalPick::kUnfinished) {
      run = it == last.end() || it->second.error().code() == "CANCELLED";
    } else {
      run = it != last.end() && !it->second.ok();
    }
    if (run) picked.devices.push_back(device);
  }
  return picked;
}

}  // namespace netshard
