#pragma once
// What an execution left behind, read from its event log and trace rows:
// GET /api/executions/{id}/traces, /logs and /metrics.
namespace aop::http {
class Router;
}
namespace aop::app {
struct Services;
}

namespace aop::api {

void register_observability_routes(http::Router& router, app::Services& services);

}  // namespace aop::api
