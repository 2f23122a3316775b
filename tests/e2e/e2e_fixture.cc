#include "tests/e2e/e2e_fixture.h"

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/grpcpp.h"
#include "tests/testing/loopback.h"

namespace netshard {

using ::testing::HasSubstr;
using testing::BinDir;
using testing::JsonlRecord;
using testing::ReadFile;
using testing::Subprocess;

std::vector<Record> ParseJsonl(const std::string& text) {
  std::vector<Record> records;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    JsonlRecord parsed;
    auto status = google::protobuf::util::JsonStringToMessage(std::string(line), &parsed);
    if (!status.ok()) {
      ADD_FAILURE() << "not a jsonl record (" << status.ToString() << "): " << line;
      continue;
    }
    EXPECT_TRUE(absl::StrContains(line, "\"error\":")) << line;
    EXPECT_FALSE(parsed.ip().empty());
    EXPECT_GT(parsed.port(), 0u);
    Record record;
    record.name = parsed.name();
    record.ok = parsed.ok();
    record.agent = parsed.agent();
    record.platform = parsed.platform();
    record.code = parsed.error().code();
    EXPECT_EQ(record.ok, !parsed.has_error()) << line;
    if (parsed.outputs_size() > 0) record.output = parsed.outputs(0).output();
    record.message = parsed.error().message();
    record.outputs.assign(parsed.outputs().begin(), parsed.outputs().end());
    records.push_back(record);
  }
  return records;
}

std::string LoopbackAddress() { return absl::StrCat("127.0.0.1:", testing::FreeLoopbackPort()); }

std::unique_ptr<Subprocess> StartDevsim(const std::string& dir, const std::string& name,
                                        const std::vector<std::string>& args) {
  std::string inventory = dir + "/" + name + ".yaml";
  // Its appearance is devsim's "ready": a file already there would fake it.
  if (std::filesystem::exists(inventory)) {
    ADD_FAILURE() << inventory << " exists before devsim wrote it (a config of the same name?)";
    return nullptr;
  }
  std::vector<std::string> argv = {BinDir() + "/devsim", "--inventory-out", inventory};
  argv.insert(argv.end(), args.begin(), args.end());
  auto devsim = Subprocess::Start(argv, "", dir + "/" + name + ".log");
  EXPECT_TRUE(devsim.ok()) << devsim.status();
  if (!devsim.ok()) return nullptr;
  absl::Status ready = testing::WaitForFile(inventory, absl::Seconds(30));
  EXPECT_TRUE(ready.ok()) << ready << ReadFile(dir + "/" + name + ".log");
  return ready.ok() ? *std::move(devsim) : nullptr;
}

long PeakRssKib(int pid) {
  std::string status = ReadFile(absl::StrCat("/proc/", pid, "/status"));
  size_t at = status.find("VmHWM:");
  long kib = -1;
  if (at != std::string::npos) kib = std::strtol(status.c_str() + at + 6, nullptr, 10);
  return kib;
}

void E2eFixture::SetUp() {
  dir_ = testing::MakeTempDir();
  // coord's default journal goes under here, not the user's home.
  setenv("XDG_STATE_HOME", dir_.c_str(), 1);
  devsim_ = StartDevsim(dir_, "devices", {"--count", absl::StrCat(kDevices), "--latency-ms", "20"});
  ASSERT_TRUE(devsim_ != nullptr);
  // One device gets a wrong password: the inventory is the user's to edit.
  std::string inventory = ReadFile(dir_ + "/devices.yaml");
  std::vector<std::string> lines = absl::StrSplit(inventory, '\n');
  int seen = -1;
  for (std::string& line : lines) {
    if (line.rfind("- device_type:", 0) == 0) ++seen;
    if (seen == kWrongPasswordDevice && line == "  password: cisco") line = "  password: wrong";
  }
  std::ofstream(dir_ + "/fleet.yaml") << absl::StrJoin(lines, "\n");
}

void E2eFixture::TearDown() {
  // devsim stops cleanly on SIGTERM; a sanitizer report would make it fail.
  if (devsim_ != nullptr) {
    devsim_->Signal(SIGTERM);
    absl::StatusOr<int> status = devsim_->Wait(absl::Seconds(30));
    EXPECT_TRUE(status.ok() && *status == 0) << ReadFile(dir_ + "/devices.log");
  }
  // What the programs said, for a failure seen only in CI (a sanitizer's
  // report goes to the failing program's stderr, in this directory).
  if (HasFailure()) {
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(dir_, error)) {
      std::string name = entry.path().filename().string();
      if (!absl::EndsWith(name, ".err") && !absl::EndsWith(name, ".log")) continue;
      std::string text = ReadFile(entry.path().string());
      if (text.size() > 16384) text = "..." + text.substr(text.size() - 16384);
      std::cerr << "--- " << name << " ---\n" << text << "\n";
    }
  }
  std::filesystem::remove_all(dir_);
}

std::unique_ptr<Subprocess> E2eFixture::StartAgent(const std::string& address,
                                                 const std::string& log,
                                                 const std::string& workers,
                                                 const std::vector<std::string>& extra) {
  std::vector<std::string> argv = {BinDir() + "/agent", "--listen", address, "--workers",
                                   workers, "--name", log, "--known-hosts",
                                   dir_ + "/" + log + ".known"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  auto agent = Subprocess::Start(argv, "", dir_ + "/" + log + ".log");
  EXPECT_TRUE(agent.ok()) << agent.status();
  auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  EXPECT_TRUE(channel->WaitForConnected(absl::ToChronoTime(absl::Now() + absl::Seconds(30))))
      << "agent at " << address << " never came up: " << ReadFile(dir_ + "/" + log + ".log");
  return agent.ok() ? *std::move(agent) : nullptr;
}

std::unique_ptr<Subprocess> E2eFixture::StartCoord(const std::vector<std::string>& args,
                                                 const std::string& out, const std::string& err) {
  std::vector<std::string> argv = {BinDir() + "/coord"};
  argv.insert(argv.end(), args.begin(), args.end());
  if (args.size() > 1 && args[0] == "run") {
    argv.insert(argv.end(), {"--known-hosts", dir_ + "/known_hosts"});
  }
  auto coord = Subprocess::Start(argv, dir_ + "/" + out, dir_ + "/" + err);
  EXPECT_TRUE(coord.ok()) << coord.status();
  return coord.ok() ? *std::move(coord) : nullptr;
}

int E2eFixture::Coord(const std::vector<std::string>& args, const std::string& out) {
  std::unique_ptr<Subprocess> coord = StartCoord(args, out);
  if (coord == nullptr) return -1;
  absl::StatusOr<int> status = coord->Wait(absl::Seconds(120));
  EXPECT_TRUE(status.ok()) << status.status();
  return status.ok() ? *status : -1;
}

void E2eFixture::ExpectFleetResults(const std::vector<Record>& records, bool input_order) {
  ASSERT_EQ(records.size(), static_cast<size_t>(kDevices)) << ReadFile(dir_ + "/coord.err");
  std::set<std::string> names;
  int ok = 0;
  for (int i = 0; i < kDevices; ++i) {
    const Record& record = records[i];
    names.insert(record.name);
    if (input_order) {
      EXPECT_EQ(record.name, absl::StrCat("sim", i + 1));
    }
    if (record.name == absl::StrCat("sim", kWrongPasswordDevice + 1)) {
      EXPECT_FALSE(record.ok);
      EXPECT_EQ(record.code, "AUTH_FAILED");
    } else {
      EXPECT_TRUE(record.ok) << record.name << " " << record.code;
      EXPECT_THAT(record.output, HasSubstr(" UTC "));
      ok += record.ok;
    }
  }
  EXPECT_EQ(names.size(), static_cast<size_t>(kDevices));  // no device twice
  EXPECT_EQ(ok, kDevices - 1);
}

}  // namespace netshard
