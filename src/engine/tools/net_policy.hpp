#pragma once
// Which addresses tool requests may reach. Agents act on text from anywhere (web pages,
// user input), so by default a tool may not reach the server's own networks: loopback,
// private, link-local, CGNAT and the like are refused. A host is resolved once, every
// address it resolves to is checked, and the connection goes to those checked addresses
// (never a second lookup), so DNS rebinding cannot slip a private address in.
// URLs an administrator configures (LLM providers, the search API) do not go through this.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "engine/cancel_token.hpp"

namespace aop::engine::tools {

struct NetPolicy {
  bool allow_private_networks = false;     // everything is reachable (tests, trusted setups)
  std::vector<std::string> allowed_hosts;  // names or IP literals reachable even when private (exact, any case)
};

// The kind of restricted range `address` lies in ("loopback", "private", "link-local", ...),
// or empty for a public address. IPv4-mapped and NAT64 IPv6 addresses count as their IPv4.
std::string_view restricted_range(const boost::asio::ip::address& address);

// True when `host` (a name or an IP literal, IPv6 without brackets) is in policy.allowed_hosts.
bool host_allowed(const NetPolicy& policy, std::string_view host);

struct ResolvedHost {
  std::vector<boost::asio::ip::tcp::endpoint> endpoints;  // every one vetted; connect only to these
  std::string error;                                      // why there are none, in words a model can act on
};

// Resolves `host` (asynchronously; IP literals need no lookup) and refuses it when ANY of
// its addresses is restricted, unless the policy allows it. Gives up at `deadline`; throws
// Cancelled when `cancel` fires first. The caller's executor must be serialized (a strand or
// a one-thread io_context), as the engine's is.
boost::asio::awaitable<ResolvedHost> resolve_vetted(const std::string& host, std::uint16_t port,
                                                    const NetPolicy& policy,
                                                    std::chrono::steady_clock::time_point deadline,
                                                    const std::shared_ptr<CancelToken>& cancel);

}  // namespace aop::engine::tools
