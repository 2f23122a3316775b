#include "coordinator/output/journal.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "common/file_text.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

Inventory Three() {
  auto inventory = ParseInventory(
      "r:\n- {device_type: cisco_ios, username: u, name: a, ip: 127.0.0.1}\n"
      "- {device_type: cisco_ios, username: u, name: b, ip: 127.0.0.2}\n"
      "- {device_type: cisco_ios, username: u, name: c, ip: 127.0.0.3}\n",
      "devices.yaml");
  EXPECT_TRUE(inventory.ok()) << inventory.status();
  return *inventory;
}

std::string Journal(const std::string& text) {
  std::string path = ::testing::TempDir() + "/journal-" + std::to_string(getpid()) + ".jsonl";
  std::ofstream(path) << text;
  return path;
}

std::vector<std::string> Names(const absl::StatusOr<Inventory>& picked) {
  EXPECT_TRUE(picked.ok()) << picked.status();
  std::vector<std::string> names;
  if (picked.ok()) {
    for (const Device& device : picked->devices) names.push_back(device.name);
  }
  return names;
}

constexpr char kLines[] =
    R"({"name":"a","ip":"127.0.0.1","port":22,"ok":false,"error":{"code":"AUTH_FAILED"}})" "\n"
    R"({"name":"b","ip":"127.0.0.2","port":22,"ok":false,"error":{"code":"CANCELLED"}})" "\n"
    R"({"name":"a","ip":"127.0.0.1","port":22,"ok":true,"error":null})" "\n"
    R"({"name":"c","ip":"127.0.0.3","port":22,"ok":fa)";  // torn by a crash

TEST(JournalTest, ATornLastLineIsRefusedUntilRepaired) {
  std::string path = Journal(kLines);
  auto refused = PickFromJournal(Three(), path, JournalPick::kUnfinished);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(std::string(refused.status().message()),
              AllOf(HasSubstr(path + ":4: the last line is torn"), HasSubstr("--repair-journal")));

  std::string repaired;
  // a succeeded on retry; b was cancelled; c's line never finished.
  EXPECT_THAT(Names(PickFromJournal(Three(), path, JournalPick::kUnfinished,
                                    /*repair_torn=*/true, &repaired)),
              ElementsAre("b", "c"));
  EXPECT_THAT(repaired, HasSubstr(path + ":4: cut off the torn last line (46 bytes)"));
  std::string kept(kLines);
  EXPECT_EQ(ReadFileText(path).value_or(""), kept.substr(0, kept.rfind('\n') + 1));
  // Repaired, it reads cleanly.
  EXPECT_THAT(Names(PickFromJournal(Three(), path, JournalPick::kFailed)), ElementsAre("b"));
  std::remove(path.c_str());
}

class StopSink final : public ResultSink {
 public:
  void Accept(v1::DeviceResult result) override { ids.push_back(result.job_id()); }
  std::vector<uint64_t> ids;
};

v1::DeviceResult Ok(uint64_t id) {
  v1::DeviceResult result;
  result.set_job_id(id);
  return result;
}

TEST(JournalSinkTest, AFullDiskIsReportedOnceAndCountedAndResultsStillPassOn) {
  StopSink next;
  std::vector<std::string> told;
  Inventory inventory = Three();
  // /dev/full: every write fails with ENOSPC, as on a full filesystem.
  auto sink = JournalSink::Open("/dev/full", inventory.devices, &next,
                                [&](const std::string& why) { told.push_back(why); });
  ASSERT_TRUE(sink.ok()) << sink.status();
  for (uint64_t id : {0, 1, 2}) (*sink)->Accept(Ok(id));
  EXPECT_THAT(next.ids, ElementsAre(0, 1, 2));
  EXPECT_EQ((*sink)->missing(), 3);
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told[0], "journal /dev/full: write failed: No space left on device");
  EXPECT_EQ((*sink)->failure(), told[0]);
}

TEST(JournalSinkTest, WritesEveryRecordAndMendsAMissingFinalNewline) {
  std::string path = Journal(R"({"name":"a","ip":"127.0.0.1","port":22,"ok":true})");
  StopSink next;
  Inventory inventory = Three();
  {
    auto sink = JournalSink::Open(path, inventory.devices, &next);
    ASSERT_TRUE(sink.ok()) << sink.status();
    (*sink)->Accept(Ok(1));
    EXPECT_EQ((*sink)->missing(), 0);
    EXPECT_EQ((*sink)->failure(), "");
  }
  // The old record and the new one each on a line of their own.
  EXPECT_THAT(Names(PickFromJournal(Three(), path, JournalPick::kUnfinished)),
              ElementsAre("c"));
  std::remove(path.c_str());
}

TEST(JournalTest, ACorruptLineInTheMiddleIsAnErrorNamingIt) {
  std::string path = Journal(std::string("garbage\n") + kLines);
  auto picked = PickFromJournal(Three(), path, JournalPick::kUnfinished);
  ASSERT_FALSE(picked.ok());
  EXPECT_THAT(std::string(picked.status().message()),
              ::testing::HasSubstr(path + ":1: not a result record"));
  std::remove(path.c_str());
}

}  // namespace
}  // namespace netshard
