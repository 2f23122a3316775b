#include "coordinator/journal.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

using ::testing::ElementsAre;

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

TEST(JournalTest, LastLineWinsAndATornTailIsIgnored) {
  std::string path = Journal(kLines);
  // a succeeded on retry; b was cancelled; c's line never finished.
  EXPECT_THAT(Names(PickFromJournal(Three(), path, JournalPick::kUnfinished)),
              ElementsAre("b", "c"));
  EXPECT_THAT(Names(PickFromJournal(Three(), path, JournalPick::kFailed)), ElementsAre("b"));
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
