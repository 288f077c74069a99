// Deployment: a valid crew's current version is pinned and runnable through its endpoint.
#include <boost/json.hpp>

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

// A draft may have errors and warnings; a deployment may not (warnings such as a task
// without an agent mean the crew would not run as its author meant).
void require_deployable(store::Connection& c, const crews::CrewRecord& crew) {
  auto parsed = crews::parse_crew(crew.config, crews::Format::json);
  if (!parsed.spec) throw std::runtime_error("stored config of crew " + crew.id + " does not parse");
  auto checked = check_spec(*parsed.spec, validation_options(c, crew.team_id), parsed.warnings);
  if (checked.errors.empty() && checked.warnings.empty()) return;
  crews::Diagnostics all = checked.errors;
  for (auto d : checked.warnings) {
    d.message = "warning: " + d.message;
    all.push_back(std::move(d));
  }
  for (auto& d : all) d.location.reset();
  throw Problem::unprocessable("Version " + std::to_string(crew.version) + " of this crew has " +
                                   std::to_string(checked.errors.size()) + " error(s) and " +
                                   std::to_string(checked.warnings.size()) +
                                   " warning(s); fix them before deploying.",
                               field_errors(all));
}

}  // namespace

void register_crew_deploy_routes(http::Router& router, app::Services& services) {
  // ---- POST /api/crews/{id}/deploy --------------------------------------------------------
  router.add("POST", "/api/crews/{id}/deploy", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    auto now = services.clock.now_ms();
    auto outcome = co_await write_crew(services.db, [&](store::Connection& c) {
      auto current = require_crew(c, ctx, true);
      require_deployable(c, current);
      auto deployed = crews::deploy_crew(c, std::move(current), author_of(ctx), now);
      if (deployed.created) audit_crew(c, ctx, "crew.deploy", deployed.crew, now);
      return deployed;
    });
    auto body = deployment_json(outcome.deployment);
    body["crew"] = crew_json(outcome.crew);
    co_return crew_reply(outcome.created ? 201 : 200, body, outcome.crew.version);
  }, {.summary = "Deploy the crew's current version (only a valid crew)", .policy = "crews:write"});

  // ---- POST /api/crews/{id}/stop ----------------------------------------------------------
  router.add("POST", "/api/crews/{id}/stop", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    auto now = services.clock.now_ms();
    auto crew = co_await write_crew(services.db, [&](store::Connection& c) {
      auto current = require_crew(c, ctx, true);
      auto stopped = crews::stop_crew(c, current, now);
      if (!stopped) throw Problem::conflict("The crew is not deployed (its status is " + current.status + ").");
      audit_crew(c, ctx, "crew.stop", *stopped, now);
      return std::move(*stopped);
    });
    co_return crew_reply(200, crew_json(crew), crew.version);
  }, {.summary = "Stop the crew's deployment", .policy = "crews:write"});
}

}  // namespace aop::api
