#include "coordinator/cli/parse_command.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;

class ParseCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char name[] = "/tmp/parse_command_test.XXXXXX";
    dir_ = mkdtemp(name);
    std::ofstream(dir_ + "/index") << "Template, Hostname, Platform, Command\n\n"
                                   << "lab_show_ports.textfsm, .*, lab_os, sh[[ow]] po[[rts]]\n";
    std::ofstream(dir_ + "/lab_show_ports.textfsm")
        << "Value Key PORT (\\S+)\nValue STATE (up|down)\nValue List VLANS (\\d+)\n\n"
           "Start\n  ^port ${PORT} ${STATE} -> Continue\n  ^.* vlans? ${VLANS} -> Continue\n"
           "  ^.* vlans? \\d+,${VLANS} -> Record\n  ^fault -> Error \"device fault\"\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  int Run(ParseFlags flags, const std::string& input, EnvLookup env = nullptr,
          const std::string& data_dir = "") {
    std::istringstream in(input);
    out_.str("");
    err_.str("");
    if (!env) env = [](const std::string&) { return std::nullopt; };
    return ParseCommand(flags, in, out_, err_, env, data_dir);
  }

  std::string dir_;
  std::ostringstream out_, err_;
};

TEST_F(ParseCommandTest, TheIndexPicksTheTemplateByPlatformAndAbbreviatedCommand) {
  ParseFlags flags{"lab_os", "sh po", dir_, ""};
  EXPECT_EQ(Run(flags, "port ge1 up vlans 10,20\nport ge2 down vlan 5,6\n"), 0) << err_.str();
  EXPECT_EQ(out_.str(),
            "[{\"port\":\"ge1\",\"state\":\"up\",\"vlans\":[\"10\",\"20\"]},"
            "{\"port\":\"ge2\",\"state\":\"down\",\"vlans\":[\"5\",\"6\"]}]\n");
  // The library from the environment when --templates is not given.
  flags.templates.clear();
  EXPECT_EQ(Run(flags, "port ge1 up vlans 1,2\n",
                [&](const std::string& name) -> std::optional<std::string> {
                  if (name == "NETSHARD_TEMPLATES") return dir_;
                  return std::nullopt;
                }),
            0)
      << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("\"ge1\""));
}

TEST_F(ParseCommandTest, AnInstalledProgramDefaultsToTheTemplatesInItsDataDir) {
  // dir_ stands for <prefix>/share/netshard; its templates/ has no index yet.
  std::filesystem::create_directory(dir_ + "/templates");
  ParseFlags flags{"lab_os", "sh po", "", ""};
  EXPECT_EQ(Run(flags, "port ge1 up vlans 1,2\n", nullptr, dir_), 2);
  EXPECT_THAT(err_.str(), HasSubstr(", or put them in " + dir_ + "/templates"));
  for (const char* file : {"index", "lab_show_ports.textfsm"}) {
    std::filesystem::copy_file(dir_ + "/" + file, dir_ + "/templates/" + file);
  }
  EXPECT_EQ(Run(flags, "port ge1 up vlans 1,2\n", nullptr, dir_), 0) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("\"ge1\""));
  // The flag still wins over the installed library.
  flags.templates = "/nonexistent";
  EXPECT_EQ(Run(flags, "port ge1 up vlans 1,2\n", nullptr, dir_), 2);
}

TEST_F(ParseCommandTest, OneTemplateFileNeedsNoIndex) {
  ParseFlags flags;
  flags.template_file = dir_ + "/lab_show_ports.textfsm";
  EXPECT_EQ(Run(flags, "port x up vlans 1,2\n"), 0) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("\"port\":\"x\""));
}

TEST_F(ParseCommandTest, MistakesAreUsageErrorsAndTemplateErrorsRaiseOne) {
  EXPECT_EQ(Run({"lab_os", "show clock", dir_, ""}, ""), 2);
  EXPECT_THAT(err_.str(), HasSubstr("no template in " + dir_ + "/index for platform 'lab_os'"));
  EXPECT_EQ(Run({"lab_os", "sh po", "", ""}, ""), 2);
  EXPECT_THAT(err_.str(), HasSubstr("give --templates DIR or set NETSHARD_TEMPLATES"));
  EXPECT_EQ(Run({"", "", dir_, ""}, ""), 2);
  EXPECT_THAT(err_.str(), HasSubstr("give --platform and --command"));
  std::ofstream(dir_ + "/bad.textfsm") << "Value X (x)\n\nStart\n  ^${Y}\n";
  ParseFlags bad;
  bad.template_file = dir_ + "/bad.textfsm";
  EXPECT_EQ(Run(bad, ""), 2);
  EXPECT_THAT(err_.str(), HasSubstr("bad.textfsm:4: unknown Value 'Y'"));
  EXPECT_EQ(Run({"lab_os", "show ports", dir_, ""}, "port a up vlan 1,2\nfault\n"), 1);
  EXPECT_THAT(err_.str(), HasSubstr("lab_show_ports.textfsm:9: Error: \"device fault\""));
}

}  // namespace
}  // namespace netshard
