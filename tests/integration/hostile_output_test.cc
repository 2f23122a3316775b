// Output meant to hurt: a device that sends 50 MB without a newline costs
// the session linear time and bounded memory, through a real SSH session
// to devsim, and a job whose output passes its cap ends OUTPUT_TOO_LARGE
// with what came up to the cap. devsim runs as a child process, so this
// process's memory is the session's alone.
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/base/config.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/session/job_runner.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/subprocess.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;
using testing::BinDir;
using testing::ReadFile;
using testing::Subprocess;

constexpr size_t kFiftyMegabytes = 50 << 20;

// Sanitizers slow code down (TSan 20 times) and add shadow memory.
#if defined(ABSL_HAVE_ADDRESS_SANITIZER) || defined(ABSL_HAVE_THREAD_SANITIZER)
constexpr int kCpuFactor = 8;
constexpr int kMemoryFactor = 4;
#else
constexpr int kCpuFactor = 1;
constexpr int kMemoryFactor = 1;
#endif

#if defined(ABSL_HAVE_ADDRESS_SANITIZER)
// Freed memory waits in ASan's quarantine, 256 MB by default, and would be
// this process's peak; a small one leaves the session's own.
extern "C" const char* __asan_default_options() { return "quarantine_size_mb=8"; }
#endif

// A field of /proc/self/status in KiB ("VmRSS", "VmHWM").
long StatusKib(absl::string_view field) {
  for (absl::string_view line : absl::StrSplit(ReadFile("/proc/self/status"), '\n')) {
    if (absl::ConsumePrefix(&line, field) && absl::ConsumePrefix(&line, ":")) {
      long kib = -1;
      return absl::SimpleAtoi(absl::StripSuffix(absl::StripAsciiWhitespace(line), " kB"), &kib)
                 ? kib
                 : -1;
    }
  }
  return -1;
}

absl::Duration ThreadCpu() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  return absl::DurationFromTimeval(usage.ru_utime) + absl::DurationFromTimeval(usage.ru_stime);
}

class HostileOutputTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(testing::MakeTempDir());
    std::string inventory = *dir_ + "/devices.yaml";
    auto devsim = Subprocess::Start({BinDir() + "/devsim", "--count", "1", "--inventory-out",
                                     inventory},
                                    "", *dir_ + "/devsim.log");
    ASSERT_TRUE(devsim.ok()) << devsim.status();
    devsim_ = devsim->release();
    absl::Status ready = testing::WaitForFile(inventory, absl::Seconds(30));
    ASSERT_TRUE(ready.ok()) << ready << ReadFile(*dir_ + "/devsim.log");
    for (absl::string_view line : absl::StrSplit(ReadFile(inventory), '\n')) {
      line = absl::StripAsciiWhitespace(line);
      if (absl::ConsumePrefix(&line, "ip: ")) host_ = new std::string(line);
      if (absl::ConsumePrefix(&line, "port: ")) {
        ASSERT_TRUE(absl::SimpleAtoi(line, &port_));
      }
    }
    ASSERT_NE(host_, nullptr);
  }

  static void TearDownTestSuite() {
    if (devsim_ != nullptr) {
      devsim_->Signal(SIGTERM);
      absl::StatusOr<int> status = devsim_->Wait(absl::Seconds(30));
      EXPECT_TRUE(status.ok() && *status == 0) << ReadFile(*dir_ + "/devsim.log");
      delete devsim_;
    }
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete host_;
  }

  void SetUp() override {
    ASSERT_NE(host_, nullptr);
    job_.set_host(*host_);
    job_.set_port(port_);
    job_.set_platform("cisco_ios");
    job_.set_username("cisco");
    job_.set_password("cisco");
    job_.set_secret("cisco");
    spec_.set_host_key_policy(v1::HOST_KEY_OFF);
    spec_.set_step_timeout_ms(10000);
  }

  static std::string* dir_;
  static Subprocess* devsim_;
  static std::string* host_;
  static int port_;
  v1::Job job_;
  v1::RunSpec spec_;
};

std::string* HostileOutputTest::dir_ = nullptr;
Subprocess* HostileOutputTest::devsim_ = nullptr;
std::string* HostileOutputTest::host_ = nullptr;
int HostileOutputTest::port_ = 0;

// Rescanning the unterminated line at each 16 KiB read made this quadratic:
// 101 s of CPU and +155 MiB, the line held whole as it grew.
TEST_F(HostileOutputTest, FiftyMegabytesWithoutANewlineCostLinearTimeAndBoundedMemory) {
  spec_.add_commands(absl::StrCat("simulate unbroken ", kFiftyMegabytes));
  spec_.mutable_timeouts()->set_command_ms(120000);  // fails the test long before ctest would
  size_t spilled = 0;
  OutputSpill spill = [&](int, std::string data) { spilled += data.size(); };
  // Peak RSS from here on ("5": reset VmHWM to the current RSS).
  std::ofstream("/proc/self/clear_refs") << "5";
  long rss_before = StatusKib("VmRSS");
  absl::Duration cpu_before = ThreadCpu();
  v1::DeviceResult result = RunJob(spec_, job_, spill);
  absl::Duration cpu = ThreadCpu() - cpu_before;
  long peak_kib = StatusKib("VmHWM");
  ASSERT_FALSE(result.has_error()) << result.error().message();
  ASSERT_GT(rss_before, 0);
  ASSERT_GT(peak_kib, 0);
  long peak_growth_mib = (peak_kib - rss_before) >> 10;
  ASSERT_EQ(result.outputs_size(), 1);
  EXPECT_EQ(spilled + result.outputs(0).output().size(), kFiftyMegabytes);
  std::printf("50 MB without a newline: %.2f s CPU, peak RSS +%ld MiB\n",
              absl::ToDoubleSeconds(cpu), peak_growth_mib);
  // Linear: 0.3 s and +6 MiB (ASan 0.9 s, +37 MiB; TSan 5.6 s, +30 MiB).
  EXPECT_LT(cpu, absl::Seconds(3) * kCpuFactor);
  EXPECT_LT(peak_growth_mib, 24 * kMemoryFactor);
}

TEST_F(HostileOutputTest, OutputPastTheCapEndsOutputTooLargeKeepingWhatCameBefore) {
  constexpr uint64_t kCap = 1 << 20;
  spec_.set_max_output_bytes(kCap);
  spec_.add_commands("show clock");
  spec_.add_commands("simulate unbroken 5000000");
  spec_.add_commands("show version");
  v1::DeviceResult result = RunJob(spec_, job_);
  EXPECT_EQ(result.error().code(), v1::OUTPUT_TOO_LARGE) << result.error().message();
  EXPECT_EQ(result.error().stage(), v1::STAGE_COMMAND);
  EXPECT_THAT(result.error().message(), HasSubstr("cap of 1048576 bytes"));
  ASSERT_EQ(result.outputs_size(), 2);  // the third never ran
  EXPECT_FALSE(result.outputs(0).output().empty());
  // Every command's output counts, up to the cap exactly.
  EXPECT_EQ(result.outputs(0).output().size() + result.outputs(1).output().size(), kCap);
}

TEST_F(HostileOutputTest, OutputOfExactlyTheCapIsWhole) {
  spec_.set_max_output_bytes(100000);
  spec_.add_commands("simulate unbroken 100000");
  v1::DeviceResult result = RunJob(spec_, job_);
  ASSERT_FALSE(result.has_error()) << result.error().message();
  EXPECT_EQ(result.outputs(0).output().size(), 100000u);
}

TEST_F(HostileOutputTest, CoordMaxOutputSetsTheCap) {
  std::string inventory = *dir_ + "/devices.yaml";
  auto coord = Subprocess::Start({BinDir() + "/coord", "run", "-i", inventory, "--cmd",
                                  "simulate unbroken 200000", "--max-output", "64K",
                                  "--host-key-policy", "off", "--format", "jsonl", "-q",
                                  "--journal", *dir_ + "/journal.jsonl"},
                                 *dir_ + "/coord.out", *dir_ + "/coord.err");
  ASSERT_TRUE(coord.ok()) << coord.status();
  absl::StatusOr<int> status = (*coord)->Wait(absl::Seconds(60));
  ASSERT_TRUE(status.ok()) << status.status();
  std::string out = ReadFile(*dir_ + "/coord.out");
  EXPECT_NE(*status, 0) << out << ReadFile(*dir_ + "/coord.err");
  EXPECT_THAT(out, HasSubstr("OUTPUT_TOO_LARGE"));
  EXPECT_THAT(out, HasSubstr("cap of 65536 bytes"));
}

}  // namespace
}  // namespace netshard
