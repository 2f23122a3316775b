#include "common/data_dir.h"

#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"

namespace netshard {
namespace {

class DataDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::path(::testing::TempDir()) / "data_dir_test";
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_ / "bin");
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::filesystem::path root_;
};

TEST_F(DataDirTest, InstalledTreeHasShareNetshardBesideBin) {
  std::filesystem::create_directories(root_ / "share" / "netshard");
  EXPECT_EQ(DataDirFor((root_ / "bin" / "coord").string()),
            (root_ / "share" / "netshard").string());
}

TEST_F(DataDirTest, BuildTreeHasNone) {
  // A build tree's bin/ has no share/netshard beside it.
  EXPECT_EQ(DataDirFor((root_ / "bin" / "coord").string()), "");
}

TEST_F(DataDirTest, ProgramOutsideABinDirectoryHasNone) {
  std::filesystem::create_directories(root_ / "share" / "netshard");
  std::filesystem::create_directories(root_ / "tools");
  EXPECT_EQ(DataDirFor((root_ / "tools" / "coord").string()), "");
}

TEST_F(DataDirTest, TheTestItselfRunsFromABuildTree) {
  EXPECT_EQ(InstalledDataDir(), "");
}

}  // namespace
}  // namespace netshard
