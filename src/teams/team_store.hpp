#pragma once
// Teams and memberships. Blocking: call inside Database::read/write.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace aop::teams {

struct Team {
  std::string id;
  std::string name;
  std::string slug;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct Membership {
  std::string team_id;
  std::string team_name;
  std::string user_id;
  std::string role;  // owner | member
  std::int64_t created_at = 0;
};

struct Member {
  std::string user_id;
  std::string email;
  std::string name;
  std::string platform_role;
  std::string role;  // team role
  std::int64_t joined_at = 0;
};

std::optional<Team> find_team(store::Connection& c, const std::string& id);
std::vector<Team> list_all_teams(store::Connection& c);
// Creates the team with `owner_id` as its owner; the slug is made unique.
Team create_team(store::Connection& c, const std::string& name, const std::string& owner_id,
                 std::int64_t now_ms);
void rename_team(store::Connection& c, const std::string& id, const std::string& name, std::int64_t now_ms);

// The user's teams, oldest membership first (the first is the default active team).
std::vector<Membership> memberships_of(store::Connection& c, const std::string& user_id);
std::vector<Member> members_of(store::Connection& c, const std::string& team_id);
std::optional<std::string> member_role(store::Connection& c, const std::string& team_id,
                                       const std::string& user_id);
// Adds or changes a membership; returns true when it was new.
bool upsert_member(store::Connection& c, const std::string& team_id, const std::string& user_id,
                   const std::string& role, std::int64_t now_ms);
bool remove_member(store::Connection& c, const std::string& team_id, const std::string& user_id);
std::int64_t count_owners(store::Connection& c, const std::string& team_id);

// "Acme Research" -> "acme-research"
std::string slugify(std::string_view name);

}  // namespace aop::teams
