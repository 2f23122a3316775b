#include "common/known_hosts.h"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"

namespace netshard {
namespace {

using Verdict = KnownHosts::Verdict;

constexpr char kEd25519[] = "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";
constexpr char kOtherEd25519[] =
    "AAAAC3NzaC1lZDI1NTE5AAAAIBo9GxRp6r0Xr1FNmpm9K0gK5lU1h1d+7A7RW+q0Y2xU";
constexpr char kEcdsa[] = "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEx";

const HostKey kKey{"ssh-ed25519", kEd25519};

class KnownHostsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char name[] = "/tmp/known_hosts_test.XXXXXX";
    dir_ = mkdtemp(name);
    path_ = dir_ + "/ssh/known_hosts";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Write(const std::string& text) {
    std::filesystem::create_directories(dir_ + "/ssh");
    std::ofstream(path_) << text;
  }
  std::string Read() {
    std::stringstream text;
    text << std::ifstream(path_).rdbuf();
    return text.str();
  }
  Verdict CheckFresh(absl::string_view host, int port, const HostKey& key) {
    KnownHosts store(path_, "");
    absl::StatusOr<Verdict> verdict = store.Check(host, port, key);
    EXPECT_TRUE(verdict.ok()) << verdict.status();
    return verdict.value_or(Verdict::kUnknown);
  }

  std::string dir_;
  std::string path_;
};

TEST_F(KnownHostsTest, RemembersANewHostInTheFileOpenSshWrites) {
  KnownHosts store(path_, "");
  EXPECT_EQ(*store.Check("10.0.0.1", 2222, kKey), Verdict::kUnknown);
  ASSERT_TRUE(store.Remember("10.0.0.1", 2222, kKey).ok());
  ASSERT_TRUE(store.Remember("core1", 22, kKey).ok());
  EXPECT_EQ(*store.Check("10.0.0.1", 2222, kKey), Verdict::kKnown);
  EXPECT_EQ(Read(), std::string("[10.0.0.1]:2222 ssh-ed25519 ") + kEd25519 + "\ncore1 ssh-ed25519 " +
                        kEd25519 + "\n");
  struct stat info{};
  ASSERT_EQ(stat(path_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  // Another process (a fresh store) reads what was written.
  EXPECT_EQ(CheckFresh("10.0.0.1", 2222, kKey), Verdict::kKnown);
  EXPECT_EQ(CheckFresh("CORE1", 22, kKey), Verdict::kKnown);  // names are case-insensitive
  EXPECT_EQ(CheckFresh("10.0.0.1", 22, kKey), Verdict::kUnknown);  // another port is another host
}

TEST_F(KnownHostsTest, AnotherKeyIsChangedAndAnotherTypeIsRefusedToo) {
  Write(std::string("r1 ssh-ed25519 ") + kEd25519 + "\nr2 ecdsa-sha2-nistp256 " + kEcdsa + "\n");
  EXPECT_EQ(CheckFresh("r1", 22, {"ssh-ed25519", kOtherEd25519}), Verdict::kChanged);
  EXPECT_EQ(CheckFresh("r2", 22, kKey), Verdict::kOtherType);
  KnownHosts store(path_, "");
  EXPECT_EQ(store.KnownTypes("r2", 22), std::vector<std::string>{"ecdsa-sha2-nistp256"});
  EXPECT_TRUE(store.KnownTypes("r3", 22).empty());
}

TEST_F(KnownHostsTest, HashedNamesAsSshKeygenWritesThem) {
  // `ssh-keygen -H` of "[router1.lab]:2222 ssh-ed25519 <kEd25519>".
  Write(std::string("|1|VTlmAe5Cs2g0h2iVi2JcLJR/Ba0=|mjJe/57g7gjmSRbe12Mf+wGOlp8= ssh-ed25519 ") +
        kEd25519 + "\n");
  EXPECT_EQ(CheckFresh("router1.lab", 2222, kKey), Verdict::kKnown);
  EXPECT_EQ(CheckFresh("router2.lab", 2222, kKey), Verdict::kUnknown);
  EXPECT_EQ(CheckFresh("router1.lab", 22, kKey), Verdict::kUnknown);
}

TEST_F(KnownHostsTest, PatternsListsAndNegations) {
  Write(std::string("# lab gear\n\n*.lab,!bad.lab,10.1.1.? ssh-ed25519 ") + kEd25519 +
        " lab-ca\nbroken-line-without-key\n");
  EXPECT_EQ(CheckFresh("sw1.lab", 22, kKey), Verdict::kKnown);
  EXPECT_EQ(CheckFresh("10.1.1.7", 22, kKey), Verdict::kKnown);
  EXPECT_EQ(CheckFresh("bad.lab", 22, kKey), Verdict::kUnknown);
  EXPECT_EQ(CheckFresh("10.1.1.70", 22, kKey), Verdict::kUnknown);
}

TEST_F(KnownHostsTest, RevokedKeysAreRefusedAndCertAuthoritiesIgnored) {
  Write(std::string("@revoked * ssh-ed25519 ") + kEd25519 + "\n@cert-authority *.lab ssh-ed25519 " +
        kOtherEd25519 + "\n");
  EXPECT_EQ(CheckFresh("r1", 22, kKey), Verdict::kRevoked);
  EXPECT_EQ(CheckFresh("sw1.lab", 22, {"ssh-ed25519", kOtherEd25519}), Verdict::kUnknown);
}

TEST_F(KnownHostsTest, SeesTheFileChangeOnDisk) {
  Write(std::string("r1 ssh-ed25519 ") + kOtherEd25519 + "\n");
  KnownHosts store(path_, "");
  EXPECT_EQ(*store.Check("r1", 22, kKey), Verdict::kChanged);
  // The operator removes the replaced device's old entry, as the error says.
  Write("");
  EXPECT_EQ(*store.Check("r1", 22, kKey), Verdict::kUnknown);
  Write(std::string("r1 ssh-ed25519 ") + kEd25519 + "\n");
  EXPECT_EQ(*store.Check("r1", 22, kKey), Verdict::kKnown);
}

TEST_F(KnownHostsTest, TheGlobalFileCountsButIsNeverWritten) {
  std::string global = dir_ + "/ssh_known_hosts";
  std::ofstream(global) << "r1 ssh-ed25519 " << kEd25519 << "\n";
  KnownHosts store(path_, global);
  EXPECT_EQ(*store.Check("r1", 22, kKey), Verdict::kKnown);
  ASSERT_TRUE(store.Remember("r2", 22, kKey).ok());
  EXPECT_EQ(*store.Check("r2", 22, kKey), Verdict::kKnown);
  EXPECT_EQ(*store.Check("r1", 22, kKey), Verdict::kKnown);
  std::stringstream text;
  text << std::ifstream(global).rdbuf();
  EXPECT_EQ(text.str(), std::string("r1 ssh-ed25519 ") + kEd25519 + "\n");
}

TEST_F(KnownHostsTest, AFileThatCannotBeReadIsAnErrorEveryTime) {
  std::filesystem::create_directories(path_);  // a directory where the file should be
  KnownHosts store(path_, "");
  for (int i = 0; i < 2; ++i) {
    absl::StatusOr<Verdict> verdict = store.Check("r1", 22, kKey);
    ASSERT_FALSE(verdict.ok());
    EXPECT_NE(verdict.status().message().find(path_), std::string::npos) << verdict.status();
  }
  EXPECT_FALSE(store.Remember("r1", 22, kKey).ok());
}

TEST_F(KnownHostsTest, OneStorePerFile) {
  EXPECT_EQ(&KnownHosts::ForFile(path_), &KnownHosts::ForFile(path_));
  EXPECT_NE(&KnownHosts::ForFile(path_), &KnownHosts::ForFile(path_ + ".other"));
  EXPECT_EQ(KnownHostsName("R1.Lab", 22), "r1.lab");
  EXPECT_EQ(KnownHostsName("::1", 830), "[::1]:830");
}

}  // namespace
}  // namespace netshard
