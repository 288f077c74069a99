#pragma once
// Routes requests by method and path pattern ("/api/crews/{id}"). Static segments win over
// parameters. A path that exists under other methods yields 405 with an Allow list.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/types.hpp"

namespace aop::http {

// Per-route options; later issues add authorization policy here.
struct RouteOptions {
  std::optional<std::size_t> max_body_bytes;  // overrides the server default
  std::string summary;                        // short description (logs, docs checks)
  std::string policy;                         // authorization policy name (identity issue)
  bool test_only = false;                     // registered by tests; excluded from docs checks
};

struct RouteInfo {
  std::string method;
  std::string pattern;
  RouteOptions options;
};

struct RouteMatch {
  enum class Kind { found, method_not_allowed, not_found } kind = Kind::not_found;
  const Handler* handler = nullptr;
  const RouteInfo* info = nullptr;
  std::vector<std::pair<std::string, std::string>> params;
  std::vector<std::string> allowed_methods;  // for 405
};

class Router {
 public:
  Router();
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Registers a route; throws std::logic_error on a duplicate or malformed pattern.
  void add(std::string method, std::string pattern, Handler handler, RouteOptions options = {});

  // path must be decoded and without the query string.
  RouteMatch match(std::string_view method, std::string_view path) const;

  // Every registered route, in registration order.
  const std::vector<RouteInfo>& routes() const { return routes_; }

 private:
  struct Node;
  std::unique_ptr<Node> root_;
  std::vector<RouteInfo> routes_;
};

}  // namespace aop::http
