#include "coordinator/output/result_printer.h"

#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/device_error.h"
#include "coordinator/output/json_string.h"
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
  DeviceList devices = {R1(), R1()};
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

TEST(ResultPrinterTest, SummaryNamesTheSlowestDevicesOfALargerRun) {
  DeviceList devices;
  for (int i = 0; i < 8; ++i) {
    devices.push_back(R1());
    devices.back().name = absl::StrCat("r", i);
  }
  std::ostringstream out;
  ResultPrinter printer(devices, OutputFormat::kText, &out);
  for (int i = 0; i < 8; ++i) {
    v1::DeviceResult result = Success();
    result.set_job_id(i);
    result.set_elapsed_ms((i * 37) % 8 * 1000 + 10);  // r0 fastest, r3 slowest
    printer.Accept(result);
  }
  EXPECT_EQ(SummaryLine(printer.counts(), absl::Seconds(2)),
            "8 devices: 8 ok, 0 failed in 2.00 s\n"
            "slowest: r3 7.01 s, r6 6.01 s, r1 5.01 s, r4 4.01 s, r7 3.01 s");
}

TEST(ResultPrinterTest, JsonIsOneObjectKeyedByDeviceName) {
  // Names are unique: the inventory refuses a second device of one name.
  DeviceList devices = {R1(), R1(), R1()};
  devices[0].name = "a";
  devices[1].name = "b";
  devices[2].name = "c";
  devices[2].port = 2223;
  std::ostringstream out;
  ResultPrinter printer(devices, WithFormat(OutputFormat::kJson), &out, nullptr);
  for (int i : {1, 0, 2}) {
    v1::DeviceResult result = Success();
    result.set_job_id(i);
    printer.Accept(result);
  }
  printer.Finish();
  std::string json = out.str();
  EXPECT_THAT(json, ::testing::StartsWith("{\n  \"b\": {\"name\":\"b\""));
  EXPECT_THAT(json, HasSubstr(",\n  \"a\": {\"name\":\"a\""));
  EXPECT_THAT(json, HasSubstr(",\n  \"c\": {"));
  EXPECT_THAT(json, ::testing::EndsWith("}\n}\n"));
  std::ostringstream empty;
  ResultPrinter(devices, WithFormat(OutputFormat::kJson), &empty, nullptr).Finish();
  EXPECT_EQ(empty.str(), "{}\n");
}

TEST(ResultPrinterTest, GatherShowsIdenticalOutputsOnce) {
  DeviceList devices(5, R1());
  for (int i = 0; i < 5; ++i) devices[i].name = absl::StrCat("sim", i + 1);
  std::ostringstream out;
  PrintOptions options;
  options.gather = true;
  ResultPrinter printer(devices, options, &out, nullptr);
  for (int i = 0; i < 5; ++i) {
    v1::DeviceResult result = i == 3 ? AuthFailure() : Success();
    result.set_job_id(i);
    printer.Accept(result);
  }
  EXPECT_EQ(out.str(), "");  // gathered output waits for the end
  printer.Finish();
  EXPECT_EQ(out.str(),
            "=== sim[1-3,5] (4)\n--- sh clock\n*10:00:00.000 UTC\n"
            "=== sim4 (1)\n!!! AUTH_FAILED at AUTH: authentication failed for user 'cisco'\n");
}

TEST(ResultPrinterTest, FoldNamesMakesRanges) {
  EXPECT_EQ(FoldNames({"sim3", "sim1", "sim2", "sim5", "core"}), "core,sim[1-3,5]");
  EXPECT_EQ(FoldNames({"r01", "r02", "r10"}), "r10,r[01-02]");
  EXPECT_EQ(FoldNames({"a", "b1"}), "a,b1");
}

}  // namespace
}  // namespace netshard
