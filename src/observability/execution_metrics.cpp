#include "observability/execution_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <boost/json.hpp>

#include "core/json_fields.hpp"
#include "observability/trace_builder.hpp"

namespace aop::observability {

namespace json = boost::json;
using core::json_fields::int_at;
using core::json_fields::number_at;
using core::json_fields::string_at;

namespace {

void add_call(Usage& u, const json::object& d) {
  ++u.llm_calls;
  u.input_tokens += int_at(d, "input_tokens");
  u.output_tokens += int_at(d, "output_tokens");
  u.cached_input_tokens += int_at(d, "cached_input_tokens");
  if (auto cost = number_at(d, "cost")) u.cost += *cost;
  else u.cost_known = false;
}

// The entry named `name`, appended when new (first-seen order).
template <class T>
T& entry(std::vector<T>& list, std::map<std::string, std::size_t>& index, const std::string& name) {
  auto [it, added] = index.try_emplace(name, list.size());
  if (added) list.emplace_back();
  return list[it->second];
}

json::value cost_json(const Usage& u) {
  auto cost = u.total_cost();
  return cost ? json::value(*cost) : json::value(nullptr);
}

json::value opt_json(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

}  // namespace

std::optional<std::int64_t> percentile(const std::vector<std::int64_t>& sorted, double p) {
  if (sorted.empty()) return std::nullopt;
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

ExecutionMetrics compute_metrics(const std::vector<engine::Event>& events) {
  ExecutionMetrics m;
  std::map<std::string, std::size_t> models, agents, tasks;
  TraceBuilder builder;  // task status and duration, agent durations: as the trace shows them
  std::vector<const engine::Event*> calls;
  for (const auto& e : events) {
    builder.add(e);
    const auto& d = e.data;
    switch (e.type) {
      case engine::EventType::llm_call: {
        calls.push_back(&e);
        add_call(m.totals, d);
        auto& model = entry(m.by_model, models, string_at(d, "model"));
        model.model = string_at(d, "model");
        add_call(model.usage, d);
        auto& agent = entry(m.by_agent, agents, string_at(d, "agent_name"));
        agent.agent_name = string_at(d, "agent_name");
        add_call(agent.usage, d);
        m.llm_latencies_ms.push_back(std::llround(number_at(d, "duration").value_or(0) * 1000));
        break;
      }
      case engine::EventType::tool_call: ++m.tool_calls; break;
      case engine::EventType::agent_started: {
        auto& agent = entry(m.by_agent, agents, string_at(d, "agent_name"));
        agent.agent_name = string_at(d, "agent_name");
        break;
      }
      default: break;
    }
  }
  auto spans = builder.spans();
  std::map<std::string, const Span*> by_id;
  for (const auto& s : spans) by_id[s.id] = &s;
  for (const auto& s : spans) {
    if (s.kind == "crew") {
      m.duration_ms = s.duration_ms();
    } else if (s.kind == "agent") {
      auto& agent = entry(m.by_agent, agents, s.name);
      agent.agent_name = s.name;
      agent.duration_ms += s.duration_ms().value_or(0);
    } else if (s.kind == "task") {
      auto& task = entry(m.by_task, tasks, s.id);
      task.task_name = s.name;
      if (auto* agent = s.metadata.if_contains("agent_name"); agent && agent->is_string())
        task.agent_name = agent->get_string();
      task.status = s.status;
      task.duration_ms = s.duration_ms();
    }
  }
  // A call belongs to the task above it in the trace: a coworker's calls under a delegation
  // count for the task the manager was working on.
  for (const auto* call : calls) {
    const std::string* id = &call->parent_trace_id;
    for (int depth = 0; depth < 64; ++depth) {
      auto it = by_id.find(*id);
      if (it == by_id.end()) break;
      if (it->second->kind == "task") {
        add_call(m.by_task[tasks.at(it->second->id)].usage, call->data);
        break;
      }
      id = &it->second->parent_id;
    }
  }
  std::sort(m.by_model.begin(), m.by_model.end(), [](const auto& a, const auto& b) { return a.model < b.model; });
  std::sort(m.llm_latencies_ms.begin(), m.llm_latencies_ms.end());
  return m;
}

json::object metrics_json(const ExecutionMetrics& m) {
  const auto& t = m.totals;
  json::object totals{{"input_tokens", t.input_tokens},
                      {"output_tokens", t.output_tokens},
                      {"cached_input_tokens", t.cached_input_tokens},
                      {"total_tokens", t.input_tokens + t.output_tokens},
                      {"cost", cost_json(t)},
                      {"duration_ms", opt_json(m.duration_ms)},
                      {"llm_calls", t.llm_calls},
                      {"tool_calls", m.tool_calls}};
  json::array by_model, by_agent, by_task;
  for (const auto& x : m.by_model)
    by_model.push_back(json::object{{"model", x.model},
                                    {"llm_calls", x.usage.llm_calls},
                                    {"input_tokens", x.usage.input_tokens},
                                    {"output_tokens", x.usage.output_tokens},
                                    {"cost", cost_json(x.usage)}});
  for (const auto& x : m.by_agent)
    by_agent.push_back(json::object{{"agent_name", x.agent_name},
                                    {"input_tokens", x.usage.input_tokens},
                                    {"output_tokens", x.usage.output_tokens},
                                    {"cost", cost_json(x.usage)},
                                    {"duration_ms", x.duration_ms},
                                    {"llm_calls", x.usage.llm_calls}});
  for (const auto& x : m.by_task)
    by_task.push_back(json::object{{"task_name", x.task_name},
                                   {"agent_name", x.agent_name},
                                   {"status", x.status},
                                   {"input_tokens", x.usage.input_tokens},
                                   {"output_tokens", x.usage.output_tokens},
                                   {"cost", cost_json(x.usage)},
                                   {"duration_ms", opt_json(x.duration_ms)},
                                   {"llm_calls", x.usage.llm_calls}});
  json::object calls{{"count", t.llm_calls},
                     {"latency_ms_p50", opt_json(percentile(m.llm_latencies_ms, 50))},
                     {"latency_ms_p95", opt_json(percentile(m.llm_latencies_ms, 95))},
                     {"latency_ms_max", opt_json(m.llm_latencies_ms.empty()
                                                     ? std::nullopt
                                                     : std::optional<std::int64_t>(m.llm_latencies_ms.back()))}};
  return {{"totals", std::move(totals)},
          {"by_model", std::move(by_model)},
          {"by_agent", std::move(by_agent)},
          {"by_task", std::move(by_task)},
          {"llm_calls", std::move(calls)}};
}

}  // namespace aop::observability
