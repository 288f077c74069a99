#include "http/middleware.hpp"

#include <spdlog/spdlog.h>

#include "core/ids.hpp"
#include "core/problem.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"

namespace aop::http {

namespace asio = boost::asio;

asio::awaitable<Reply> Pipeline::invoke(std::size_t index, RequestContext& ctx) const {
  if (index == middlewares_.size()) co_return co_await terminal_(ctx);
  Next next = [this, index](RequestContext& c) { return invoke(index + 1, c); };
  co_return co_await middlewares_[index](ctx, next);
}

Reply problem_reply(const std::exception_ptr& error, const RequestContext& ctx) {
  core::Problem problem = core::Problem::internal();
  try {
    std::rethrow_exception(error);
  } catch (const core::Problem& p) {
    problem = p;
  } catch (const std::exception& e) {
    spdlog::error("unhandled error request_id={} {} {}: {}", ctx.request_id,
                  std::string(ctx.request.method_string()), ctx.path, e.what());
  } catch (...) {
    spdlog::error("unhandled non-standard exception request_id={}", ctx.request_id);
  }
  Reply r;
  r.response.result(static_cast<unsigned>(problem.status()));
  r.response.set(bhttp::field::content_type, "application/problem+json");
  for (const auto& [name, value] : problem.headers()) r.response.set(name, value);
  r.response.body() = problem.to_json(ctx.path);
  return r;
}

Middleware request_id_middleware() {
  return [](RequestContext& ctx, const Next& next) -> asio::awaitable<Reply> {
    auto incoming = ctx.header("X-Request-Id");
    // Accept a caller's id only if it is short and printable, so logs cannot be forged.
    bool usable = !incoming.empty() && incoming.size() <= 128 &&
                  std::all_of(incoming.begin(), incoming.end(),
                              [](char c) { return c > 32 && c < 127; });
    ctx.request_id = usable ? std::string(incoming) : core::new_id();
    Reply reply = co_await next(ctx);
    reply.response.set("X-Request-Id", ctx.request_id);
    co_return reply;
  };
}

Middleware access_log_middleware(Metrics& metrics) {
  return [&metrics](RequestContext& ctx, const Next& next) -> asio::awaitable<Reply> {
    Reply reply = co_await next(ctx);
    auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx.started_at).count();
    std::string method(ctx.request.method_string());
    const std::string& route = ctx.route.empty() ? std::string("unmatched") : ctx.route;
    int status = static_cast<int>(reply.response.result_int());
    metrics.record_request(route, method, status, elapsed);
    spdlog::info("http method={} route={} path={} status={} duration_ms={:.3f} request_id={}", method,
                 route, ctx.path, status, elapsed * 1000.0, ctx.request_id);
    co_return reply;
  };
}

Middleware security_headers_middleware() {
  return [](RequestContext& ctx, const Next& next) -> asio::awaitable<Reply> {
    Reply reply = co_await next(ctx);
    auto& res = reply.response;
    res.set("X-Content-Type-Options", "nosniff");
    res.set("X-Frame-Options", "DENY");
    res.set("Referrer-Policy", "strict-origin-when-cross-origin");
    if (res.find("Content-Security-Policy") == res.end())
      res.set("Content-Security-Policy",
              "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
              "connect-src 'self'; frame-ancestors 'none'");
    if (ctx.path.starts_with("/api/") && res.find(bhttp::field::cache_control) == res.end())
      res.set(bhttp::field::cache_control, "no-store");
    co_return reply;
  };
}

Middleware cors_middleware(std::vector<std::string> allowed_origins) {
  return [allowed = std::move(allowed_origins)](RequestContext& ctx,
                                                const Next& next) -> asio::awaitable<Reply> {
    auto origin = ctx.header("Origin");
    bool any = std::find(allowed.begin(), allowed.end(), "*") != allowed.end();
    bool ok = !origin.empty() &&
              (any || std::find(allowed.begin(), allowed.end(), origin) != allowed.end());
    bool preflight = ctx.request.method() == bhttp::verb::options &&
                     !ctx.header("Access-Control-Request-Method").empty();
    if (preflight && !origin.empty()) {
      Reply r = empty_reply(ok ? 204 : 403);
      if (ok) {
        r.response.set("Access-Control-Allow-Origin", any ? "*" : std::string(origin));
        r.response.set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
        r.response.set("Access-Control-Allow-Headers",
                       "Authorization, Content-Type, X-API-Key, X-Team-Id, X-Request-Id, Last-Event-ID, If-Match");
        r.response.set("Access-Control-Max-Age", "600");
        r.response.set(bhttp::field::vary, "Origin");
      }
      co_return r;
    }
    Reply reply = co_await next(ctx);
    if (ok) {
      reply.response.set("Access-Control-Allow-Origin", any ? "*" : std::string(origin));
      reply.response.set("Access-Control-Expose-Headers", "X-Request-Id, Retry-After, ETag, Location");
      reply.response.set(bhttp::field::vary, "Origin");
    }
    co_return reply;
  };
}

Middleware problem_middleware() {
  return [](RequestContext& ctx, const Next& next) -> asio::awaitable<Reply> {
    std::exception_ptr error;
    try {
      co_return co_await next(ctx);
    } catch (...) {
      error = std::current_exception();
    }
    co_return problem_reply(error, ctx);
  };
}

Next router_dispatch(const Router& router, Handler fallback, RouteGuard guard) {
  return [&router, fallback = std::move(fallback),
          guard = std::move(guard)](RequestContext& ctx) -> asio::awaitable<Reply> {
    auto match = router.match(ctx.request.method_string(), ctx.path);
    bool readable = ctx.request.method() == bhttp::verb::get || ctx.request.method() == bhttp::verb::head;
    if (match.kind == RouteMatch::Kind::not_found && fallback && readable &&
        !ctx.path.starts_with("/api/") && ctx.path != "/api") {
      ctx.route = "static";
      co_return co_await fallback(ctx);
    }
    if (match.kind == RouteMatch::Kind::not_found)
      throw core::Problem::not_found("No route matches " + std::string(ctx.request.method_string()) +
                                     " " + ctx.path + ".");
    ctx.route = match.info->pattern;
    if (match.kind == RouteMatch::Kind::method_not_allowed) {
      std::string allow;
      for (const auto& m : match.allowed_methods) allow += (allow.empty() ? "" : ", ") + m;
      throw core::Problem(405, "", "Method " + std::string(ctx.request.method_string()) +
                                       " is not allowed on " + ctx.route + "; allowed: " + allow + ".")
          .with_header("Allow", allow);
    }
    ctx.path_params = std::move(match.params);
    std::vector<std::pair<std::string, std::string>> headers;
    if (guard) co_await guard(ctx, *match.info, headers);
    Reply reply = co_await (*match.handler)(ctx);
    for (auto& [name, value] : headers) reply.response.set(name, value);
    co_return reply;
  };
}

Pipeline standard_pipeline(const Router& router, Metrics& metrics,
                           std::vector<std::string> cors_origins, Handler fallback,
                           RouteGuard guard) {
  Pipeline p;
  p.use(request_id_middleware());
  p.use(access_log_middleware(metrics));
  p.use(security_headers_middleware());
  p.use(cors_middleware(std::move(cors_origins)));
  p.use(problem_middleware());
  p.terminal(router_dispatch(router, std::move(fallback), std::move(guard)));
  return p;
}

}  // namespace aop::http
