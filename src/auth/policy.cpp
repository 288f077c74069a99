#include "auth/policy.hpp"

#include <algorithm>

namespace aop::auth {

namespace {
const std::vector<std::string> k_everyone = {"admin", "developer", "viewer"};
const std::vector<std::string> k_builders = {"admin", "developer"};
const std::vector<std::string> k_admins = {"admin"};
}  // namespace

const std::vector<Policy>& all_policies() {
  static const std::vector<Policy> policies = {
      {"public", false, {}, "", false, "", false, "open to anyone"},
      {"self", true, k_everyone, "", false, "", false, "read or change your own account"},
      {"teams:list", true, k_everyone, "teams:read", false, "", false, "list your teams"},
      {"teams:create", true, k_builders, "", false, "", false, "create teams"},
      {"team:read", true, k_everyone, "teams:read", true, "id", false, "read a team you belong to"},
      {"team:manage", true, k_builders, "", true, "id", true, "manage a team you own"},
      {"users:admin", true, k_admins, "", false, "", false, "administer users"},
      {"audit:read", true, k_admins, "", false, "", false, "read the audit log"},
      {"api_keys:read", true, k_builders, "", true, "", false, "list API keys"},
      {"api_keys:write", true, k_builders, "", true, "", false, "create and revoke API keys"},
      {"crews:read", true, k_everyone, "crews:read", true, "", false, "read crews"},
      {"crews:write", true, k_builders, "crews:write", true, "", false, "create and edit crews"},
      {"crews:run", true, k_builders, "crews:run", true, "", false, "run crews"},
      {"executions:read", true, k_everyone, "executions:read", true, "", false, "read executions"},
      {"executions:write", true, k_builders, "executions:write", true, "", false, "cancel executions"},
      {"executions:stream", true, k_everyone, "executions:read", true, "", false, "stream execution events", true},
      // Stream tokens are for browsers; API clients send their key on the stream request itself.
      {"executions:stream_token", true, k_everyone, "", true, "", false, "get a stream token"},
      {"secrets:write", true, k_builders, "", true, "", false, "manage secrets and LLM connections"},
      {"team:secrets", true, k_builders, "", true, "id", false, "manage the team's environment variables"},
  };
  return policies;
}

const Policy* find_policy(std::string_view name) {
  for (const auto& p : all_policies())
    if (p.name == name) return &p;
  return nullptr;
}

const std::vector<ScopeInfo>& all_scopes() {
  static const std::vector<ScopeInfo> scopes = {
      {"crews:read", "viewer", "read crews and their versions"},
      {"crews:write", "developer", "create, edit, deploy and delete crews"},
      {"crews:run", "developer", "start executions"},
      {"executions:read", "viewer", "read executions, events, traces, logs and metrics"},
      {"executions:write", "developer", "cancel executions"},
      {"teams:read", "viewer", "read the key's team"},
  };
  return scopes;
}

const ScopeInfo* find_scope(std::string_view scope) {
  for (const auto& s : all_scopes())
    if (s.scope == scope) return &s;
  return nullptr;
}

int role_rank(std::string_view role) {
  if (role == "admin") return 3;
  if (role == "developer") return 2;
  if (role == "viewer") return 1;
  return 0;
}

bool is_platform_role(std::string_view role) { return role_rank(role) > 0; }

}  // namespace aop::auth
