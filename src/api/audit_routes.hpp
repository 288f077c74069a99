#pragma once
// The security audit trail (admins only): GET /api/audit.
namespace aop::http {
class Router;
}
namespace aop::app {
struct Services;
}

namespace aop::api {

void register_audit_routes(http::Router& router, app::Services& services);

}  // namespace aop::api
