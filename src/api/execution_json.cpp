#include "api/execution_json.hpp"

#include <boost/json.hpp>

#include "api/body_reader.hpp"

namespace aop::api {

namespace json = boost::json;

namespace {
// Stored JSON text back as JSON; null when absent (or, defensively, unreadable).
json::value stored_json(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  boost::system::error_code ec;
  auto v = json::parse(*text, ec);
  return ec ? json::value(nullptr) : v;
}
json::value optional_string(const std::optional<std::string>& s) {
  return s ? json::value(json::string(*s)) : json::value(nullptr);
}
}  // namespace

json::object execution_json(const executions::ExecutionRecord& e) {
  json::object out;
  out.reserve(19);
  out["id"] = e.id;
  out["crew_id"] = optional_string(e.crew_id);
  out["crew_version"] = e.crew_version ? json::value(*e.crew_version) : json::value(nullptr);
  out["status"] = e.status;
  out["is_test"] = e.is_test;
  out["inputs"] = stored_json(e.inputs);
  out["outputs"] = stored_json(e.outputs);
  out["error_message"] = optional_string(e.error_message);
  out["triggered_by"] = {{"user_id", optional_string(e.triggered_by_user)},
                         {"api_key_id", optional_string(e.triggered_by_key)}};
  out["input_tokens"] = e.input_tokens;
  out["output_tokens"] = e.output_tokens;
  out["total_tokens"] = e.total_tokens;
  out["total_cost"] = e.total_cost ? json::value(*e.total_cost) : json::value(nullptr);
  out["duration_ms"] = e.duration_ms ? json::value(*e.duration_ms) : json::value(nullptr);
  out["cancel_requested"] = e.cancel_requested;
  out["created_at"] = timestamp(e.created_at);
  out["started_at"] = timestamp(e.started_at);
  out["completed_at"] = timestamp(e.completed_at);
  return out;
}

}  // namespace aop::api
