#include "api/system_routes.hpp"

#include <boost/json.hpp>

#include "core/problem.hpp"
#include "core/resources.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/static_files.hpp"
#include "store/database.hpp"

namespace aop::api {

namespace asio = boost::asio;
using http::Reply;
using http::RequestContext;

namespace {

constexpr const char* k_swagger_page = R"(<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>AOP API</title>
  <link rel="stylesheet" href="/api/docs/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/api/docs/swagger-ui-bundle.js"></script>
  <script src="/api/docs/swagger-init.js"></script>
</body>
</html>
)";

// Separate file so the page needs no inline script under the Content-Security-Policy.
constexpr const char* k_swagger_init = R"(window.ui = SwaggerUIBundle({
  url: '/api/openapi.yaml',
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: true,
});
)";

}  // namespace

void register_system_routes(http::Router& router, store::Database& db, http::Metrics& metrics,
                            const http::StaticFiles& swagger_assets) {
  router.add("GET", "/healthz", [](RequestContext&) -> asio::awaitable<Reply> {
    co_return http::json_reply(200, {{"status", "ok"}});
  }, {.summary = "Liveness", .policy = "public"});

  router.add("GET", "/readyz", [&db](RequestContext&) -> asio::awaitable<Reply> {
    std::string error;
    try {
      co_await db.read([](store::Connection& c) { c.query("SELECT 1"); });
    } catch (const std::exception& e) {
      error = e.what();
    }
    const char* dialect = db.dialect() == store::Dialect::sqlite ? "sqlite" : "postgres";
    if (!error.empty()) {
      auto reply = http::json_reply(503, {{"status", "unavailable"}, {"database", dialect},
                                          {"detail", "The database did not answer."}});
      co_return reply;
    }
    co_return http::json_reply(200, {{"status", "ready"}, {"database", dialect}});
  }, {.summary = "Readiness: the database answers", .policy = "public"});

  router.add("GET", "/metrics", [&metrics](RequestContext&) -> asio::awaitable<Reply> {
    co_return http::text_reply(200, metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
  }, {.summary = "Prometheus metrics", .policy = "public"});

  router.add("GET", "/api/openapi.yaml", [](RequestContext&) -> asio::awaitable<Reply> {
    auto doc = resources::find("docs/openapi.yaml");
    if (!doc) throw core::Problem::not_found("The OpenAPI document was not built into this binary.");
    auto reply = http::text_reply(200, std::string(*doc), "application/yaml; charset=utf-8");
    reply.response.set(http::bhttp::field::cache_control, "no-cache");
    co_return reply;
  }, {.summary = "The OpenAPI 3.1 contract", .policy = "public"});

  router.add("GET", "/api/docs", [&swagger_assets](RequestContext&) -> asio::awaitable<Reply> {
    if (swagger_assets.empty())
      throw core::Problem(503, "", "Swagger UI assets are not installed (run `make web` or set AOP_SWAGGER_DIR). "
                                   "The contract itself is at /api/openapi.yaml.");
    auto reply = http::text_reply(200, k_swagger_page, "text/html; charset=utf-8");
    reply.response.set(http::bhttp::field::cache_control, "no-cache");
    co_return reply;
  }, {.summary = "Swagger UI", .policy = "public"});

  router.add("GET", "/api/docs/{file}", [&swagger_assets](RequestContext& ctx) -> asio::awaitable<Reply> {
    std::string file(ctx.param("file"));
    if (file == "swagger-init.js")
      co_return http::text_reply(200, k_swagger_init, "text/javascript; charset=utf-8");
    if (auto reply = swagger_assets.serve(file, ctx.request)) co_return std::move(*reply);
    throw core::Problem::not_found("No Swagger UI asset named \"" + file + "\".");
  }, {.summary = "Swagger UI assets", .policy = "public"});
}

}  // namespace aop::api
