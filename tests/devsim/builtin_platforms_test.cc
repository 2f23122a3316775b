// Every platform file compiled into devsim against its own `checks`: the
// show command shows its marker, the long command is more than a page (and
// pages unless a paging command turns paging off), an unknown command is
// refused in the platform's words, and configuration lines end up in the
// configuration, then are saved.
#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/devsim/simulated_device.h"

namespace netshard::devsim {
namespace {

using ::testing::HasSubstr;

class BuiltinPlatformTest : public ::testing::TestWithParam<std::string> {
 protected:
  const SimPlatform& Platform() const { return *FindSimPlatform(GetParam()); }

  // A device of the platform at its prompt, privileged, paging off.
  SimulatedDevice Ready() const {
    DeviceProfile profile;
    profile.hostname = "sim7";
    profile.address = "127.1.0.7";
    profile.secret = "s3cret";
    profile.password = "pa55";
    profile.platform = &Platform();
    profile.tech_support_bytes = 7000;  // 88 lines
    SimulatedDevice device(profile);
    device.Greeting();
    for (const SimPlatform::LoginQuestion& question : Platform().login_questions) {
      switch (question.expects) {
        case SimPlatform::LoginQuestion::Expects::kAnyKey:
          device.Type(" ");
          break;
        case SimPlatform::LoginQuestion::Expects::kUsername:
          device.Type(profile.username + "\r");
          break;
        case SimPlatform::LoginQuestion::Expects::kPassword:
          device.Type(profile.password + "\r");
          break;
      }
    }
    if (Platform().enable && !Platform().starts_privileged) {
      device.Type(Platform().enable->command + "\r");
      if (!Platform().enable->password_prompt.empty()) device.Type("s3cret\r");
    }
    for (const std::string& command : Platform().paging) {
      device.Type(absl::StrReplaceAll(command, {{"<n>", "0"}, {"<arg>", "x"}}) + "\r");
    }
    return device;
  }
};

TEST_P(BuiltinPlatformTest, ShowCommandShowsItsMarker) {
  const SimPlatform::Checks& checks = Platform().checks;
  SimulatedDevice device = Ready();
  EXPECT_THAT(device.Type(checks.show + "\r"), HasSubstr(checks.show_marker));
  EXPECT_THAT(device.Execute(checks.show), HasSubstr(checks.show_marker));
}

TEST_P(BuiltinPlatformTest, LongCommandIsMoreThanAPage) {
  const std::string& pager = Platform().pager;
  std::string out = Ready().Type(Platform().checks.long_command + "\r");
  if (Platform().paging.empty() && !pager.empty()) {
    EXPECT_TRUE(absl::EndsWith(out, pager)) << "no paging command, so the pager stops it";
    return;
  }
  EXPECT_GT(std::count(out.begin(), out.end(), '\n'), 24);
  if (!pager.empty()) {
    EXPECT_FALSE(absl::EndsWith(out, pager)) << "paging is off";
  }
}

TEST_P(BuiltinPlatformTest, UnknownCommandIsRefused) {
  if (Platform().checks.refusal.empty()) GTEST_SKIP() << "no error words";
  EXPECT_THAT(Ready().Type("show flux\r"), HasSubstr(Platform().checks.refusal));
}

TEST_P(BuiltinPlatformTest, ConfigLinesAreAppliedAndSaved) {
  const SimPlatform::Checks& checks = Platform().checks;
  if (checks.config.empty()) GTEST_SKIP() << "no configuration check";
  const SimPlatform::Config& config = *Platform().config;
  SimulatedDevice device = Ready();
  auto save = [&] {
    if (checks.saved.empty()) return;
    std::string saved = device.Type(config.save->command + "\r");
    if (!config.save->confirm.empty()) saved += device.Type("Y\r");
    EXPECT_THAT(saved, HasSubstr(checks.saved));
  };
  bool flat = config.style == ConfigStyle::kFlat;
  std::string out = flat ? "" : device.Type(config.enter + "\r");
  for (const std::string& line : checks.config) out += device.Type(line + "\r");
  if (!config.commit.empty()) out += device.Type(config.commit + "\r");
  bool save_in_config = config.save && config.save->in_config;
  if (save_in_config) save();
  // Leaving: all at once, or a level at a time until the exec prompt.
  std::string exec_prompt =
      absl::StrReplaceAll(Platform().prompts.privileged, {{"{host}", "sim7"}, {"{user}", "cisco"}});
  const std::vector<std::string>& leave = config.exit.empty() ? config.up : config.exit;
  ASSERT_TRUE(flat || !leave.empty()) << "no way out of configuration mode";
  for (int level = 0; !flat && level < 3 && !absl::EndsWith(out, exec_prompt); ++level) {
    out += device.Type(leave.front() + "\r");
  }
  if (!checks.applied.empty()) {
    EXPECT_THAT(device.Type(config.show + "\r"), HasSubstr(checks.applied)) << out;
  }
  if (!save_in_config) save();
}

std::string Name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

INSTANTIATE_TEST_SUITE_P(EveryFile, BuiltinPlatformTest, ::testing::ValuesIn(SimPlatformNames()),
                         Name);

}  // namespace
}  // namespace netshard::devsim
