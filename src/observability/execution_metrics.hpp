#pragma once
// Token, cost, call and latency figures of one execution, computed from its events: every
// llm_call counts once, by model, by agent and by task. A cost is null as soon as one
// contributing call's model has no price (never a made-up number).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "engine/events.hpp"

namespace aop::observability {

struct Usage {
  std::int64_t llm_calls = 0;
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  std::int64_t cached_input_tokens = 0;
  double cost = 0;
  bool cost_known = true;

  std::optional<double> total_cost() const { return cost_known ? std::optional<double>(cost) : std::nullopt; }
};

struct ModelMetrics {
  std::string model;
  Usage usage;
};
struct AgentMetrics {
  std::string agent_name;
  Usage usage;
  std::int64_t duration_ms = 0;  // summed over the agent's finished runs
};
struct TaskMetrics {
  std::string task_name;
  std::string agent_name;
  std::string status = "running";
  Usage usage;
  std::optional<std::int64_t> duration_ms;  // null until the task ends
};

struct ExecutionMetrics {
  Usage totals;
  std::int64_t tool_calls = 0;
  std::optional<std::int64_t> duration_ms;  // the run's, null while it runs
  std::vector<ModelMetrics> by_model;       // by model name
  std::vector<AgentMetrics> by_agent;       // in the order agents first worked
  std::vector<TaskMetrics> by_task;         // in the order tasks started
  std::vector<std::int64_t> llm_latencies_ms;  // sorted
};

ExecutionMetrics compute_metrics(const std::vector<engine::Event>& events);

// Nearest-rank percentile (0 < p <= 100) of sorted values; nullopt when empty.
std::optional<std::int64_t> percentile(const std::vector<std::int64_t>& sorted, double p);

boost::json::object metrics_json(const ExecutionMetrics& m);

}  // namespace aop::observability
