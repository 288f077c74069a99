#pragma once
// Operational endpoints: /healthz, /readyz, /metrics, the OpenAPI document and Swagger UI.
#include <string>

namespace aop::http {
class Router;
class Metrics;
class StaticFiles;
}  // namespace aop::http
namespace aop::store {
class Database;
}

namespace aop::api {

void register_system_routes(http::Router& router, store::Database& db, http::Metrics& metrics,
                            const http::StaticFiles& swagger_assets);

}  // namespace aop::api
