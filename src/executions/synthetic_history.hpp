#pragma once
// Realistic synthetic execution history for demos and benchmarks (`aop seed`): finished runs
// of a team's crews with plausible statuses, durations, models, tokens and costs, and the full
// event log a real run would have left (crew → task → agent → llm_call / tool, logs, errors),
// so every read path — lists, streams' replay, traces, logs, metrics — works on it. Pure and
// deterministic for a given seed; writing the rows is the caller's business.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "engine/events.hpp"
#include "executions/execution_store.hpp"

namespace aop::executions {

struct SyntheticCrew {
  std::string id;
  std::int64_t version = 1;
  std::vector<std::string> agents;  // agent names
  std::vector<std::string> tasks;   // task names
};

struct SyntheticRun {
  ExecutionRecord record;
  std::vector<engine::Event> events;  // seq 1..n, ending with execution_completed
};

class HistoryGenerator {
 public:
  HistoryGenerator(std::uint64_t seed, std::string team_id, std::vector<SyntheticCrew> crews,
                   std::optional<std::string> triggered_by_user);
  // A finished run created at `created_at_ms` (epoch ms).
  SyntheticRun next(std::int64_t created_at_ms);

 private:
  std::mt19937_64 rng_;
  std::string team_id_;
  std::vector<SyntheticCrew> crews_;
  std::optional<std::string> user_;
};

}  // namespace aop::executions
