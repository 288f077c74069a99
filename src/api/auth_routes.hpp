#pragma once
// /api/auth/*: registration, login, token refresh with rotation, logout, the current user.
namespace aop::http {
class Router;
}
namespace aop::app {
struct Services;
}

namespace aop::api {

void register_auth_routes(http::Router& router, app::Services& services);

}  // namespace aop::api
