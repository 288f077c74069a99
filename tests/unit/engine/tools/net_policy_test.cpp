#include "engine/tools/net_policy.hpp"

#include <gtest/gtest.h>

#include "../engine_test_support.hpp"

namespace aop::test {
namespace {

using engine::tools::NetPolicy;
using engine::tools::resolve_vetted;
using engine::tools::restricted_range;

std::string range_of(const char* address) {
  return std::string(restricted_range(boost::asio::ip::make_address(address)));
}

TEST(NetPolicy, EveryRestrictedIpv4RangeIsRecognised) {
  struct Case {
    const char* address;
    const char* kind;
  };
  for (auto [address, kind] : std::initializer_list<Case>{{"127.0.0.1", "loopback"},
                                                          {"127.255.255.254", "loopback"},
                                                          {"10.0.0.1", "private"},
                                                          {"10.255.255.255", "private"},
                                                          {"172.16.0.1", "private"},
                                                          {"172.31.255.255", "private"},
                                                          {"192.168.1.1", "private"},
                                                          {"169.254.169.254", "link-local"},  // cloud metadata
                                                          {"100.64.0.1", "shared (CGNAT)"},
                                                          {"100.127.255.255", "shared (CGNAT)"},
                                                          {"0.0.0.0", "unspecified"},
                                                          {"0.1.2.3", "unspecified"},
                                                          {"224.0.0.1", "multicast"},
                                                          {"239.255.255.250", "multicast"},
                                                          {"240.0.0.1", "reserved"},
                                                          {"255.255.255.255", "reserved"},
                                                          {"192.0.0.8", "reserved"},
                                                          {"198.18.0.1", "reserved"}}) {
    EXPECT_EQ(range_of(address), kind) << address;
  }
}

TEST(NetPolicy, NeighboursOfTheRangesArePublic) {
  for (const char* address : {"8.8.8.8", "1.1.1.1", "9.255.255.255", "11.0.0.0", "172.15.255.255", "172.32.0.0",
                              "192.167.255.255", "192.169.0.0", "169.253.255.255", "169.255.0.0", "100.63.255.255",
                              "100.128.0.0", "126.255.255.255", "128.0.0.0", "223.255.255.255", "93.184.216.34"})
    EXPECT_EQ(range_of(address), "") << address;
}

TEST(NetPolicy, Ipv6RangesIncludingMappedIpv4) {
  struct Case {
    const char* address;
    const char* kind;
  };
  for (auto [address, kind] : std::initializer_list<Case>{
           {"::1", "loopback"},
           {"::", "unspecified"},
           {"fe80::1", "link-local"},
           {"febf::1", "link-local"},
           {"fc00::1", "unique-local"},
           {"fd12:3456:789a::1", "unique-local"},
           {"fec0::1", "site-local"},
           {"ff02::1", "multicast"},
           {"::ffff:127.0.0.1", "loopback"},  // IPv4-mapped
           {"::ffff:10.1.2.3", "private"},
           {"::ffff:169.254.169.254", "link-local"},
           {"::ffff:192.168.0.1", "private"},
           {"::ffff:100.64.0.1", "shared (CGNAT)"},
           {"64:ff9b::7f00:1", "loopback"},  // NAT64 of 127.0.0.1
           {"64:ff9b::a00:1", "private"},    // NAT64 of 10.0.0.1
           {"::127.0.0.1", "reserved"},      // deprecated IPv4-compatible form
       }) {
    EXPECT_EQ(range_of(address), kind) << address;
  }
  for (const char* address :
       {"2001:4860:4860::8888", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808", "fbff::1", "fe00::1"})
    EXPECT_EQ(range_of(address), "") << address;
}

engine::tools::ResolvedHost vet(const std::string& host, NetPolicy policy) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  return run_to_completion(resolve_vetted(host, 80, policy, deadline, std::make_shared<engine::CancelToken>()));
}

TEST(NetPolicy, LiteralAddressesAreVettedWithoutALookup) {
  auto refused = vet("127.0.0.1", {});
  EXPECT_TRUE(refused.endpoints.empty());
  EXPECT_EQ(refused.error,
            "refused: 127.0.0.1 is a loopback address; tools may only reach public internet addresses unless an "
            "administrator allows private networks");
  EXPECT_NE(vet("::ffff:10.0.0.1", {}).error.find("is a private address"), std::string::npos);
  EXPECT_NE(vet("fe80::1", {}).error.find("is a link-local address"), std::string::npos);
  EXPECT_NE(vet("169.254.169.254", {}).error.find("is a link-local address"), std::string::npos);
  EXPECT_NE(vet("::", {}).error.find("is an unspecified address"), std::string::npos);

  auto allowed = vet("127.0.0.1", {true, {}});
  EXPECT_TRUE(allowed.error.empty());
  ASSERT_EQ(allowed.endpoints.size(), 1u);
  EXPECT_EQ(allowed.endpoints[0].address().to_string(), "127.0.0.1");
  EXPECT_EQ(allowed.endpoints[0].port(), 80);

  auto public_address = vet("93.184.216.34", {});
  EXPECT_TRUE(public_address.error.empty());
  ASSERT_EQ(public_address.endpoints.size(), 1u);
  auto public_v6 = vet("2606:4700:4700::1111", {});
  EXPECT_TRUE(public_v6.error.empty());
}

TEST(NetPolicy, AllowedHostsOpenOnlyThemselves) {
  NetPolicy policy{false, {"127.0.0.1", "Wiki.Internal."}};
  EXPECT_TRUE(vet("127.0.0.1", policy).error.empty());
  EXPECT_FALSE(vet("127.0.0.2", policy).error.empty());
  EXPECT_TRUE(engine::tools::host_allowed(policy, "wiki.internal"));
  EXPECT_TRUE(engine::tools::host_allowed(policy, "WIKI.internal"));
  EXPECT_FALSE(engine::tools::host_allowed(policy, "wiki.internal.evil.com"));
}

TEST(NetPolicy, NamesAreResolvedAndEveryAddressIsChecked) {
  // "localhost" comes from /etc/hosts, so this needs no network.
  auto refused = vet("localhost", {});
  EXPECT_TRUE(refused.endpoints.empty());
  EXPECT_NE(refused.error.find("refused: localhost resolves to "), std::string::npos) << refused.error;
  EXPECT_NE(refused.error.find("which is a loopback address"), std::string::npos) << refused.error;
  auto allowed = vet("localhost", {true, {}});
  ASSERT_FALSE(allowed.endpoints.empty()) << allowed.error;
  for (const auto& e : allowed.endpoints) EXPECT_TRUE(e.address().is_loopback()) << e.address().to_string();

  // Numeric forms that getaddrinfo understands still end up vetted as what they are.
  EXPECT_NE(vet("2130706433", {}).error.find("loopback"), std::string::npos);  // 127.0.0.1 as one number
}

TEST(NetPolicy, CancelledBeforeTheLookupThrows) {
  auto cancel = std::make_shared<engine::CancelToken>();
  cancel->cancel();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  EXPECT_THROW(run_to_completion(resolve_vetted("localhost", 80, {}, deadline, cancel)), engine::Cancelled);
}

}  // namespace
}  // namespace aop::test
