#pragma once
// Team API keys: /api/api-keys, /api/api-keys/{id}, /api/api-keys/{id}/regenerate.
// The full key is returned once, on creation or regeneration; only its prefix and hash are kept.
namespace aop::http {
class Router;
}
namespace aop::app {
struct Services;
}

namespace aop::api {

void register_api_key_routes(http::Router& router, app::Services& services);

}  // namespace aop::api
