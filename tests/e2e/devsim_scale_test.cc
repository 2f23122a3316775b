// Scale, as the issue sets it: 10,000 simulated devices in one devsim
// process on this 2-core class of machine, 2,000 SSH sessions open at once,
// memory per open session measured and printed. Real coord and devsim
// processes; labelled `scale` and left out of sanitizer runs, where the
// same code already runs at 1,000 sessions (run_e2e_test).
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <cstdlib>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/subprocess.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;
using testing::BinDir;
using testing::ReadFile;
using testing::Subprocess;

TEST(DevsimScaleTest, TenThousandDevicesTwoThousandSessionsAtOnce) {
  std::string dir = testing::MakeTempDir();
  // The first 2,000 devices take 10 s over their show command, so with
  // --limit 2000 all their sessions are open together; the other 8,000
  // answer at once.
  std::ofstream(dir + "/fleet.yaml") << "devices:\n- index: 1-2000\n  command_delay_ms: 10000\n";
  auto devsim = Subprocess::Start({BinDir() + "/devsim", "--count", "10000", "--config",
                                   dir + "/fleet.yaml", "--first-address", "127.8.0.1",
                                   "--inventory-out", dir + "/devices.yaml"},
                                  "", dir + "/devsim.log");
  ASSERT_TRUE(devsim.ok()) << devsim.status();
  ASSERT_TRUE(testing::WaitForFile(dir + "/devices.yaml", absl::Seconds(60)).ok())
      << ReadFile(dir + "/devsim.log");
  absl::Time start = absl::Now();
  auto coord = Subprocess::Start({BinDir() + "/coord", "run", "-i", dir + "/devices.yaml",
                                  "--cmd", "sh clock", "--limit", "2000", "--timeout", "120",
                                  "--order", "input", "--known-hosts", dir + "/known_hosts"},
                                 dir + "/coord.out", dir + "/coord.err");
  ASSERT_TRUE(coord.ok());
  absl::StatusOr<int> status = (*coord)->Wait(absl::Seconds(600));
  ASSERT_TRUE(status.ok()) << status.status();
  absl::Duration wall = absl::Now() - start;
  EXPECT_EQ(*status, 0) << ReadFile(dir + "/coord.err");
  EXPECT_THAT(ReadFile(dir + "/coord.out"), HasSubstr("10000 devices: 10000 ok, 0 failed"));
  (*devsim)->Signal(SIGTERM);
  EXPECT_EQ(*(*devsim)->Wait(absl::Seconds(120)), 0);
  std::string log = ReadFile(dir + "/devsim.log");
  // At least 2,000 (coord's limit); a few more when devsim's count of
  // closing sessions lags the new ones coord opens in their place.
  size_t at = log.find("peak concurrent sessions ");
  ASSERT_NE(at, std::string::npos) << log;
  EXPECT_GE(std::atoi(log.c_str() + at + 25), 2000) << log;
  EXPECT_THAT(log, HasSubstr(" KiB per open session"));
  std::cout << log << "coord: 10000 devices, 2000 at once, in " << absl::FormatDuration(wall)
            << "\n";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace netshard
