#pragma once
// Teams and their members: /api/teams, /api/teams/{id}, /api/teams/{id}/members[/{user_id}].
namespace aop::http {
class Router;
}
namespace aop::app {
struct Services;
}

namespace aop::api {

void register_team_routes(http::Router& router, app::Services& services);

}  // namespace aop::api
