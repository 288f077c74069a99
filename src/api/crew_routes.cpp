// Crews: list, create, read, update, delete, and validate without saving.
#include "api/crew_routes.hpp"

#include <boost/json.hpp>

#include "api/body_reader.hpp"
#include "api/crew_common.hpp"
#include "api/crew_json.hpp"
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

constexpr std::size_t k_max_search = 200;

crews::CrewFilter read_filter(const RequestContext& ctx) {
  crews::CrewFilter f;
  f.status = ctx.query_param("status").value_or("");
  if (!f.status.empty() && f.status != "draft" && f.status != "deployed" && f.status != "stopped")
    throw Problem::bad_request("status must be draft, deployed or stopped.",
                               {{"status", "must be draft, deployed or stopped"}});
  f.search = ctx.query_param("q").value_or("");
  if (f.search.size() > k_max_search)
    throw Problem::bad_request("q must be at most 200 characters.", {{"q", "too long"}});
  auto page = read_page(ctx.query_param("limit"), ctx.query_param("cursor"));
  f.limit = page.limit;
  f.after = page.after;
  return f;
}

void require_name(const CrewBody& body) {
  const auto& spec = *body.parsed.spec;
  if (spec.name.find_first_not_of(" \t\r\n") == std::string::npos)
    throw Problem::unprocessable("A crew needs a name: give `name` in the document or the request.",
                                 {{"name", "required"}});
}

}  // namespace

void register_crew_routes(http::Router& router, app::Services& services) {
  // ---- GET /api/crews ---------------------------------------------------------------------
  router.add("GET", "/api/crews", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    auto filter = read_filter(ctx);
    auto found = co_await services.db.read([&](store::Connection& c) { return crews::list_crews(c, ctx.team_id, filter); });
    json::array items;
    items.reserve(found.size());
    for (const auto& crew : found) items.push_back(crew_json(crew));
    json::value next = nullptr;
    if (static_cast<int>(found.size()) == filter.limit)
      next = json::string(encode_cursor(found.back().updated_at, found.back().id));
    co_return http::json_reply(200, {{"items", std::move(items)}, {"next_cursor", next}});
  }, {.summary = "List the team's crews (filters: status, q; newest change first)", .policy = "crews:read"});

  // ---- POST /api/crews --------------------------------------------------------------------
  router.add("POST", "/api/crews", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    auto body = co_await read_crew_body_async(services, ctx, CrewBodyUse::create);
    require_readable(body);
    require_name(body);
    auto now = services.clock.now_ms();
    auto [version, doc] = co_await services.db.write([&](store::Connection& c) {
      auto created = crews::create_crew(c, ctx.team_id, *body.parsed.spec, body.source_yaml,
                                        {author_of(ctx), body.message}, now);
      audit_crew(c, ctx, "crew.create", created, now);
      return std::pair{created.version, crew_with_validation(c, created, &body)};
    });
    co_return crew_reply(201, std::move(doc), version);
  }, {.max_body_bytes = k_max_crew_body_bytes, .summary = "Create a crew (JSON {name, description, config} or a YAML document)",
      .policy = "crews:write"});

  // ---- POST /api/crews/validate -----------------------------------------------------------
  router.add("POST", "/api/crews/validate", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    auto body = co_await read_crew_body_async(services, ctx, CrewBodyUse::validate);
    crews::Diagnostics errors = body.parsed.errors;
    crews::Diagnostics warnings = body.parsed.warnings;
    if (body.parsed.spec && errors.empty()) {
      auto options =
          co_await services.db.read([&](store::Connection& c) { return validation_options(c, ctx.team_id); });
      auto checked = check_spec(*body.parsed.spec, options, warnings);
      errors = std::move(checked.errors);
      warnings = std::move(checked.warnings);
    }
    co_return http::json_reply(200, validation_json(errors, warnings));
  }, {.max_body_bytes = k_max_crew_body_bytes, .summary = "Validate a crew document without saving it",
      .policy = "crews:read"});

  // ---- GET /api/crews/{id} ----------------------------------------------------------------
  router.add("GET", "/api/crews/{id}", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    auto [version, doc] = co_await services.db.read([&](store::Connection& c) {
      auto crew = require_crew(c, ctx);
      return std::pair{crew.version, crew_with_validation(c, crew)};
    });
    co_return crew_reply(200, std::move(doc), version);
  }, {.summary = "Read a crew with the findings on its document", .policy = "crews:read"});

  // ---- PUT /api/crews/{id} ----------------------------------------------------------------
  router.add("PUT", "/api/crews/{id}", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    auto body = co_await read_crew_body_async(services, ctx, CrewBodyUse::update);
    require_readable(body);
    if (body.has_document) require_name(body);
    auto expected = expected_version(ctx, body);
    auto now = services.clock.now_ms();
    auto outcome = co_await write_crew(services.db, [&](store::Connection& c) {
      auto current = require_crew(c, ctx, true);
      check_version(current, expected);
      crews::CrewSpec spec;
      std::optional<std::string> source = body.source_yaml;
      if (body.has_document) {
        spec = *body.parsed.spec;
      } else {
        // Only name or description: edit the stored document (its YAML source is kept if it still agrees).
        spec = crews::load_stored(current.config);
        if (body.name) spec.name = *body.name;
        if (body.description) spec.description = *body.description;
        source = current.source_yaml;
      }
      auto saved = crews::save_crew_version(c, std::move(current), spec, std::move(source),
                                            {author_of(ctx), body.message}, now);
      if (saved.changed) audit_crew(c, ctx, "crew.update", saved.crew, now);
      return std::pair{saved.crew.version, crew_with_validation(c, saved.crew, &body)};
    });
    co_return crew_reply(200, std::move(outcome.second), outcome.first);
  }, {.max_body_bytes = k_max_crew_body_bytes,
      .summary = "Replace a crew's document (If-Match or `version` guards against stale edits)",
      .policy = "crews:write"});

  // ---- DELETE /api/crews/{id} -------------------------------------------------------------
  router.add("DELETE", "/api/crews/{id}", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    auto now = services.clock.now_ms();
    co_await services.db.write([&](store::Connection& c) {
      auto current = require_crew(c, ctx, true);
      crews::delete_crew(c, current, now);
      audit_crew(c, ctx, "crew.delete", current, now);
    });
    co_return http::empty_reply(204);
  }, {.summary = "Delete a crew (its deployment stops)", .policy = "crews:write"});
}

}  // namespace aop::api
