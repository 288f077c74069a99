#include "api/execution_json.hpp"

#include "core/clock.hpp"
#include "core/json_text.hpp"
#include "core/problem.hpp"

namespace aop::api {

namespace {
using core::append_json_number;
using core::append_json_string;

// Stored JSON text as it is; null when absent or empty.
void append_stored_json(std::string& out, const std::optional<std::string>& text) {
  if (text && !text->empty()) out += *text;
  else out += "null";
}
void append_timestamp(std::string& out, std::optional<std::int64_t> ms) {
  if (ms) append_json_string(out, core::format_iso8601(*ms));
  else out += "null";
}
void append_bool(std::string& out, bool value) { out += value ? "true" : "false"; }
}  // namespace

void append_execution_json(std::string& out, const executions::ExecutionRecord& e) {
  out += "{\"id\":";
  append_json_string(out, e.id);
  out += ",\"crew_id\":";
  append_json_string(out, e.crew_id);
  out += ",\"crew_version\":";
  append_json_number(out, e.crew_version);
  out += ",\"status\":";
  append_json_string(out, e.status);
  out += ",\"is_test\":";
  append_bool(out, e.is_test);
  out += ",\"inputs\":";
  append_stored_json(out, e.inputs);
  out += ",\"outputs\":";
  append_stored_json(out, e.outputs);
  out += ",\"error_message\":";
  append_json_string(out, e.error_message);
  out += ",\"triggered_by\":{\"user_id\":";
  append_json_string(out, e.triggered_by_user);
  out += ",\"api_key_id\":";
  append_json_string(out, e.triggered_by_key);
  out += "},\"input_tokens\":";
  append_json_number(out, e.input_tokens);
  out += ",\"output_tokens\":";
  append_json_number(out, e.output_tokens);
  out += ",\"total_tokens\":";
  append_json_number(out, e.total_tokens);
  out += ",\"total_cost\":";
  append_json_number(out, e.total_cost);
  out += ",\"duration_ms\":";
  append_json_number(out, e.duration_ms);
  out += ",\"cancel_requested\":";
  append_bool(out, e.cancel_requested);
  out += ",\"created_at\":";
  append_timestamp(out, e.created_at);
  out += ",\"started_at\":";
  append_timestamp(out, e.started_at);
  out += ",\"completed_at\":";
  append_timestamp(out, e.completed_at);
  out += '}';
}

http::Reply execution_reply(int status, const executions::ExecutionRecord& execution) {
  std::string body;
  body.reserve(1024);
  append_execution_json(body, execution);
  return http::text_reply(status, std::move(body), "application/json");
}

executions::ExecutionRecord require_execution(store::Connection& c, const http::RequestContext& ctx) {
  std::string id(ctx.param("id"));
  auto found = executions::find_execution(c, ctx.team_id, id);
  if (!found) throw core::Problem::not_found("No execution " + id + ".");
  return std::move(*found);
}

}  // namespace aop::api
