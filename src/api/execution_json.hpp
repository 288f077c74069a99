#pragma once
// What the execution endpoints share: the JSON shape of an execution and the 404 lookup.
#include <string>

#include "executions/execution_store.hpp"
#include "http/types.hpp"

namespace aop::api {

// Appends {id, crew_id, crew_version, status, is_test, inputs, outputs, error_message,
//  triggered_by: {user_id, api_key_id}, input_tokens, output_tokens, total_tokens, total_cost,
//  duration_ms, cancel_requested, created_at, started_at, completed_at}.
// Written as text, not built as a boost::json document: `inputs` and `outputs` are stored as
// JSON text written by this server and are spliced in as they are (a page of fifty runs is
// the hottest read of the API, and parsing them back was most of its cost).
void append_execution_json(std::string& out, const executions::ExecutionRecord& execution);
// The same as a 200/202 response body.
http::Reply execution_reply(int status, const executions::ExecutionRecord& execution);

// The execution {id} of the active team, or 404 (another team's is "not found" too). Blocking:
// call inside Database::read.
executions::ExecutionRecord require_execution(store::Connection& c, const http::RequestContext& ctx);

}  // namespace aop::api
