// parse_bench and compare_parsers.sh as a user runs them: a library path
// that is not there is an error naming it (it was an uncaught
// std::filesystem_error, rc 134), and a tiny library is benchmarked.
#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/subprocess.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;
using testing::BinDir;
using testing::ReadFile;
using testing::SourceDir;
using testing::Subprocess;

class ParseBenchTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::MakeTempDir(); }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Exit status of `argv`, its stdout in out_ and stderr in err_.
  int Run(const std::vector<std::string>& argv) {
    auto child = Subprocess::Start(argv, dir_ + "/out", dir_ + "/err");
    EXPECT_TRUE(child.ok()) << child.status();
    if (!child.ok()) return -1;
    absl::StatusOr<int> status = (*child)->Wait(absl::Seconds(30));
    EXPECT_TRUE(status.ok()) << status.status();
    out_ = ReadFile(dir_ + "/out");
    err_ = ReadFile(dir_ + "/err");
    return status.value_or(-1);
  }

  std::string dir_;
  std::string out_, err_;
};

TEST_F(ParseBenchTest, AMissingLibraryIsAnErrorNamingThePath) {
  std::string missing = dir_ + "/no-such-ntc-templates";
  EXPECT_EQ(Run({BinDir() + "/parse_bench", missing, "0"}), 2);
  EXPECT_THAT(err_, HasSubstr("parse_bench: " + missing + "/tests: no such directory"));
  std::filesystem::create_directories(missing + "/tests");  // tests/ but no templates/
  EXPECT_EQ(Run({BinDir() + "/parse_bench", missing, "0"}), 2);
  EXPECT_THAT(err_, HasSubstr(missing + "/templates/index"));
  EXPECT_EQ(Run({BinDir() + "/parse_bench", missing, "soon"}), 2);
  EXPECT_THAT(err_, HasSubstr("SECONDS: expected a number of seconds, got 'soon'"));
}

TEST_F(ParseBenchTest, CompareParsersChecksTheLibraryBeforeRunningAnything) {
  std::string missing = dir_ + "/no-such-ntc-templates";
  EXPECT_EQ(Run({"/bin/bash", SourceDir() + "/tests/bench/compare_parsers.sh", missing}), 2);
  EXPECT_THAT(err_, HasSubstr(missing + "/templates: no such directory"));
  EXPECT_EQ(out_, "");  // no half-printed table
}

TEST_F(ParseBenchTest, ParsesEveryFixtureOfATinyLibrary) {
  std::string library = dir_ + "/ntc";
  std::filesystem::create_directories(library + "/templates");
  std::filesystem::create_directories(library + "/tests/lab_os/show_ports");
  std::ofstream(library + "/templates/index")
      << "Template, Hostname, Platform, Command\n\nlab_os_show_ports.textfsm, .*, lab_os, "
         "sh[[ow]] po[[rts]]\n";
  std::ofstream(library + "/templates/lab_os_show_ports.textfsm")
      << "Value PORT (\\S+)\n\nStart\n  ^port ${PORT} -> Record\n";
  std::ofstream(library + "/tests/lab_os/show_ports/lab_os_show_ports.raw")
      << "port ge1\nport ge2\n";
  EXPECT_EQ(Run({BinDir() + "/parse_bench", library, "0.05"}), 0) << err_;
  EXPECT_THAT(out_, HasSubstr("outputs 1 passes "));
}

}  // namespace
}  // namespace netshard
