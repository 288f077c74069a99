#pragma once
// The team's LLM connections: /api/llm-providers and /api/llm-providers/{id}. A connection's
// API key is write-only: stored encrypted as a secret, reported only as has_api_key.
namespace aop::http {
class Router;
}
namespace aop::app {
struct Services;
}

namespace aop::api {

void register_llm_provider_routes(http::Router& router, app::Services& services);

}  // namespace aop::api
