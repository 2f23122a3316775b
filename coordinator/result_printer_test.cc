#include "coordinator/result_printer.h"

#include <sstream>

#include "common/device_error.h"
#include "coordinator/json_string.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Device R1() {
  Device device;
  device.name = "r1";
  device.address = "127.0.0.1";
  device.port = 2222;
  device.device_type = "cisco_ios";
  device.password = "Sup3rS3cret";
  device.secret = "En4bleS3cret";
  return device;
}

v1::DeviceResult Success() {
  v1::DeviceResult result;
  v1::CommandOutput* out = result.add_outputs();
  out->set_command("sh clock");
  out->set_output("*10:00:00.000 UTC");
  result.set_agent("a1");
  result.set_elapsed_ms(12);
  return result;
}

v1::DeviceResult AuthFailure() {
  v1::DeviceResult result;
  *result.mutable_error() = ToDeviceError(DeviceFailure(
      v1::AUTH_FAILED, v1::STAGE_AUTH, "authentication failed for user 'cisco'"));
  result.set_elapsed_ms(5);
  return result;
}

std::string Json(absl::string_view text) {
  std::string out;
  AppendJsonString(&out, text);
  return out;
}

TEST(ResultPrinterTest, JsonlSuccessHasTheContractFields) {
  EXPECT_EQ(JsonlRecord(R1(), Success()),
            R"({"name":"r1","ip":"127.0.0.1","port":2222,"device_type":"cisco_ios","ok":true,)"
            R"("outputs":[{"command":"sh clock","output":"*10:00:00.000 UTC","rejected":false}],)" R"("error":null,)"
            R"("agent":"a1","elapsed_ms":12})"
            "\n");
}

TEST(ResultPrinterTest, JsonlFailureHasTypedError) {
  EXPECT_THAT(JsonlRecord(R1(), AuthFailure()),
              HasSubstr(R"("ok":false,"outputs":[],"error":{"code":"AUTH_FAILED","stage":"AUTH",)"
                        R"("message":"authentication failed for user 'cisco'"})"));
}

TEST(ResultPrinterTest, NeverPrintsSecrets) {
  for (const auto& result : {Success(), AuthFailure()}) {
    for (const std::string& record : {JsonlRecord(R1(), result), TextRecord(R1(), result)}) {
      EXPECT_THAT(record, Not(HasSubstr("Sup3rS3cret")));
      EXPECT_THAT(record, Not(HasSubstr("En4bleS3cret")));
    }
  }
}

TEST(ResultPrinterTest, JsonEscapesControlAndInvalidUtf8) {
  EXPECT_EQ(Json("a\"b\\c\nd\te\x01"), R"("a\"b\\c\nd\te\u0001")");
  EXPECT_EQ(Json("caf\xc3\xa9"), "\"caf\xc3\xa9\"");  // valid UTF-8 kept
  EXPECT_EQ(Json("\xff\xc3"), R"("\u00ff\u00c3")");  // invalid bytes mapped
  EXPECT_EQ(Json("\xed\xa0\x80"), R"("\u00ed\u00a0\u0080")");  // surrogate
  EXPECT_EQ(Json("\xc0\xaf"), R"("\u00c0\u00af")");  // overlong
}

TEST(ResultPrinterTest, TextMarksErrorsAndShowsEachCommand) {
  EXPECT_EQ(TextRecord(R1(), Success()),
            "=== r1 (127.0.0.1:2222) ok, 12 ms via a1\n--- sh clock\n*10:00:00.000 UTC\n");
  EXPECT_EQ(TextRecord(R1(), AuthFailure()),
            "=== r1 (127.0.0.1:2222) FAILED, 5 ms\n"
            "!!! AUTH_FAILED at AUTH: authentication failed for user 'cisco'\n");
  v1::DeviceResult refused = Success();
  refused.mutable_outputs(0)->set_rejected(true);
  EXPECT_THAT(TextRecord(R1(), refused), HasSubstr("--- sh clock  [rejected]\n"));
  EXPECT_THAT(JsonlRecord(R1(), refused), HasSubstr(R"("rejected":true)"));
}

TEST(ResultPrinterTest, CountsAndSummarises) {
  std::vector<Device> devices = {R1(), R1()};
  std::ostringstream out;
  ResultPrinter printer(devices, OutputFormat::kText, &out);
  v1::DeviceResult failed = AuthFailure();
  failed.set_job_id(1);
  printer.Accept(Success());
  printer.Accept(failed);
  RunCounts counts = printer.counts();
  EXPECT_EQ(counts.ok, 1);
  EXPECT_EQ(counts.failed, 1);
  EXPECT_EQ(SummaryLine(counts, absl::Milliseconds(1234)),
            "2 devices: 1 ok, 1 failed (AUTH_FAILED 1) in 1.23 s");
  EXPECT_THAT(out.str(), HasSubstr("=== r1"));
}

}  // namespace
}  // namespace netshard
