#pragma once
// Environment variables of a team and of a crew: /api/teams/{id}/env[/{name}] and
// /api/crews/{id}/env[/{name}]. Values are write-only: set with PUT, listed by name only,
// encrypted at rest. A crew's value overrides the team's at run time.
namespace aop::http {
class Router;
}
namespace aop::app {
struct Services;
}

namespace aop::api {

void register_env_routes(http::Router& router, app::Services& services);

}  // namespace aop::api
