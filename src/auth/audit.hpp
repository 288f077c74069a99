#pragma once
// Security audit trail (audit_log). Written in the same transaction as the change it
// records, so an audited change and its record commit or roll back together.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "core/principal.hpp"
#include "store/database.hpp"

namespace aop::auth {

struct AuditEntry {
  std::string id;
  std::string team_id;
  std::string actor_user_id;
  std::string actor_key_id;
  std::string action;  // login.success, login.failure, logout, refresh.reuse_detected, user.role_changed, ...
  std::string target_type;
  std::string target_id;
  std::string ip;
  boost::json::object details;
  std::int64_t created_at = 0;
};

void record_audit(store::Connection& c, AuditEntry entry, std::int64_t now_ms);

// Fills actor fields from a principal.
AuditEntry audit_by(const core::Principal* principal, std::string action, std::string ip);

struct AuditFilter {
  std::string action;  // exact, or prefix ending in '.' ("login.")
  std::string actor_user_id;
  std::string team_id;
  std::optional<std::int64_t> from_ms, to_ms;
  std::optional<std::pair<std::int64_t, std::string>> after;  // keyset cursor
  int limit = 50;
};
std::vector<AuditEntry> list_audit(store::Connection& c, const AuditFilter& filter);

}  // namespace aop::auth
