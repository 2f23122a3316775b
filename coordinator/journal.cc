#include "coordinator/journal.h"

#include <cstdlib>
#include <filesystem>
#include <map>

#include "absl/strings/str_cat.h"
#include "coordinator/result_printer.h"
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

absl::StatusOr<std::unique_ptr<JournalSink>> JournalSink::Open(const std::string& path,
                                                               const std::vector<Device>& devices,
                                                               ResultSink* next) {
  std::unique_ptr<JournalSink> sink(new JournalSink(devices, next));
  MutexLock lock(&sink->mu_);
  sink->out_.open(path, std::ios::app | std::ios::binary);
  if (!sink->out_) return absl::UnavailableError(absl::StrCat("--journal ", path, ": cannot write"));
  return sink;
}

void JournalSink::Accept(v1::DeviceResult result) {
  std::string line = JsonlRecord(devices_[result.job_id()], result);
  {
    MutexLock lock(&mu_);
    out_ << line;
    out_.flush();
  }
  next_->Accept(std::move(result));
}

absl::StatusOr<Inventory> PickFromJournal(const Inventory& inventory, const std::string& path,
                                          JournalPick pick) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("journal ", path, ": cannot read"));
  std::map<std::string, v1::JournalEntry> last;  // "ip:port" -> its last line
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  int number = 0;
  std::string line;
  std::string torn;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    if (!torn.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("journal ", torn, ": not a result record"));
    }
    v1::JournalEntry entry;
    if (!google::protobuf::util::JsonStringToMessage(line, &entry, options).ok() ||
        entry.ip().empty()) {
      torn = absl::StrCat(path, ":", number);  // fine only as the very last line
      continue;
    }
    last[absl::StrCat(entry.ip(), ":", entry.port())] = entry;
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
