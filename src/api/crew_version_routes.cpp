// A crew's history: every document change is a numbered version that can be read and restored.
#include <charconv>

#include <boost/json.hpp>

#include "api/body_reader.hpp"
#include "api/crew_common.hpp"
#include "api/crew_json.hpp"
#include "api/crew_routes.hpp"
#include "app/services.hpp"
#include "core/clock.hpp"
#include "core/problem.hpp"
#include "crews/crew_document.hpp"
#include "crews/crew_service.hpp"
#include "http/router.hpp"

namespace aop::api {

namespace asio = boost::asio;
namespace json = boost::json;
using core::Problem;
using http::Reply;
using http::RequestContext;

namespace {

std::int64_t version_param(const RequestContext& ctx) {
  auto text = ctx.param("n");
  std::int64_t n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || ptr != text.data() + text.size() || n < 1)
    throw Problem::not_found("No version " + std::string(text) + " of this crew.");
  return n;
}

crews::CrewVersionRecord require_version(store::Connection& c, const crews::CrewRecord& crew, std::int64_t n) {
  auto found = crews::find_version(c, crew.id, n);
  if (!found) throw Problem::not_found("No version " + std::to_string(n) + " of crew " + crew.id + ".");
  return std::move(*found);
}

}  // namespace

void register_crew_version_routes(http::Router& router, app::Services& services) {
  // ---- GET /api/crews/{id}/versions -------------------------------------------------------
  router.add("GET", "/api/crews/{id}/versions", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    auto page = read_page(ctx.query_param("limit"), ctx.query_param("cursor"));
    std::optional<std::int64_t> before;
    if (page.after) before = page.after->first;
    auto versions = co_await services.db.read([&](store::Connection& c) {
      auto crew = require_crew(c, ctx);
      return crews::list_versions(c, crew.id, before, page.limit);
    });
    json::array items;
    for (const auto& v : versions) items.push_back(version_json(v, false));
    json::value next = nullptr;
    if (static_cast<int>(versions.size()) == page.limit)
      next = json::string(encode_cursor(versions.back().version, std::string(ctx.param("id"))));
    co_return http::json_reply(200, {{"items", std::move(items)}, {"next_cursor", next}});
  }, {.summary = "List a crew's versions, newest first", .policy = "crews:read"});

  // ---- GET /api/crews/{id}/versions/{n} ---------------------------------------------------
  router.add("GET", "/api/crews/{id}/versions/{n}", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    auto n = version_param(ctx);
    auto version = co_await services.db.read([&](store::Connection& c) {
      auto crew = require_crew(c, ctx);
      return require_version(c, crew, n);
    });
    co_return http::json_reply(200, version_json(version, true));
  }, {.summary = "Read one version of a crew's document", .policy = "crews:read"});

  // ---- POST /api/crews/{id}/versions/{n}/restore ------------------------------------------
  router.add("POST", "/api/crews/{id}/versions/{n}/restore", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    auto n = version_param(ctx);
    // An optional body {version} guards like If-Match does.
    CrewBody guard;
    guard.has_document = false;
    if (!ctx.request.body().empty()) {
      BodyReader body(ctx.json_body());
      body.allow_only({"version"});
      guard.version = body.integer("version", false, 1, INT64_MAX);
      body.finish();
    }
    auto expected = expected_version(ctx, guard);
    auto now = services.clock.now_ms();
    auto crew = co_await write_crew(services.db, [&](store::Connection& c) {
      auto current = require_crew(c, ctx, true);
      check_version(current, expected);
      auto old = require_version(c, current, n);
      auto saved = crews::save_crew_version(c, std::move(current), crews::load_stored(old.config), old.source_yaml,
                                            {author_of(ctx), "Restored version " + std::to_string(n)}, now);
      if (saved.changed) audit_crew(c, ctx, "crew.restore", saved.crew, now);
      return std::pair{saved.crew.version, crew_with_validation(c, saved.crew)};
    });
    co_return crew_reply(200, std::move(crew.second), crew.first);
  }, {.summary = "Make an earlier version current again (as a new version)", .policy = "crews:write"});
}

}  // namespace aop::api
