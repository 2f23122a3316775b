#include "coordinator/output/detected_inventory.h"

#include <filesystem>

#include "common/file_text.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class Discard final : public ResultSink {
 public:
  void Accept(v1::DeviceResult) override { ++seen; }
  int seen = 0;
};

TEST(DetectedInventoryTest, WritesTheDevicesWithWhatWasFoundAndNoCredentials) {
  absl::StatusOr<Inventory> inventory = ParseInventory(
      "core:\n- device_type: autodetect\n  ip: 10.0.0.1\n  username: ops\n  password: s3cret-pass\n"
      "  secret: en4ble-secret\n  segment: msk\n"
      "edge:\n- device_type: autodetect\n  host: sw2.lab\n  port: 2022\n  username: ops\n"
      "  password: s3cret-pass\n- device_type: cisco_ios\n  ip: 10.0.0.3\n  username: ops\n",
      "devices.yaml");
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  Discard next;
  DetectedInventory detected(inventory->devices, inventory->source, &next);
  v1::DeviceResult found;
  found.set_job_id(0);
  found.set_platform("huawei");
  detected.Accept(found);
  v1::DeviceResult failed;
  failed.set_job_id(1);
  failed.mutable_error()->set_code(v1::PLATFORM_NOT_DETECTED);
  failed.mutable_error()->set_message("no platform matched");
  detected.Accept(failed);
  EXPECT_EQ(next.seen, 2);

  std::string path = ::testing::TempDir() + "/detected.yaml";
  ASSERT_TRUE(detected.Write(path).ok());
  std::string text = ReadFileText(path).value_or("");
  EXPECT_THAT(text, HasSubstr("from devices.yaml"));
  EXPECT_THAT(text, Not(HasSubstr("s3cret-pass")));
  EXPECT_THAT(text, Not(HasSubstr("en4ble-secret")));
  EXPECT_THAT(text, HasSubstr("# not detected: no platform matched"));
  EXPECT_THAT(text, HasSubstr("# not run"));  // the third never reported

  absl::StatusOr<Inventory> back = ParseInventory(text, path);
  ASSERT_TRUE(back.ok()) << back.status() << "\n" << text;
  ASSERT_EQ(back->devices.size(), 3u);
  EXPECT_EQ(back->devices[0].device_type, "huawei");
  EXPECT_EQ(back->devices[0].group, "core");
  EXPECT_EQ(back->devices[0].username, "ops");
  EXPECT_EQ(back->devices[0].segment, "msk");
  EXPECT_EQ(back->devices[1].device_type, "autodetect");
  EXPECT_EQ(back->devices[1].address, "sw2.lab");
  EXPECT_EQ(back->devices[1].port, 2022);
  EXPECT_EQ(back->devices[2].device_type, "cisco_ios");
  EXPECT_EQ(back->devices[2].group, "edge");
}

TEST(DetectedInventoryTest, AFileThatCannotBeWrittenIsAnError) {
  Discard next;
  DeviceList none;
  DetectedInventory detected(none, "x.yaml", &next);
  EXPECT_THAT(detected.Write("/nonexistent-dir/out.yaml").message(), HasSubstr("cannot write"));
}

}  // namespace
}  // namespace netshard
