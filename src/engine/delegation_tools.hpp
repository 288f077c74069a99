#pragma once
// The two tools through which a manager (hierarchical crews) or an agent with
// allow_delegation works with coworkers: "Delegate work to coworker" {task, context,
// coworker} and "Ask question to coworker" {question, context, coworker}. Coworkers are
// found by role, ignoring case and extra whitespace; an unknown one gets an explanatory
// observation listing the team, not a failure.
#include <memory>
#include <string>
#include <vector>

#include "crews/crew_spec.hpp"
#include "engine/tools/tool.hpp"

namespace aop::engine {

// Runs a coworker on delegated work and returns its answer. Implemented by the crew runner.
class CoworkerRunner {
 public:
  virtual ~CoworkerRunner() = default;
  virtual boost::asio::awaitable<std::string> run_coworker(const crews::AgentSpec& coworker, std::string request,
                                                           std::string context, bool is_question,
                                                           const tools::ToolContext& call) = 0;
};

// "  Senior   DATA researcher " -> "senior data researcher"
std::string normalize_role(std::string_view role);

// Both tools, over `coworkers` (which must outlive them).
std::vector<std::shared_ptr<tools::Tool>> delegation_tools(CoworkerRunner& runner,
                                                           std::vector<const crews::AgentSpec*> coworkers);

}  // namespace aop::engine
