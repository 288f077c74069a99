#pragma once
// The demo crews `make run` puts in a fresh installation (src/crews/demo/*.yaml, compiled
// into the binary): a sequential research-and-write crew, a hierarchical crew with a manager,
// and one with structured JSON output and a conditional task. They use the simulated model.
#include <cstdint>
#include <string_view>
#include <vector>

#include "store/database.hpp"

namespace aop::crews {

// The YAML documents, in file-name order.
std::vector<std::string_view> demo_crew_documents();

// Creates the demo crews in the team unless it has ever had a crew (a team whose crews were
// all deleted is not refilled). Returns how many were created. Blocking, inside a transaction.
int seed_demo_crews(store::Connection& c, const std::string& team_id, std::int64_t now_ms);

}  // namespace aop::crews
