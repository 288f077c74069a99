#include "api/execution_json.hpp"

#include <boost/json.hpp>

#include "api/body_reader.hpp"
#include "core/clock.hpp"
#include "core/problem.hpp"

namespace aop::api {

namespace json = boost::json;

namespace {
// Stored JSON text back as JSON; null when absent (or, defensively, unreadable).
json::value stored_json(const std::optional<std::string>& text, const json::storage_ptr& sp) {
  if (!text) return json::value(nullptr, sp);
  boost::system::error_code ec;
  auto v = json::parse(*text, ec, sp);
  return ec ? json::value(nullptr, sp) : v;
}
json::value optional_string(const std::optional<std::string>& s, const json::storage_ptr& sp) {
  return s ? json::value(json::string(*s, sp)) : json::value(nullptr, sp);
}
json::value timestamp_in(std::optional<std::int64_t> ms, const json::storage_ptr& sp) {
  return ms ? json::value(json::string(core::format_iso8601(*ms), sp)) : json::value(nullptr, sp);
}
}  // namespace

json::object execution_json(const executions::ExecutionRecord& e, json::storage_ptr sp) {
  // emplace, not operator[]: each key is new, so no lookup of the keys already there.
  json::object out(sp);
  out.reserve(18);
  out.emplace("id", json::string(e.id, sp));
  out.emplace("crew_id", optional_string(e.crew_id, sp));
  out.emplace("crew_version", e.crew_version ? json::value(*e.crew_version, sp) : json::value(nullptr, sp));
  out.emplace("status", json::string(e.status, sp));
  out.emplace("is_test", e.is_test);
  out.emplace("inputs", stored_json(e.inputs, sp));
  out.emplace("outputs", stored_json(e.outputs, sp));
  out.emplace("error_message", optional_string(e.error_message, sp));
  json::object triggered(sp);
  triggered.reserve(2);
  triggered.emplace("user_id", optional_string(e.triggered_by_user, sp));
  triggered.emplace("api_key_id", optional_string(e.triggered_by_key, sp));
  out.emplace("triggered_by", std::move(triggered));
  out.emplace("input_tokens", e.input_tokens);
  out.emplace("output_tokens", e.output_tokens);
  out.emplace("total_tokens", e.total_tokens);
  out.emplace("total_cost", e.total_cost ? json::value(*e.total_cost, sp) : json::value(nullptr, sp));
  out.emplace("duration_ms", e.duration_ms ? json::value(*e.duration_ms, sp) : json::value(nullptr, sp));
  out.emplace("cancel_requested", e.cancel_requested);
  out.emplace("created_at", timestamp_in(e.created_at, sp));
  out.emplace("started_at", timestamp_in(e.started_at, sp));
  out.emplace("completed_at", timestamp_in(e.completed_at, sp));
  return out;
}

executions::ExecutionRecord require_execution(store::Connection& c, const http::RequestContext& ctx) {
  std::string id(ctx.param("id"));
  auto found = executions::find_execution(c, ctx.team_id, id);
  if (!found) throw core::Problem::not_found("No execution " + id + ".");
  return std::move(*found);
}

}  // namespace aop::api
