#pragma once
// GET /api/analytics/overview: the dashboard's numbers for the active team.
namespace aop::http {
class Router;
}
namespace aop::app {
struct Services;
}

namespace aop::api {

void register_analytics_routes(http::Router& router, app::Services& services);

}  // namespace aop::api
