#include "api/system_routes.hpp"
#include "app/services.hpp"
#include "http/router.hpp"

namespace aop::app {

void register_product_routes(http::Router& router, Services& services) {
  api::register_system_routes(router, services.db, services.metrics, services.swagger_assets);
}

}  // namespace aop::app
