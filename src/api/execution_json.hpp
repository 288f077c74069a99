#pragma once
// What the execution endpoints share: the JSON shape of an execution and the 404 lookup.
#include <boost/json/object.hpp>

#include "executions/execution_store.hpp"
#include "http/types.hpp"

namespace aop::api {

// {id, crew_id, crew_version, status, is_test, inputs, outputs, error_message,
//  triggered_by: {user_id, api_key_id}, input_tokens, output_tokens, total_tokens, total_cost,
//  duration_ms, cancel_requested, created_at, started_at, completed_at}
// `storage`: where the JSON lives (a list builds all its items in one monotonic resource).
boost::json::object execution_json(const executions::ExecutionRecord& execution, boost::json::storage_ptr storage = {});

// The execution {id} of the active team, or 404 (another team's is "not found" too). Blocking:
// call inside Database::read.
executions::ExecutionRecord require_execution(store::Connection& c, const http::RequestContext& ctx);

}  // namespace aop::api
