#include "auth/audit.hpp"

#include <boost/json.hpp>

#include "core/ids.hpp"

namespace aop::auth {

namespace {
store::Value nullable(const std::string& s) { return s.empty() ? store::Value(nullptr) : store::Value(s); }
}  // namespace

void record_audit(store::Connection& c, AuditEntry e, std::int64_t now_ms) {
  if (e.id.empty()) e.id = core::new_id();
  c.execute(
      "INSERT INTO audit_log (id, team_id, actor_user_id, actor_key_id, action, target_type, target_id, ip, "
      "details, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {e.id, nullable(e.team_id), nullable(e.actor_user_id), nullable(e.actor_key_id), e.action,
       nullable(e.target_type), nullable(e.target_id), nullable(e.ip), boost::json::serialize(e.details), now_ms});
}

AuditEntry audit_by(const core::Principal* principal, std::string action, std::string ip) {
  AuditEntry e;
  e.action = std::move(action);
  e.ip = std::move(ip);
  if (principal) {
    e.actor_user_id = principal->user_id;
    e.actor_key_id = principal->key_id;
  }
  return e;
}

std::vector<AuditEntry> list_audit(store::Connection& c, const AuditFilter& f) {
  std::string sql =
      "SELECT id, team_id, actor_user_id, actor_key_id, action, target_type, target_id, ip, details, created_at "
      "FROM audit_log WHERE 1 = 1";
  store::Params p;
  if (!f.action.empty()) {
    if (f.action.back() == '.') {
      sql += " AND action LIKE ?";
      p.push_back(f.action + "%");
    } else {
      sql += " AND action = ?";
      p.push_back(f.action);
    }
  }
  if (!f.actor_user_id.empty()) { sql += " AND actor_user_id = ?"; p.push_back(f.actor_user_id); }
  if (!f.team_id.empty()) { sql += " AND team_id = ?"; p.push_back(f.team_id); }
  if (f.from_ms) { sql += " AND created_at >= ?"; p.push_back(*f.from_ms); }
  if (f.to_ms) { sql += " AND created_at < ?"; p.push_back(*f.to_ms); }
  if (f.after) {
    sql += " AND (created_at < ? OR (created_at = ? AND id < ?))";
    p.insert(p.end(), {f.after->first, f.after->first, f.after->second});
  }
  sql += " ORDER BY created_at DESC, id DESC LIMIT ?";
  p.push_back(static_cast<std::int64_t>(f.limit));
  std::vector<AuditEntry> out;
  for (auto r : c.query(sql, p)) {
    AuditEntry e;
    e.id = r.text(0);
    e.team_id = r.opt_text(1).value_or("");
    e.actor_user_id = r.opt_text(2).value_or("");
    e.actor_key_id = r.opt_text(3).value_or("");
    e.action = r.text(4);
    e.target_type = r.opt_text(5).value_or("");
    e.target_id = r.opt_text(6).value_or("");
    e.ip = r.opt_text(7).value_or("");
    boost::system::error_code ec;
    auto details = boost::json::parse(r.text(8), ec);
    if (!ec && details.is_object()) e.details = details.as_object();
    e.created_at = r.i64(9);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace aop::auth
