#include "common/host_port.h"

#include "gtest/gtest.h"

namespace netshard {
namespace {

TEST(HostPortTest, SplitsNamesAddressesAndBracketedIpv6) {
  EXPECT_EQ(SplitHostPort("agents.example.net:50061")->host, "agents.example.net");
  EXPECT_EQ(SplitHostPort("agents.example.net:50061")->port, 50061);
  EXPECT_EQ(SplitHostPort("[::1]:9161")->host, "::1");
  EXPECT_EQ(SplitHostPort("127.0.0.1:0")->port, 0);  // listen on any free port
  for (const char* bad : {"127.0.0.1", ":50061", "host:", "host:65536", "host:-1", "host:x"}) {
    EXPECT_FALSE(SplitHostPort(bad).has_value()) << bad;
  }
}

TEST(HostPortTest, JoinsWithBracketsForIpv6) {
  EXPECT_EQ(JoinHostPort("127.0.3.1", 50061), "127.0.3.1:50061");
  EXPECT_EQ(JoinHostPort("::1", 50061), "[::1]:50061");
}

TEST(HostPortTest, LoopbackIsOneEightLocalhostAndIpv6One) {
  for (const char* host : {"127.0.0.1", "127.9.0.3", "localhost", "::1"}) {
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  }
  for (const char* host : {"0.0.0.0", "10.0.0.5", "::", "agents.example.net", "128.0.0.1"}) {
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
  }
}

}  // namespace
}  // namespace netshard
