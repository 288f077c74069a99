#include "executions/synthetic_history.hpp"

#include <array>

#include <boost/json.hpp>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "engine/llm/pricing.hpp"

namespace aop::executions {

namespace json = boost::json;
using engine::EventType;

namespace {

// Weighted so the history looks like a team's: mostly cheap models, a few expensive ones, some local.
constexpr std::array k_models = {"openai/gpt-4o-mini", "openai/gpt-4o-mini", "openai/gpt-4o-mini", "openai/gpt-4o",
                                 "anthropic/claude-3-5-haiku-20241022", "anthropic/claude-3-5-sonnet-20241022",
                                 "ollama/llama3.1"};
constexpr std::array k_tools = {"web_search", "web_fetch", "calculator", "http_request", "file_read"};
constexpr std::array k_topics = {"solid-state batteries", "Rust in embedded systems", "EU AI Act", "vector databases",
                                 "heat pumps",            "supply chain risk",        "LLM evaluation", "CRISPR"};
constexpr std::array k_failures = {
    std::pair{"llm_rate_limited", "the LLM call for agent \"{agent}\" failed: rate limited (429) after 3 attempts"},
    std::pair{"max_iter", "agent \"{agent}\" reached max_iter (25) without a final answer"},
    std::pair{"max_execution_time", "agent \"{agent}\" ran out of time (max_execution_time reached)"},
    std::pair{"llm_authentication", "the LLM call for agent \"{agent}\" failed: invalid API key (401)"}};
constexpr std::array k_log_lines = {
    std::pair{"info", "retrieved 8 documents for the query"},
    std::pair{"warning", "LLM call attempt 1 failed (rate limited); retrying in 1200 ms"},
    std::pair{"info", "tool output clipped to 8,000 characters"},
    std::pair{"debug", "context of 2 prior tasks passed on"}};

std::string replace_agent(std::string text, const std::string& agent) {
  auto at = text.find("{agent}");
  if (at != std::string::npos) text.replace(at, 7, agent);
  return text;
}

// Builds one run's events in order, keeping the clock and the sequence number.
class EventWriter {
 public:
  EventWriter(std::string execution_id, std::int64_t start_ms) : id_(std::move(execution_id)), now_(start_ms) {}
  void emit(EventType type, const std::string& trace, const std::string& parent, json::object data) {
    events_.push_back({++seq_, type, now_, id_, trace, parent, std::move(data)});
  }
  void advance(std::int64_t ms) { now_ += ms; }
  std::int64_t now() const { return now_; }
  std::vector<engine::Event> take() { return std::move(events_); }

 private:
  std::string id_;
  std::int64_t now_;
  std::int64_t seq_ = 0;
  std::vector<engine::Event> events_;
};

}  // namespace

HistoryGenerator::HistoryGenerator(std::uint64_t seed, std::string team_id, std::vector<SyntheticCrew> crews,
                                   std::optional<std::string> triggered_by_user)
    : rng_(seed), team_id_(std::move(team_id)), crews_(std::move(crews)), user_(std::move(triggered_by_user)) {
  if (crews_.empty()) throw std::invalid_argument("synthetic history needs at least one crew");
}

SyntheticRun HistoryGenerator::next(std::int64_t created_at_ms) {
  auto pick = [&](auto lo, auto hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng_); };
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; };
  const auto& crew = crews_[static_cast<std::size_t>(pick(0, static_cast<std::int64_t>(crews_.size()) - 1))];

  SyntheticRun run;
  auto& r = run.record;
  r.id = core::new_id();
  r.team_id = team_id_;
  r.crew_id = crew.id;
  r.crew_version = crew.version;
  r.is_test = chance(0.05);
  r.triggered_by_user = user_;
  r.created_at = created_at_ms;
  r.started_at = created_at_ms + pick(5, 400);  // time in the queue
  std::string topic = k_topics[static_cast<std::size_t>(pick(0, k_topics.size() - 1))];
  r.inputs = json::serialize(json::object{{"topic", topic}});

  // Outcome first, so a failing run stops at a plausible point.
  double roll = std::uniform_real_distribution<double>(0, 1)(rng_);
  std::string status = roll < 0.86 ? "completed" : roll < 0.96 ? "failed" : "cancelled";
  std::size_t task_count = crew.tasks.empty() ? 3 : crew.tasks.size();
  std::size_t stop_at = status == "completed" ? task_count : static_cast<std::size_t>(pick(0, task_count - 1));

  EventWriter w(r.id, *r.started_at);
  std::string root = core::new_id();
  w.emit(EventType::execution_started, root, "",
         {{"execution_id", r.id}, {"crew_id", crew.id}, {"started_at", core::format_iso8601(w.now())}});

  engine::TokenUsage total;
  double cost = 0;
  bool cost_known = true;
  json::object outputs;
  std::string failed_type, failed_message;
  for (std::size_t t = 0; t < task_count; ++t) {
    std::string task = crew.tasks.empty() ? "task_" + std::to_string(t + 1) : crew.tasks[t];
    std::string agent = crew.agents.empty() ? "agent" : crew.agents[t % crew.agents.size()];
    std::string model = k_models[static_cast<std::size_t>(pick(0, k_models.size() - 1))];
    std::string task_trace = core::new_id(), agent_trace = core::new_id();
    auto task_start = w.now();
    w.emit(EventType::task_started, task_trace, root, {{"task_name", task}, {"agent_name", agent}, {"trace_id", task_trace}});
    w.emit(EventType::agent_started, agent_trace, task_trace,
           {{"agent_name", agent}, {"task_name", task}, {"trace_id", agent_trace}, {"model", model}});
    bool fails_here = t == stop_at && status != "completed";
    auto calls = pick(3, 7);  // with the task, agent and tools: 10-50 spans a run
    std::int64_t agent_tokens = 0;
    for (std::int64_t call = 0; call < calls; ++call) {
      auto ms = pick(400, 6000);
      w.advance(ms);
      engine::TokenUsage usage{pick(300, 6000), pick(40, 900), 0};
      if (chance(0.3)) usage.cached_input_tokens = usage.input_tokens / 2;
      auto call_cost = engine::cost_of(engine::PriceTable::shipped(), model, usage);
      if (call_cost) cost += *call_cost;
      else cost_known = false;
      total.input_tokens += usage.input_tokens;
      total.output_tokens += usage.output_tokens;
      agent_tokens += usage.input_tokens + usage.output_tokens;
      w.emit(EventType::llm_call, core::new_id(), agent_trace,
             {{"model", model},
              {"input_tokens", usage.input_tokens},
              {"output_tokens", usage.output_tokens},
              {"cached_input_tokens", usage.cached_input_tokens},
              {"duration", static_cast<double>(ms) / 1000.0},
              {"cost", call_cost ? json::value(*call_cost) : json::value(nullptr)},
              {"agent_name", agent},
              {"task_name", task}});
      if (call + 1 < calls && chance(0.5)) {
        auto tool_ms = pick(40, 2000);
        w.advance(tool_ms);
        std::string tool = k_tools[static_cast<std::size_t>(pick(0, k_tools.size() - 1))];
        w.emit(EventType::tool_call, core::new_id(), agent_trace,
               {{"tool_name", tool},
                {"inputs", {{"query", topic}}},
                {"outputs", "3 results about " + topic},
                {"duration", static_cast<double>(tool_ms) / 1000.0},
                {"error", false},
                {"agent_name", agent}});
      }
      if (chance(0.15)) {
        const auto& [level, message] = k_log_lines[static_cast<std::size_t>(pick(0, k_log_lines.size() - 1))];
        w.emit(EventType::log, agent_trace, task_trace,
               {{"level", level}, {"message", message}, {"timestamp", core::format_iso8601(w.now())}, {"trace_id", agent_trace}});
      }
    }
    if (fails_here) {
      if (status == "failed") {
        const auto& [type, message] = k_failures[static_cast<std::size_t>(pick(0, k_failures.size() - 1))];
        failed_type = type;
        failed_message = replace_agent(message, agent);
        w.emit(EventType::error, agent_trace, task_trace,
               {{"error_type", failed_type}, {"message", failed_message}, {"trace_id", agent_trace},
                {"stack_trace", nullptr}, {"task_name", task}, {"agent_name", agent}});
      }
      break;
    }
    std::string output = "## " + task + "\n\nFindings about " + topic + " from " + agent + ".";
    w.emit(EventType::agent_completed, agent_trace, task_trace,
           {{"agent_name", agent}, {"task_name", task}, {"output", output},
            {"duration", static_cast<double>(w.now() - task_start) / 1000.0}, {"tokens", agent_tokens}});
    w.emit(EventType::task_completed, task_trace, root,
           {{"task_name", task}, {"agent_name", agent}, {"output", output},
            {"duration", static_cast<double>(w.now() - task_start) / 1000.0}});
    outputs[task] = output;
  }

  r.status = status;
  r.completed_at = w.now() + pick(1, 30);
  r.duration_ms = *r.completed_at - *r.started_at;
  r.input_tokens = total.input_tokens;
  r.output_tokens = total.output_tokens;
  r.total_tokens = total.input_tokens + total.output_tokens;
  if (cost_known) r.total_cost = cost;
  if (status == "completed") r.outputs = json::serialize(outputs);
  if (status == "failed") r.error_message = failed_message;
  json::object done{{"execution_id", r.id},
                    {"status", status},
                    {"outputs", outputs},
                    {"total_duration", static_cast<double>(*r.duration_ms) / 1000.0},
                    {"total_cost", r.total_cost ? json::value(*r.total_cost) : json::value(nullptr)},
                    {"input_tokens", total.input_tokens},
                    {"output_tokens", total.output_tokens}};
  if (!failed_type.empty()) done["error"] = {{"type", failed_type}, {"message", failed_message}};
  w.advance(*r.completed_at - w.now());
  w.emit(EventType::execution_completed, root, "", std::move(done));
  run.events = w.take();
  return run;
}

}  // namespace aop::executions
