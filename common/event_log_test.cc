#include "common/event_log.h"

#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

TEST(EventLogTest, OneLogfmtLinePerEventAtOrAboveTheLevel) {
  std::ostringstream out;
  EventLog log(&out, LogLevel::kInfo);
  log.Log(LogLevel::kDebug, "job_start", {{"device", "sim1"}});
  log.Log(LogLevel::kWarn, "job_done",
          {{"device", "sim2"}, {"code", "AUTH_FAILED"}, {"message", "said \"no\"\nagain"}, {"x", ""}});
  EXPECT_THAT(out.str(), MatchesRegex("ts=[0-9T:.-]+Z level=warn event=job_done device=sim2 "
                                      "code=AUTH_FAILED message=\"said \\\\\"no\\\\\"\\\\nagain\" "
                                      "x=\"\"\n"));
  EXPECT_FALSE(log.enabled(LogLevel::kDebug));
}

TEST(EventLogTest, ParsesLevels) {
  EXPECT_EQ(*ParseLogLevel("debug"), LogLevel::kDebug);
  EXPECT_EQ(*ParseLogLevel("error"), LogLevel::kError);
  EXPECT_THAT(ParseLogLevel("loud").status().message(), HasSubstr("expected debug, info, warn"));
}

}  // namespace
}  // namespace netshard
