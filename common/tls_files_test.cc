#include "common/tls_files.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;

const TlsFiles kNames = {"--tls-ca", "--tls-cert", "--tls-key"};

class TlsFilesTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }
  void SetUp() override { std::filesystem::create_directories(dir_); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_ = ::testing::TempDir() + "/tls_files_test";
};

TEST_F(TlsFilesTest, ReadsAllThree) {
  TlsFiles files = {Write("ca.pem", "-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n"),
                    Write("me.pem", "-----BEGIN CERTIFICATE-----\nme\n-----END CERTIFICATE-----\n"),
                    Write("me.key", "-----BEGIN EC PRIVATE KEY-----\nk\n-----END EC PRIVATE KEY-----\n")};
  absl::StatusOr<TlsMaterial> material = LoadTls(files, kNames);
  ASSERT_TRUE(material.ok()) << material.status();
  EXPECT_THAT(material->ca_pem, HasSubstr("\nca\n"));
  EXPECT_THAT(material->key_pem, HasSubstr("\nk\n"));
}

TEST_F(TlsFilesTest, EachMistakeNamesTheFlagAndFile) {
  std::string cert = Write("c.pem", "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n");
  std::string key = Write("k.pem", "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n");
  EXPECT_THAT(LoadTls({"", cert, key}, kNames).status().message(),
              HasSubstr("--tls-ca is missing: mutual TLS needs"));
  EXPECT_THAT(LoadTls({dir_ + "/none.pem", cert, key}, kNames).status().message(),
              HasSubstr("--tls-ca " + dir_ + "/none.pem: cannot read"));
  EXPECT_THAT(LoadTls({cert, key, key}, kNames).status().message(),
              HasSubstr("--tls-cert " + key + ": holds no PEM certificate"));
  EXPECT_THAT(LoadTls({cert, cert, cert}, kNames).status().message(),
              HasSubstr("--tls-key " + cert + ": holds no PEM private key"));
}

}  // namespace
}  // namespace netshard
