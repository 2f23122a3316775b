// device_type autodetect against every devsim platform: the session logs in
// knowing nothing, finds the platform from the detect commands' answers,
// then drives the device as that platform (paging, enable, commands).
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/file_text.h"
#include "common/device_error.h"
#include "common/session/job_runner.h"
#include "common/platform/platform_set.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/devsim/devsim_server.h"
#include "tests/devsim/sim_platform.h"
#include "tests/integration/devsim_job.h"
#include "tests/testing/subprocess.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;

// Devsim platforms whose netshard platform says how to detect it.
const std::vector<std::string>& Detectable() {
  static const auto* names = [] {
    auto* out = new std::vector<std::string>;
    for (const std::string& name : devsim::SimPlatformNames()) {
      const Platform* platform = FindPlatform(name);
      if (platform != nullptr && !platform->detect_commands.empty() &&
          !devsim::FindSimPlatform(name)->checks.show.empty()) {
        out->push_back(name);
      }
    }
    return out;
  }();
  return *names;
}

class AutodetectTest : public ::testing::TestWithParam<std::string> {
 protected:
  // Device i+1 is Detectable()[i]; the last one answers no detect command.
  static void SetUpTestSuite() {
    std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / "mystery_platform";
    std::filesystem::create_directories(dir);
    std::optional<std::string> ios = ReadFileText(
        absl::StrCat(testing::SourceDir(), "/tests/devsim/platforms/cisco_ios.yaml"));
    ASSERT_TRUE(ios.has_value());
    std::ofstream(dir / "mystery.yaml") << absl::StrReplaceAll(
        *ios, {{"name: cisco_ios", "name: mystery"}, {"\"show version\":", "\"show mystery\":"}});
    absl::Status added = devsim::AddSimPlatformDir(dir.string());
    ASSERT_TRUE(added.ok()) << added;
    std::string config = "devices:\n";
    const std::vector<std::string>& names = Detectable();
    for (size_t i = 0; i <= names.size(); ++i) {
      absl::StrAppend(&config, "- index: ", i + 1,
                      "\n  platform: ", i < names.size() ? names[i] : "mystery", "\n");
    }
    auto parsed = devsim::ParseFleetConfig(config, "test");
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    devsim::FleetOptions fleet;
    fleet.count = static_cast<int>(names.size()) + 1;
    fleet.config = *parsed;
    auto server = devsim::DevsimServer::Start(fleet);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
  }
  static void TearDownTestSuite() { delete server_; }

  static v1::Job Job(size_t index) { return DevsimJob(*server_, index, "autodetect"); }
  static v1::RunSpec Spec() { return DevsimSpec(); }

  static devsim::DevsimServer* server_;
};

devsim::DevsimServer* AutodetectTest::server_ = nullptr;

TEST_P(AutodetectTest, FindsThePlatformThenDrivesTheDeviceAsIt) {
  const std::vector<std::string>& names = Detectable();
  size_t index = std::find(names.begin(), names.end(), GetParam()) - names.begin();
  const devsim::SimPlatform& sim = *devsim::FindSimPlatform(GetParam());
  v1::RunSpec spec = Spec();
  spec.add_commands(sim.checks.show);
  v1::DeviceResult result = RunJob(spec, Job(index));
  ASSERT_FALSE(result.has_error()) << result.error().message();
  EXPECT_EQ(result.platform(), GetParam());
  ASSERT_EQ(result.outputs_size(), 1);
  EXPECT_THAT(result.outputs(0).output(), HasSubstr(sim.checks.show_marker));

  v1::RunSpec detect = Spec();
  detect.set_detect_only(true);
  result = RunJob(detect, Job(index));
  ASSERT_FALSE(result.has_error()) << result.error().message();
  EXPECT_EQ(result.platform(), GetParam());
  EXPECT_EQ(result.outputs_size(), 0);
}

INSTANTIATE_TEST_SUITE_P(EveryDetectablePlatform, AutodetectTest,
                         ::testing::ValuesIn(Detectable()),
                         [](const auto& info) { return info.param; });

TEST_F(AutodetectTest, ADeviceNothingMatchesEndsNamingWhatWasTried) {
  v1::RunSpec spec = Spec();
  spec.set_detect_only(true);
  v1::DeviceResult result = RunJob(spec, Job(Detectable().size()));  // mystery
  EXPECT_EQ(result.error().code(), v1::PLATFORM_NOT_DETECTED);
  EXPECT_EQ(result.error().stage(), v1::STAGE_DETECT);
  EXPECT_THAT(result.error().message(), HasSubstr("'show version'"));
  EXPECT_THAT(result.error().message(), HasSubstr("'uname -a'"));
}

TEST_F(AutodetectTest, TheRunsOwnDefinitionsDecide) {
  // A coordinator's definitions travel in the spec and rule over the
  // agent's built-ins: only its definitions are the candidates.
  v1::RunSpec spec = Spec();
  spec.set_detect_only(true);
  v1::PlatformDefinition* mine = spec.add_platforms();
  mine->set_source("mine.yaml");
  mine->set_text(
      "name: lab_ios\nvendor: Lab\nprompt: {terminators: '>#'}\npaging: ['terminal length 0']\n"
      "detect: {commands: ['show version'], patterns: ['Cisco IOS Software'], priority: 99}\n");
  size_t ios = std::find(Detectable().begin(), Detectable().end(), "cisco_ios") - Detectable().begin();
  ASSERT_LT(ios, Detectable().size());
  v1::DeviceResult result = RunJob(spec, Job(ios));
  ASSERT_FALSE(result.has_error()) << result.error().message();
  EXPECT_EQ(result.platform(), "lab_ios");
}

}  // namespace
}  // namespace netshard
