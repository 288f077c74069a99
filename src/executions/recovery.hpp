#pragma once
// Runs whose worker is gone (the process was killed, or lost the database for longer than
// the heartbeat timeout) are marked failed "interrupted". Their stored events stay, and an
// `error` and an execution_completed event are appended so their streams end like any other.
#include <cstdint>
#include <vector>

#include "engine/events.hpp"
#include "executions/execution_store.hpp"

namespace aop::executions {

struct Recovered {
  ExecutionRecord execution;
  std::vector<engine::Event> appended;  // to publish to live subscribers after the commit
};

// Blocking, inside Database::write: every running execution whose heartbeat is older than
// `stale_before_ms`.
std::vector<Recovered> recover_interrupted(store::Connection& c, std::int64_t stale_before_ms, std::int64_t now_ms);

}  // namespace aop::executions
