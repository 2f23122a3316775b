#include "common/session/known_hosts.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/stat.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

using Verdict = KnownHosts::Verdict;

constexpr char kEd25519[] = "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";
constexpr char kOtherEd25519[] =
    "AAAAC3NzaC1lZDI1NTE5AAAAIBo9GxRp6r0Xr1FNmpm9K0gK5lU1h1d+7A7RW+q0Y2xU";
constexpr char kEcdsa[] = "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEx";

const HostKey kKey{"ssh-ed25519", kEd25519};

std::string Base64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(n);
  return out;
}

// `name` hashed as `ssh-keygen -H` writes it: |1|base64(salt)|base64(HMAC-SHA1).
std::string HashedName(const std::string& name, const std::string& salt) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha1(), salt.data(), static_cast<int>(salt.size()),
       reinterpret_cast<const unsigned char*>(name.data()), name.size(), digest, &length);
  return absl::StrCat("|1|", Base64(salt), "|",
                      Base64(std::string(reinterpret_cast<char*>(digest), length)));
}

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

TEST_F(KnownHostsTest, AFileReplacedOnDiskIsSeenAtOnce) {
  Write(std::string("r1 ssh-ed25519 ") + kOtherEd25519 + "\n");
  KnownHosts store(path_, "");
  EXPECT_EQ(*store.Check("r1", 22, kKey), Verdict::kChanged);
  // As `ssh-keygen -R` does: a new file renamed over the old, of the same size.
  std::ofstream(path_ + ".new") << "r1 ssh-ed25519 " << kEd25519 << "\n";
  std::filesystem::rename(path_ + ".new", path_);
  EXPECT_EQ(*store.Check("r1", 22, kKey), Verdict::kKnown);
  EXPECT_EQ(store.KnownTypes("r1", 22), std::vector<std::string>{"ssh-ed25519"});
}

TEST_F(KnownHostsTest, LookupsReadNothingWhileTheFileStampHolds) {
  Write(std::string("r1 ssh-ed25519 ") + kEd25519 + "\n");
  KnownHosts store(path_, "");
  EXPECT_EQ(*store.Check("r1", 22, kKey), Verdict::kKnown);
  struct stat before{};
  ASSERT_EQ(stat(path_.c_str(), &before), 0);
  // "r1" becomes "r2" in place, and the old mtime is put back: inode, size
  // and mtime are as they were, so a store that re-read would now differ.
  std::fstream(path_, std::ios::in | std::ios::out) << "r2";
  timespec times[2] = {before.st_atim, before.st_mtim};
  ASSERT_EQ(utimensat(AT_FDCWD, path_.c_str(), times, 0), 0);
  EXPECT_EQ(*store.Check("r1", 22, kKey), Verdict::kKnown);
  EXPECT_EQ(CheckFresh("r1", 22, kKey), Verdict::kUnknown);
}

TEST_F(KnownHostsTest, AppendsByAnotherProcessAreSeen) {
  KnownHosts mine(path_, "");
  KnownHosts theirs(path_, "");  // another process on the same file
  EXPECT_EQ(*mine.Check("r1", 22, kKey), Verdict::kUnknown);
  ASSERT_TRUE(theirs.Remember("r1", 22, kKey).ok());
  EXPECT_EQ(*mine.Check("r1", 22, kKey), Verdict::kKnown);
  ASSERT_TRUE(theirs.Remember("r2", 22, kKey).ok());
  ASSERT_TRUE(mine.Remember("r3", 22, kKey).ok());  // appended after theirs
  EXPECT_EQ(*mine.Check("r2", 22, kKey), Verdict::kKnown);
  EXPECT_EQ(*mine.Check("r3", 22, kKey), Verdict::kKnown);
  EXPECT_EQ(*theirs.Check("r3", 22, kKey), Verdict::kKnown);
}

TEST_F(KnownHostsTest, ConcurrentSessionsCheckAndRememberWhileTheFileChanges) {
  constexpr int kHashed = 200;
  constexpr int kThreads = 8;
  constexpr int kHosts = 25;
  std::string text;
  for (int i = 0; i < kHashed; ++i) {
    text += absl::StrCat(HashedName(absl::StrCat("[h", i, "]:2222"), absl::StrCat("salt", i)),
                         " ssh-ed25519 ", kEd25519, "\n");
  }
  Write(text);
  KnownHosts store(path_, "");
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kHosts; ++i) {
        std::string host = absl::StrCat("new", t, "-", i);
        std::string hashed = absl::StrCat("h", (t * kHosts + i) % kHashed);
        wrong += store.Check(hashed, 2222, kKey).value_or(Verdict::kUnknown) != Verdict::kKnown;
        wrong += store.Check(host, 22, kKey).value_or(Verdict::kKnown) != Verdict::kUnknown;
        wrong += !store.Remember(host, 22, kKey).ok();
        wrong += store.Check(host, 22, kKey).value_or(Verdict::kUnknown) != Verdict::kKnown;
        wrong += store.KnownTypes(host, 22) != std::vector<std::string>{"ssh-ed25519"};
      }
    });
  }
  // Meanwhile another process appends: the snapshot is swapped under them.
  threads.emplace_back([&] {
    KnownHosts other(path_, "");
    for (int i = 0; i < kHosts; ++i) {
      wrong += !other.Remember(absl::StrCat("other", i), 22, kKey).ok();
    }
  });
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
  for (int i = 0; i < kHosts; ++i) {
    EXPECT_EQ(*store.Check(absl::StrCat("other", i), 22, kKey), Verdict::kKnown);
  }
  // Every remembered key is in the file, once.
  std::string written = Read();
  EXPECT_EQ(std::count(written.begin(), written.end(), '\n'), kHashed + (kThreads + 1) * kHosts);
  EXPECT_EQ(CheckFresh("new7-24", 22, kKey), Verdict::kKnown);
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
