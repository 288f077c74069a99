#pragma once
// A tool an agent can call: a name, what it does, the JSON Schema of its arguments, and an
// asynchronous invocation with a deadline. Errors a model can react to are returned as
// ToolResult{is_error = true} and become observations; only bugs throw.
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "engine/cancel_token.hpp"

namespace aop::engine::tools {

struct ToolResult {
  std::string output;     // what the agent sees as the observation
  bool is_error = false;  // the call failed; output says why, in words a model can act on
};

// What a call may use: its deadline, the run's cancellation, the execution's workspace.
struct ToolContext {
  std::chrono::steady_clock::time_point deadline;
  std::shared_ptr<CancelToken> cancel;
  std::string workspace_dir;  // per execution; file tools stay inside it
  std::string trace_id;       // the tool call's node in the trace tree (delegation hangs work under it)
};

class Tool {
 public:
  virtual ~Tool() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view description() const = 0;
  // JSON Schema of the arguments object ({"type": "object", "properties": ..., "required": ...}).
  virtual const boost::json::object& parameters() const = 0;
  virtual boost::asio::awaitable<ToolResult> invoke(const boost::json::object& arguments, const ToolContext& context) = 0;
};

}  // namespace aop::engine::tools
