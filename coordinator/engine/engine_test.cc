// The engine as a front end drives it, in-process against a devsim fleet
// served from this test (loopback): each device's one result reaches the
// sink after the journal has it, in input order when asked; a gentle stop
// before the start cancels every device; what a run refuses, it refuses
// before any device or file is touched.
#include "coordinator/engine/engine.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "coordinator/output/collecting_sink.h"
#include "tests/devsim/devsim_server.h"
#include "tests/testing/subprocess.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;

constexpr int kDevices = 12;

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    devsim::FleetOptions fleet;
    fleet.count = kDevices;
    absl::StatusOr<std::unique_ptr<devsim::DevsimServer>> started =
        devsim::DevsimServer::Start(fleet);
    ASSERT_TRUE(started.ok()) << started.status();
    fleet_ = *std::move(started);
    dir_ = testing::MakeTempDir();
  }
  void TearDown() override {
    fleet_->Stop();
    std::filesystem::remove_all(dir_);
  }

  std::shared_ptr<const Inventory> Fleet(const std::string& device_type = "cisco_ios") {
    std::ostringstream yaml;
    yaml << "lab:\n";
    for (const devsim::SimulatedAddress& device : fleet_->devices()) {
      yaml << "- {device_type: " << device_type << ", ip: " << device.address
           << ", port: " << fleet_->port() << ", username: cisco, password: cisco}\n";
    }
    absl::StatusOr<Inventory> inventory = ParseInventory(yaml.str(), "lab.yaml", {});
    EXPECT_TRUE(inventory.ok()) << inventory.status();
    return std::make_shared<const Inventory>(*std::move(inventory));
  }

  RunOptions Options() {
    RunOptions options;
    options.spec.set_run_id("enginetest");
    options.spec.add_commands("show clock");
    options.spec.set_host_key_policy(v1::HOST_KEY_OFF);
    options.limit = 4;
    options.journal_path = dir_ + "/journal.jsonl";
    return options;
  }

  int JournalLines() {
    std::ifstream in(dir_ + "/journal.jsonl");
    int lines = 0;
    for (std::string line; std::getline(in, line);) ++lines;
    return lines;
  }

  std::unique_ptr<devsim::DevsimServer> fleet_;
  std::string dir_;
};

TEST_F(EngineTest, EveryDeviceEndsInOneResultAfterTheJournalHasIt) {
  CollectingSink sink;
  absl::StatusOr<std::unique_ptr<netshard::Run>> run = netshard::Run::Create(Fleet(), Options(), &sink);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ((*run)->size(), static_cast<size_t>(kDevices));
  (*run)->Start();
  RunSummary summary = (*run)->Wait();
  std::vector<v1::DeviceResult> results = sink.results();
  ASSERT_EQ(results.size(), static_cast<size_t>(kDevices));
  std::set<uint64_t> ids;
  for (const v1::DeviceResult& result : results) {
    ids.insert(result.job_id());
    EXPECT_FALSE(result.has_error()) << result.error().message();
    ASSERT_EQ(result.outputs_size(), 1);
    EXPECT_THAT(result.outputs(0).output(), HasSubstr("UTC"));
    EXPECT_EQ(result.agent(), "embedded");
  }
  EXPECT_EQ(ids.size(), static_cast<size_t>(kDevices));
  EXPECT_EQ(summary.journal_missing, 0);
  EXPECT_EQ(JournalLines(), kDevices);
}

TEST_F(EngineTest, InputOrderDeliversResultsInInventoryOrder) {
  CollectingSink sink;
  RunOptions options = Options();
  options.order = ResultOrder::kInput;
  options.limit = kDevices;
  absl::StatusOr<std::unique_ptr<netshard::Run>> run = netshard::Run::Create(Fleet(), options, &sink);
  ASSERT_TRUE(run.ok()) << run.status();
  (*run)->Start();
  (*run)->Wait();
  std::vector<uint64_t> want(kDevices);
  for (int i = 0; i < kDevices; ++i) want[i] = i;
  EXPECT_EQ(sink.ids(), want);
}

TEST_F(EngineTest, AStopBeforeTheStartCancelsEveryDevice) {
  CollectingSink sink;
  absl::StatusOr<std::unique_ptr<netshard::Run>> run = netshard::Run::Create(Fleet(), Options(), &sink);
  ASSERT_TRUE(run.ok()) << run.status();
  (*run)->Stop("stopped by the test");
  (*run)->Start();
  (*run)->Wait();
  ASSERT_EQ(sink.results().size(), static_cast<size_t>(kDevices));
  for (const v1::DeviceResult& result : sink.results()) {
    EXPECT_EQ(result.error().code(), v1::CANCELLED);
    EXPECT_THAT(result.error().message(), HasSubstr("stopped by the test"));
  }
  EXPECT_EQ(fleet_->peak_sessions(), 0);  // no device was touched
}

TEST_F(EngineTest, AConfigRunOnPlatformsWithoutConfigModeIsRefusedBeforeAnything) {
  CollectingSink sink;
  RunOptions options = Options();
  options.spec.add_config_lines("hostname x");
  absl::StatusOr<std::unique_ptr<netshard::Run>> run = netshard::Run::Create(Fleet("linux"), options, &sink);
  ASSERT_FALSE(run.ok());
  EXPECT_THAT(run.status().message(), HasSubstr("these devices have no configuration mode"));
  EXPECT_THAT(run.status().message(), HasSubstr("lab.yaml:2:"));
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/journal.jsonl"));
  EXPECT_TRUE(sink.results().empty());
}

}  // namespace
}  // namespace netshard
