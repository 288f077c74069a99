#include "teams/team_store.hpp"

#include <cctype>

#include "core/ids.hpp"

namespace aop::teams {

namespace {
Team read_team(const store::Row& r) {
  return Team{r.text(0), r.text(1), r.text(2), r.i64(3), r.i64(4)};
}
}  // namespace

std::string slugify(std::string_view name) {
  std::string out;
  for (unsigned char ch : name) {
    if (std::isalnum(ch)) {
      out.push_back(static_cast<char>(std::tolower(ch)));
    } else if (!out.empty() && out.back() != '-') {
      out.push_back('-');
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.size() > 48) out.resize(48);
  return out.empty() ? "team" : out;
}

std::optional<Team> find_team(store::Connection& c, const std::string& id) {
  auto rows = c.query("SELECT id, name, slug, created_at, updated_at FROM teams WHERE id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return read_team(rows.front());
}

std::vector<Team> list_all_teams(store::Connection& c) {
  std::vector<Team> out;
  for (auto r : c.query("SELECT id, name, slug, created_at, updated_at FROM teams ORDER BY created_at, id"))
    out.push_back(read_team(r));
  return out;
}

Team create_team(store::Connection& c, const std::string& name, const std::string& owner_id,
                 std::int64_t now_ms) {
  Team t{core::new_id(), name, slugify(name), now_ms, now_ms};
  // Slugs are unique. ON CONFLICT DO NOTHING (not check-then-insert) so two concurrent
  // creations of the same name cannot both pass a check; the loser takes a suffix.
  const std::string base = t.slug;
  for (int attempt = 0;; ++attempt) {
    if (attempt > 0) t.slug = base + "-" + core::random_hex(3);
    if (c.execute("INSERT INTO teams (id, name, slug, created_at, updated_at) VALUES (?, ?, ?, ?, ?) "
                  "ON CONFLICT (slug) DO NOTHING",
                  {t.id, t.name, t.slug, t.created_at, t.updated_at}) == 1)
      break;
    if (attempt >= 8) throw store::DatabaseError("could not find a free slug for team \"" + name + "\"", true);
  }
  upsert_member(c, t.id, owner_id, "owner", now_ms);
  return t;
}

void rename_team(store::Connection& c, const std::string& id, const std::string& name, std::int64_t now_ms) {
  c.execute("UPDATE teams SET name = ?, updated_at = ? WHERE id = ?", {name, now_ms, id});
}

std::vector<Membership> memberships_of(store::Connection& c, const std::string& user_id) {
  std::vector<Membership> out;
  for (auto r : c.query("SELECT m.team_id, t.name, m.user_id, m.role, m.created_at FROM team_members m "
                        "JOIN teams t ON t.id = m.team_id WHERE m.user_id = ? ORDER BY m.created_at, m.team_id",
                        {user_id}))
    out.push_back(Membership{r.text(0), r.text(1), r.text(2), r.text(3), r.i64(4)});
  return out;
}

std::vector<Member> members_of(store::Connection& c, const std::string& team_id) {
  std::vector<Member> out;
  for (auto r : c.query("SELECT u.id, u.email, u.name, u.role, m.role, m.created_at FROM team_members m "
                        "JOIN users u ON u.id = m.user_id WHERE m.team_id = ? ORDER BY m.created_at, u.id",
                        {team_id}))
    out.push_back(Member{r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.i64(5)});
  return out;
}

std::optional<std::string> member_role(store::Connection& c, const std::string& team_id,
                                       const std::string& user_id) {
  auto rows = c.query("SELECT role FROM team_members WHERE team_id = ? AND user_id = ?", {team_id, user_id});
  if (rows.empty()) return std::nullopt;
  return rows.front().text(0);
}

bool upsert_member(store::Connection& c, const std::string& team_id, const std::string& user_id,
                   const std::string& role, std::int64_t now_ms) {
  if (member_role(c, team_id, user_id)) {
    c.execute("UPDATE team_members SET role = ? WHERE team_id = ? AND user_id = ?", {role, team_id, user_id});
    return false;
  }
  c.execute("INSERT INTO team_members (team_id, user_id, role, created_at) VALUES (?, ?, ?, ?)",
            {team_id, user_id, role, now_ms});
  return true;
}

bool remove_member(store::Connection& c, const std::string& team_id, const std::string& user_id) {
  return c.execute("DELETE FROM team_members WHERE team_id = ? AND user_id = ?", {team_id, user_id}) > 0;
}

std::int64_t count_owners(store::Connection& c, const std::string& team_id) {
  return c.query("SELECT COUNT(*) FROM team_members WHERE team_id = ? AND role = 'owner'", {team_id})
      .front()
      .i64(0);
}

}  // namespace aop::teams
