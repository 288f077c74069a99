#pragma once
// The middleware chain every request passes through, outermost first:
// request id → access log + metrics → security headers → CORS → problem mapping → router.
#include <functional>
#include <string>
#include <vector>

#include "http/types.hpp"

namespace aop::http {

class Metrics;
class Router;

using Next = std::function<boost::asio::awaitable<Reply>(RequestContext&)>;
using Middleware = std::function<boost::asio::awaitable<Reply>(RequestContext&, const Next&)>;

class Pipeline {
 public:
  void use(Middleware middleware) { middlewares_.push_back(std::move(middleware)); }
  void terminal(Next handler) { terminal_ = std::move(handler); }
  boost::asio::awaitable<Reply> handle(RequestContext& ctx) const { return invoke(0, ctx); }

 private:
  boost::asio::awaitable<Reply> invoke(std::size_t index, RequestContext& ctx) const;
  std::vector<Middleware> middlewares_;
  Next terminal_;
};

// Builds the reply for an exception: Problem → its status; anything else → logged 500.
Reply problem_reply(const std::exception_ptr& error, const RequestContext& ctx);

Middleware request_id_middleware();
Middleware access_log_middleware(Metrics& metrics);
Middleware security_headers_middleware();
Middleware cors_middleware(std::vector<std::string> allowed_origins);
Middleware problem_middleware();

struct RouteInfo;
// Runs after routing and before the handler: authentication, authorization, rate limits.
// Throws Problem (401/403/404/429) to refuse; may add response headers through `headers`.
using RouteGuard = std::function<boost::asio::awaitable<void>(
    RequestContext&, const RouteInfo&, std::vector<std::pair<std::string, std::string>>& headers)>;

// Terminal handler: dispatches to the matching route (404/405 as problems). `fallback`, when
// set, answers unmatched GET/HEAD requests outside /api/ (the web UI's SPA routes).
Next router_dispatch(const Router& router, Handler fallback = nullptr, RouteGuard guard = nullptr);

// Assembles the standard chain in order.
Pipeline standard_pipeline(const Router& router, Metrics& metrics,
                           std::vector<std::string> cors_origins, Handler fallback = nullptr,
                           RouteGuard guard = nullptr);

}  // namespace aop::http
