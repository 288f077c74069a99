// Starting a run: POST /api/crews/{id}/run queues an execution of the crew's pinned version
// (deployed crews) or of its current document (drafts and `test: true`, recorded as test runs).
#include <boost/json.hpp>

#include "api/body_reader.hpp"
#include "api/crew_common.hpp"
#include "api/execution_routes.hpp"
#include "api/execution_stream.hpp"
#include "app/services.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/problem.hpp"
#include "crews/crew_document.hpp"
#include "crews/crew_inputs.hpp"
#include "engine/crew_runner.hpp"
#include "executions/execution_store.hpp"
#include "http/router.hpp"

namespace aop::api {

namespace asio = boost::asio;
namespace json = boost::json;
using core::Problem;
using http::Reply;
using http::RequestContext;

namespace {

constexpr std::size_t k_max_run_body_bytes = 256 * 1024;

struct RunBody {
  json::object inputs;
  bool test = false;
};

RunBody read_run_body(const RequestContext& ctx) {
  RunBody out;
  if (ctx.request.body().find_first_not_of(" \t\r\n") == std::string::npos) return out;  // no body: no inputs
  BodyReader body(ctx.json_body());
  body.allow_only({"inputs", "test"});
  if (const auto* inputs = body.raw("inputs"); inputs && !inputs->is_null()) {
    if (inputs->is_object()) out.inputs = inputs->as_object();
    else body.error("inputs", "must be an object of input values");
  }
  out.test = body.boolean("test", false).value_or(false);
  body.finish();
  return out;
}

// The crew's document for the run, checked, and the run's inputs with defaults applied.
struct Planned {
  executions::ExecutionRecord execution;
};

Planned plan_run(store::Connection& c, const RequestContext& ctx, const RunBody& body, std::int64_t now) {
  auto crew = require_crew(c, ctx);
  if (crew.status == "stopped")
    throw Problem::conflict("The crew is stopped; deploy it again (or start a test run of a draft) to run it.");
  bool test = body.test || crew.status != "deployed" || !crew.deployed_version;
  std::int64_t version = test ? crew.version : *crew.deployed_version;
  std::string config = crew.config;
  if (!test) {
    auto pinned = crews::find_version(c, crew.id, version);
    if (!pinned) throw std::runtime_error("deployed version " + std::to_string(version) + " of crew " + crew.id + " is missing");
    config = std::move(pinned->config);
  }
  auto spec = crews::load_stored(config);
  auto checked = check_spec(spec, validation_options(c, crew.team_id));
  if (!checked.errors.empty()) {
    std::vector<core::FieldError> errors;
    for (const auto& d : checked.errors) errors.push_back({"crew." + d.path, d.message});
    throw Problem::unprocessable("Version " + std::to_string(version) +
                                     " of the crew has errors; fix them before running it.",
                                 std::move(errors));
  }

  // A misspelt input name must not be silently ignored.
  auto declared = spec;
  crews::add_implicit_inputs(declared);
  std::vector<core::FieldError> problems;
  for (const auto& kv : body.inputs)
    if (!crews::find_input(declared, kv.key()))
      problems.push_back({"inputs." + std::string(kv.key()), "is not an input of this crew"});
  auto resolved = engine::resolve_inputs(spec, body.inputs);
  for (const auto& p : resolved.problems) problems.push_back({"inputs." + p.input, p.message});
  if (!problems.empty())
    throw Problem::unprocessable(problems.size() == 1 ? "1 input is invalid: " + problems[0].path + " " +
                                                            problems[0].message + "."
                                                      : std::to_string(problems.size()) + " inputs are invalid.",
                                 std::move(problems));

  Planned out;
  auto& e = out.execution;
  e.id = core::new_id();
  e.team_id = ctx.team_id;
  e.crew_id = crew.id;
  e.crew_version = version;
  e.is_test = test;
  e.inputs = json::serialize(resolved.values);
  if (ctx.principal->is_api_key()) e.triggered_by_key = ctx.principal->key_id;
  else e.triggered_by_user = ctx.principal->user_id;
  e.created_at = now;
  return out;
}

bool wants_stream(const RequestContext& ctx) {
  return ctx.header("Accept").find("text/event-stream") != std::string_view::npos;
}

}  // namespace

void register_execution_run_routes(http::Router& router, app::Services& services) {
  // ---- POST /api/crews/{id}/run -----------------------------------------------------------
  router.add("POST", "/api/crews/{id}/run", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    auto body = read_run_body(ctx);
    auto now = services.clock.now_ms();
    // Parsing and checking the document is CPU work: it runs with the read on the blocking pool.
    auto planned = co_await services.db.read([&](store::Connection& c) { return plan_run(c, ctx, body, now); });
    co_await services.db.write([&](store::Connection& c) { executions::insert_execution(c, planned.execution); });
    services.wake_workers();
    const auto& id = planned.execution.id;
    if (wants_stream(ctx)) co_return co_await open_execution_stream(services, ctx.team_id, id, 0);
    auto reply = http::json_reply(202, {{"execution_id", id},
                                        {"stream_url", "/api/executions/" + id + "/stream"},
                                        {"status", "pending"},
                                        {"is_test", planned.execution.is_test},
                                        {"crew_version", *planned.execution.crew_version}});
    reply.response.set(http::bhttp::field::location, "/api/executions/" + id);
    co_return reply;
  }, {.max_body_bytes = k_max_run_body_bytes,
      .summary = "Run a crew: its deployed version, or a test run of its current document (drafts, test: true)",
      .policy = "crews:run"});
}

}  // namespace aop::api
