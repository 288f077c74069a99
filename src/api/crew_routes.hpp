#pragma once
// The crews endpoints, one file per group: crew_routes.cpp (CRUD, validate),
// crew_version_routes.cpp (history, restore), crew_deploy_routes.cpp (deploy, stop),
// crew_transfer_routes.cpp (export, import).
namespace aop::http {
class Router;
}
namespace aop::app {
struct Services;
}

namespace aop::api {

void register_crew_routes(http::Router& router, app::Services& services);
void register_crew_version_routes(http::Router& router, app::Services& services);
void register_crew_deploy_routes(http::Router& router, app::Services& services);
void register_crew_transfer_routes(http::Router& router, app::Services& services);

}  // namespace aop::api
