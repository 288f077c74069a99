#include "observability/trace_builder.hpp"

#include <cmath>
#include <functional>

#include <boost/json.hpp>

#include "core/clock.hpp"
#include "core/json_fields.hpp"

namespace aop::observability {

namespace json = boost::json;
using core::json_fields::number_at;
using core::json_fields::optional_int_at;
using core::json_fields::string_at;
using engine::EventType;

namespace {

// Events that report a finished step carry its duration in seconds; the span started then.
std::int64_t started_before(const engine::Event& e) {
  auto seconds = number_at(e.data, "duration").value_or(0);
  return e.ts_ms - static_cast<std::int64_t>(std::llround(seconds * 1000));
}

// execution_completed carries the run's length as total_duration (seconds).
std::int64_t started_before_total(const engine::Event& e) {
  auto seconds = number_at(e.data, "total_duration").value_or(0);
  return e.ts_ms - static_cast<std::int64_t>(std::llround(seconds * 1000));
}

bool is_delegation(std::string_view tool) {
  return tool == "Delegate work to coworker" || tool == "Ask question to coworker";
}

}  // namespace

Span& TraceBuilder::open(const engine::Event& e, std::string kind, std::string name) {
  if (auto* existing = find(e.trace_id)) return *existing;
  Span s;
  s.id = e.trace_id;
  s.parent_id = e.parent_trace_id;
  s.kind = std::move(kind);
  s.name = std::move(name);
  s.started_at = e.ts_ms;
  index_[s.id] = spans_.size();
  spans_.push_back(std::move(s));
  return spans_.back();
}

Span* TraceBuilder::find(const std::string& id) {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &spans_[it->second];
}

void TraceBuilder::add(const engine::Event& e) {
  const auto& d = e.data;
  switch (e.type) {
    case EventType::execution_started: {
      auto& s = open(e, "crew", string_at(d, "crew_name"));
      if (auto* inputs = d.if_contains("inputs")) s.inputs = *inputs;
      if (!string_at(d, "crew_id").empty()) s.metadata["crew_id"] = string_at(d, "crew_id");
      break;
    }
    case EventType::task_started:
      open(e, "task", string_at(d, "task_name")).metadata["agent_name"] = string_at(d, "agent_name");
      break;
    case EventType::agent_started: {
      auto& s = open(e, "agent", string_at(d, "agent_name"));
      if (!string_at(d, "model").empty()) s.model = string_at(d, "model");
      s.metadata["task_name"] = string_at(d, "task_name");
      break;
    }
    case EventType::llm_call: {
      auto& s = open(e, "llm_call", string_at(d, "model"));
      s.started_at = started_before(e);
      s.ended_at = e.ts_ms;
      s.status = "completed";
      s.model = string_at(d, "model");
      s.input_tokens = optional_int_at(d, "input_tokens");
      s.output_tokens = optional_int_at(d, "output_tokens");
      s.cost = number_at(d, "cost");
      if (auto cached = optional_int_at(d, "cached_input_tokens"); cached && *cached > 0) s.metadata["cached_input_tokens"] = *cached;
      if (d.contains("simulated")) s.metadata["simulated"] = true;
      break;
    }
    case EventType::tool_call: {
      auto name = string_at(d, "tool_name");
      auto& s = open(e, is_delegation(name) ? "delegation" : "tool", name);
      s.started_at = started_before(e);
      s.ended_at = e.ts_ms;
      bool failed = d.contains("error") && d.at("error").is_bool() && d.at("error").get_bool();
      s.status = failed ? "failed" : "completed";
      if (auto* v = d.if_contains("inputs")) s.inputs = *v;
      if (auto* v = d.if_contains("outputs")) s.outputs = *v;
      if (failed) s.error = string_at(d, "outputs");
      break;
    }
    case EventType::agent_completed:
      if (auto* s = find(e.trace_id)) {
        s->ended_at = e.ts_ms;
        s->status = "completed";
        if (auto* v = d.if_contains("output")) s->outputs = *v;
        if (auto tokens = optional_int_at(d, "tokens")) s->metadata["tokens"] = *tokens;
      }
      break;
    case EventType::task_completed:
      if (auto* s = find(e.trace_id)) {
        s->ended_at = e.ts_ms;
        s->status = "completed";
        if (auto* v = d.if_contains("output")) s->outputs = *v;
        s->cost = number_at(d, "cost");
      }
      break;
    case EventType::task_skipped: {
      auto& s = open(e, "task", string_at(d, "task_name"));
      s.status = "skipped";
      s.ended_at = e.ts_ms;
      s.metadata["reason"] = string_at(d, "reason");
      break;
    }
    case EventType::error:
      if (auto* s = find(e.trace_id)) {
        s->error = string_at(d, "message");
        s->metadata["error_type"] = string_at(d, "error_type");
        if (auto* context = d.if_contains("context"); context && context->is_object())
          s->metadata["error_context"] = *context;
        if (s->kind != "crew") {
          s->status = "failed";
          s->ended_at = e.ts_ms;
        }
      }
      break;
    case EventType::execution_completed: {
      auto status = string_at(d, "status");
      auto root_id = e.trace_id;
      if (!find(root_id)) {
        // The run never started (it could not be loaded, or was cancelled while queued): its
        // only span is the crew's, as long as the run was.
        auto& root = open(e, "crew", "");
        root.parent_id.clear();
        root.started_at = started_before_total(e);
        if (auto* error = d.if_contains("error"); error && error->is_object()) {
          root.error = string_at(error->get_object(), "message");
          root.metadata["error_type"] = string_at(error->get_object(), "type");
        }
      }
      // Spans a failed or cancelled run left open end with it.
      for (auto& s : spans_)
        if (s.status == "running" && s.id != root_id) {
          s.status = status == "completed" ? "completed" : status;
          s.ended_at = e.ts_ms;
        }
      if (auto* root = find(root_id)) {
        root->status = status;
        root->ended_at = e.ts_ms;
        if (auto* v = d.if_contains("outputs")) root->outputs = *v;
        root->cost = number_at(d, "total_cost");
        root->input_tokens = optional_int_at(d, "input_tokens");
        root->output_tokens = optional_int_at(d, "output_tokens");
      }
      break;
    }
    case EventType::log:
    case EventType::llm_stream_chunk:
      break;
  }
}

std::vector<Span> TraceBuilder::spans() const { return spans_; }

json::object span_json(const Span& s) {
  auto opt_int = [](const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); };
  json::object o{{"id", s.id},
                 {"parent_id", s.parent_id.empty() ? json::value(nullptr) : json::value(s.parent_id)},
                 {"kind", s.kind},
                 {"name", s.name},
                 {"status", s.status},
                 {"started_at", core::format_iso8601(s.started_at)},
                 {"ended_at", s.ended_at ? json::value(core::format_iso8601(*s.ended_at)) : json::value(nullptr)},
                 {"duration_ms", opt_int(s.duration_ms())},
                 {"model", s.model ? json::value(*s.model) : json::value(nullptr)},
                 {"input_tokens", opt_int(s.input_tokens)},
                 {"output_tokens", opt_int(s.output_tokens)},
                 {"cost", s.cost ? json::value(*s.cost) : json::value(nullptr)},
                 {"inputs", s.inputs ? *s.inputs : json::value(nullptr)},
                 {"outputs", s.outputs ? *s.outputs : json::value(nullptr)},
                 {"error", s.error ? json::value(*s.error) : json::value(nullptr)},
                 {"metadata", s.metadata}};
  return o;
}

json::value TraceBuilder::tree() const {
  if (spans_.empty()) return nullptr;
  std::map<std::string, std::vector<std::size_t>> children;
  std::size_t root = spans_.size();
  for (std::size_t i = 0; i < spans_.size(); ++i) {
    if (spans_[i].kind == "crew" && root == spans_.size()) root = i;
  }
  if (root == spans_.size()) root = 0;
  for (std::size_t i = 0; i < spans_.size(); ++i) {
    if (i == root) continue;
    const auto& parent = spans_[i].parent_id;
    bool known = !parent.empty() && index_.count(parent);
    children[known ? parent : spans_[root].id].push_back(i);
  }
  // Recursion capped at 64 levels, so a deep delegation chain cannot exhaust the stack.
  std::function<json::object(std::size_t, int)> build = [&](std::size_t i, int depth) {
    auto node = span_json(spans_[i]);
    json::array kids;
    if (depth < 64)
      for (auto c : children[spans_[i].id]) kids.push_back(build(c, depth + 1));
    node["children"] = std::move(kids);
    return node;
  };
  return build(root, 0);
}

}  // namespace aop::observability
