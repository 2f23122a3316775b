#include "coordinator/output/output_dir.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/device_error.h"
#include "coordinator/output/progress_line.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class OutputDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("netshard-output-dir-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

Device Named(const std::string& name) {
  Device device;
  device.name = name;
  device.address = "127.0.0.1";
  device.port = 22;
  return device;
}

TEST_F(OutputDirTest, BackupIsTheOutputAndAFailureNeverOverwritesIt) {
  v1::DeviceResult ok;
  ok.add_outputs()->set_output("hostname r1\nend");
  ASSERT_TRUE(WriteDeviceFiles(dir_, Named("r1"), ok).ok());
  EXPECT_EQ(Read(dir_ + "/r1.txt"), "hostname r1\nend\n");

  v1::DeviceResult failed;
  *failed.mutable_error() =
      ToDeviceError(DeviceFailure(v1::CONNECT_TIMEOUT, v1::STAGE_CONNECT, "no answer"));
  auto written = WriteDeviceFiles(dir_, Named("r1"), failed);
  ASSERT_TRUE(written.ok());
  EXPECT_EQ(*written, dir_ + "/r1.error");
  EXPECT_EQ(Read(dir_ + "/r1.error"), "CONNECT_TIMEOUT at CONNECT: no answer\n");
  EXPECT_EQ(Read(dir_ + "/r1.txt"), "hostname r1\nend\n");  // the good backup stays

  ASSERT_TRUE(WriteDeviceFiles(dir_, Named("r1"), ok).ok());
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/r1.error"));  // stale error gone
}

TEST_F(OutputDirTest, SeveralCommandsGetHeadersAndNamesAreSafe) {
  v1::DeviceResult result;
  result.add_outputs()->set_command("sh clock");
  result.mutable_outputs(0)->set_output("12:00");
  result.add_outputs()->set_command("sh ver");
  result.mutable_outputs(1)->set_output("IOS\n");
  ASSERT_TRUE(WriteDeviceFiles(dir_, Named("../etc/pass wd"), result).ok());
  EXPECT_EQ(Read(dir_ + "/.._etc_pass_wd.txt"), "--- sh clock\n12:00\n--- sh ver\nIOS\n");
  EXPECT_EQ(DeviceFileName(Named("..")), "127.0.0.1_22");
}

TEST(ProgressLineTest, TextHasCountsRateAndEta) {
  EXPECT_EQ(ProgressText(100, 1000, 95, 5, absl::Seconds(2)),
            "[100/1000] 95 ok, 5 failed, 50/s, ETA 18 s");
  EXPECT_EQ(ProgressText(1000, 1000, 1000, 0, absl::Seconds(4)), "[1000/1000] 1000 ok, 0 failed, 250/s");
  std::ostringstream err;
  ProgressLine off(&err, 10, /*enabled=*/false);
  off.Update(1, 1, 0);
  EXPECT_EQ(err.str(), "");
  ProgressLine on(&err, 10, /*enabled=*/true);
  on.Update(1, 1, 0);
  EXPECT_THAT(err.str(), ::testing::StartsWith("\r\x1b[K[1/10] 1 ok, 0 failed"));
  on.Wipe();
  EXPECT_THAT(err.str(), ::testing::EndsWith("\r\x1b[K"));
}

}  // namespace
}  // namespace netshard
