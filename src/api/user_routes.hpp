#pragma once
// User administration (admins only): /api/users, /api/users/{id}.
namespace aop::http {
class Router;
}
namespace aop::app {
struct Services;
}

namespace aop::api {

void register_user_routes(http::Router& router, app::Services& services);

}  // namespace aop::api
