#include "engine/tools/net_policy.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace aop::engine::tools {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

struct V4Range {
  std::uint32_t network;
  int prefix;
  std::string_view kind;
};

constexpr std::uint32_t v4(int a, int b, int c, int d) {
  return (std::uint32_t(a) << 24) | (std::uint32_t(b) << 16) | (std::uint32_t(c) << 8) | std::uint32_t(d);
}

constexpr std::array k_v4_ranges{
    V4Range{v4(0, 0, 0, 0), 8, "unspecified"},        V4Range{v4(10, 0, 0, 0), 8, "private"},
    V4Range{v4(100, 64, 0, 0), 10, "shared (CGNAT)"}, V4Range{v4(127, 0, 0, 0), 8, "loopback"},
    V4Range{v4(169, 254, 0, 0), 16, "link-local"},    V4Range{v4(172, 16, 0, 0), 12, "private"},
    V4Range{v4(192, 0, 0, 0), 24, "reserved"},        V4Range{v4(192, 168, 0, 0), 16, "private"},
    V4Range{v4(198, 18, 0, 0), 15, "reserved"},       V4Range{v4(224, 0, 0, 0), 4, "multicast"},
    V4Range{v4(240, 0, 0, 0), 4, "reserved"},
};

std::string_view v4_range(const asio::ip::address_v4& address) {
  std::uint32_t bits = address.to_uint();
  for (const auto& r : k_v4_ranges) {
    std::uint32_t mask = r.prefix == 0 ? 0 : ~std::uint32_t(0) << (32 - r.prefix);
    if ((bits & mask) == r.network) return r.kind;
  }
  return {};
}

std::string_view v6_range(const asio::ip::address_v6& address) {
  auto b = address.to_bytes();
  if (address.is_unspecified()) return "unspecified";
  if (address.is_loopback()) return "loopback";
  if (address.is_v4_mapped()) return v4_range(asio::ip::make_address_v4(asio::ip::v4_mapped, address));
  auto embedded_v4 = [&] { return asio::ip::address_v4({b[12], b[13], b[14], b[15]}); };
  // 64:ff9b::/96, the well-known NAT64 prefix, reaches the IPv4 address in its last 32 bits.
  static constexpr std::array<unsigned char, 12> k_nat64{0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
  if (std::equal(k_nat64.begin(), k_nat64.end(), b.begin())) return v4_range(embedded_v4());
  if (std::all_of(b.begin(), b.begin() + 12, [](unsigned char x) { return x == 0; }))
    return "reserved";  // ::a.b.c.d, the deprecated IPv4-compatible form
  if ((b[0] & 0xfe) == 0xfc) return "unique-local";
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return "link-local";
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return "site-local";
  if (b[0] == 0xff) return "multicast";
  return {};
}

std::string lower_host(std::string_view host) {
  std::string out(host);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

// One lookup in flight. The resolver's handler keeps this alive, so the coroutine may stop
// waiting (deadline, cancellation) while getaddrinfo finishes on Asio's resolver thread.
struct PendingLookup {
  explicit PendingLookup(const asio::any_io_executor& executor) : resolver(executor), waiter(executor) {}
  tcp::resolver resolver;
  asio::steady_timer waiter;
  bool done = false;
  boost::system::error_code error;
  tcp::resolver::results_type results;
};

ResolvedHost refused(std::string message) { return {{}, std::move(message)}; }

}  // namespace

std::string_view restricted_range(const asio::ip::address& address) {
  return address.is_v4() ? v4_range(address.to_v4()) : v6_range(address.to_v6());
}

bool host_allowed(const NetPolicy& policy, std::string_view host) {
  auto wanted = lower_host(host);
  return std::any_of(policy.allowed_hosts.begin(), policy.allowed_hosts.end(),
                     [&](const std::string& h) { return lower_host(h) == wanted; });
}

asio::awaitable<ResolvedHost> resolve_vetted(const std::string& host, std::uint16_t port, const NetPolicy& policy,
                                             std::chrono::steady_clock::time_point deadline,
                                             const std::shared_ptr<CancelToken>& cancel) {
  if (cancel && cancel->cancelled()) throw Cancelled();
  std::vector<tcp::endpoint> endpoints;
  boost::system::error_code ec;
  auto literal = asio::ip::make_address(host, ec);
  if (!ec) {
    endpoints.emplace_back(literal, port);
  } else {
    auto executor = co_await asio::this_coro::executor;
    auto lookup = std::make_shared<PendingLookup>(executor);
    lookup->waiter.expires_at(deadline);
    auto registration = CancelToken::on_cancel(cancel, [weak = std::weak_ptr<PendingLookup>(lookup), executor] {
      asio::post(executor, [weak] {
        if (auto l = weak.lock()) l->waiter.cancel();
      });
    });
    // No AI_ADDRCONFIG: a host with only loopback configured must still resolve "localhost".
    lookup->resolver.async_resolve(host, std::to_string(port), tcp::resolver::numeric_service,
                                   [lookup](const boost::system::error_code& error, tcp::resolver::results_type r) {
                                     lookup->done = true;
                                     lookup->error = error;
                                     lookup->results = std::move(r);
                                     lookup->waiter.cancel();
                                   });
    if (!lookup->done) {
      boost::system::error_code wait_error;
      co_await lookup->waiter.async_wait(asio::redirect_error(asio::use_awaitable, wait_error));
    }
    if (!lookup->done) {
      lookup->resolver.cancel();
      if (cancel && cancel->cancelled()) throw Cancelled();
      co_return refused("looking up " + host + " took too long (the tool call's time limit ran out)");
    }
    if (lookup->error) co_return refused("cannot find the host " + host + " (" + lookup->error.message() + ")");
    for (const auto& entry : lookup->results) endpoints.push_back(entry.endpoint());
    if (endpoints.empty()) co_return refused("the host " + host + " has no addresses");
  }
  if (policy.allow_private_networks || host_allowed(policy, host)) co_return ResolvedHost{std::move(endpoints), ""};
  for (const auto& endpoint : endpoints) {
    auto kind = restricted_range(endpoint.address());
    if (kind.empty()) continue;
    std::string address = endpoint.address().to_string();
    std::string subject = address == host ? address : host + " resolves to " + address + ", which";
    bool vowel = std::string_view("aeiou").find(kind.front()) != std::string_view::npos;
    co_return refused("refused: " + subject + " is " + (vowel ? "an " : "a ") + std::string(kind) +
                      " address; tools may only reach public internet addresses unless an administrator allows "
                      "private networks");
  }
  co_return ResolvedHost{std::move(endpoints), ""};
}

}  // namespace aop::engine::tools
