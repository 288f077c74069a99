#pragma once
// The execution endpoints: execution_run_routes.cpp (POST /api/crews/{id}/run),
// execution_routes.cpp (list, read, cancel), execution_stream_routes.cpp (SSE stream and
// stream tokens).
namespace aop::http {
class Router;
}
namespace aop::app {
struct Services;
}

namespace aop::api {

void register_execution_run_routes(http::Router& router, app::Services& services);
void register_execution_routes(http::Router& router, app::Services& services);
void register_execution_stream_routes(http::Router& router, app::Services& services);

}  // namespace aop::api
