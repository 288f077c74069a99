#include "api/analytics_routes.hpp"
#include "api/api_key_routes.hpp"
#include "api/audit_routes.hpp"
#include "api/auth_routes.hpp"
#include "api/crew_routes.hpp"
#include "api/env_routes.hpp"
#include "api/execution_routes.hpp"
#include "api/llm_provider_routes.hpp"
#include "api/observability_routes.hpp"
#include "api/system_routes.hpp"
#include "api/team_routes.hpp"
#include "api/user_routes.hpp"
#include "app/services.hpp"
#include "http/router.hpp"

namespace aop::app {

void register_product_routes(http::Router& router, Services& services) {
  api::register_system_routes(router, services.db, services.metrics, services.swagger_assets);
  api::register_auth_routes(router, services);
  api::register_team_routes(router, services);
  api::register_user_routes(router, services);
  api::register_api_key_routes(router, services);
  api::register_audit_routes(router, services);
  api::register_crew_routes(router, services);
  api::register_crew_version_routes(router, services);
  api::register_crew_deploy_routes(router, services);
  api::register_crew_transfer_routes(router, services);
  api::register_env_routes(router, services);
  api::register_llm_provider_routes(router, services);
  api::register_execution_run_routes(router, services);
  api::register_execution_routes(router, services);
  api::register_execution_stream_routes(router, services);
  api::register_analytics_routes(router, services);
  api::register_observability_routes(router, services);
}

}  // namespace aop::app
