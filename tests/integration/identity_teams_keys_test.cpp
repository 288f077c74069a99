// Teams and members, user administration, API keys, rate limits and the audit log, against the
// real server. Runs once per database (AOP_TEST_DB=sqlite|postgres).
#include <gtest/gtest.h>

#include <barrier>
#include <functional>
#include <set>
#include <regex>
#include <thread>

#include "core/clock.hpp"
#include "support/identity.hpp"

namespace aop::test {
namespace {

using namespace std::chrono_literals;

ServerOptions server_options(std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"--user-rate-limit", "0"};
  args.insert(args.end(), extra.begin(), extra.end());
  return ServerOptions::with_args(std::move(args));
}

// A server with an administrator (owner of the Default team).
struct World {
  explicit World(ServerOptions options = server_options()) : server(std::move(options)), api(server) {
    admin = register_account(api, "admin@example.com", "admin-password");
    team = first_team_id(api, admin.access_token);
  }
  // A user with `role`, member of the Default team.
  Account user(const std::string& stem, const std::string& role) {
    return create_user(api, admin.access_token, stem + "@example.com", stem + "-password", role, team);
  }
  // A developer in no team but a fresh one of their own.
  Account outsider(const std::string& stem, std::string* own_team) {
    auto parking = create_team(api, admin.access_token, "Parking " + stem);
    auto a = create_user(api, admin.access_token, stem + "@example.com", stem + "-password", "developer", parking);
    *own_team = create_team(api, a.access_token, stem + "'s team");
    // Leave the parking team so the outsider belongs only to their own team.
    expect_status(api.del("/api/teams/" + parking + "/members/" + a.id, admin.auth()), 204, "leave parking team");
    return a;
  }
  ServerProcess server;
  ApiClient api;
  Account admin;
  std::string team;
};

std::map<std::string, std::string> member_roles(ApiClient& api, const std::string& token, const std::string& team) {
  auto r = api.get("/api/teams/" + team + "/members", bearer(token));
  expect_status(r, 200, "list members of " + team);
  std::map<std::string, std::string> roles;
  auto doc = r.json();
  for (const auto& m : doc.at("items").as_array()) roles[str(m, "user_id")] = str(m, "role");
  return roles;
}

// ---- teams ----------------------------------------------------------------------------------

TEST(IdentityTeams, CreateListGetAndRename) {
  World w;
  auto dev = w.user("dev", "developer");
  auto r = w.api.post("/api/teams", json::object{{"name", "  Platform  "}}, dev.auth());
  ASSERT_TRUE(has_status(r, 201));
  auto created = r.json();
  auto id = str(created, "id");
  ASSERT_FALSE(id.empty()) << show(r);
  EXPECT_EQ(str(created, "name"), "Platform") << show(r);
  EXPECT_EQ(str(created, "role"), "owner") << show(r);
  EXPECT_EQ(created.at("member_count").as_int64(), 1) << show(r);
  EXPECT_EQ(member_roles(w.api, dev.access_token, id), (std::map<std::string, std::string>{{dev.id, "owner"}}));

  auto list = w.api.get("/api/teams", dev.auth());
  ASSERT_TRUE(has_status(list, 200));
  std::map<std::string, std::string> mine;
  auto ldoc = list.json();
  for (const auto& t : ldoc.at("items").as_array()) mine[str(t, "id")] = str(t, "role");
  EXPECT_EQ(mine, (std::map<std::string, std::string>{{id, "owner"}, {w.team, "member"}})) << show(list);

  auto got = w.api.get("/api/teams/" + id, dev.auth());
  ASSERT_TRUE(has_status(got, 200));
  EXPECT_EQ(str(got.json(), "name"), "Platform") << show(got);

  r = w.api.put("/api/teams/" + id, json::object{{"name", "Platform team"}}, dev.auth());
  ASSERT_TRUE(has_status(r, 200));
  EXPECT_EQ(str(r.json(), "name"), "Platform team") << show(r);
  EXPECT_EQ(str(w.api.get("/api/teams/" + id, dev.auth()).json(), "name"), "Platform team");
  EXPECT_TRUE(has_error_path(w.api.put("/api/teams/" + id, json::object{{"name", "   "}}, dev.auth()), "name"));

  // A plain member may read the team but not rename it.
  auto member = w.user("member", "developer");
  add_member(w.api, dev.access_token, id, member.id);
  EXPECT_TRUE(has_status(w.api.get("/api/teams/" + id, member.auth()), 200));
  EXPECT_TRUE(is_problem(w.api.put("/api/teams/" + id, json::object{{"name", "Hijacked"}}, member.auth()), 403));
  EXPECT_EQ(str(w.api.get("/api/teams/" + id, dev.auth()).json(), "name"), "Platform team");
}

// Length limits count characters, as their messages say, not UTF-8 bytes: the UI speaks Korean.
TEST(IdentityTeams, NameLimitsCountCharactersNotBytes) {
  World w;
  std::string korean;
  for (int i = 0; i < 40; ++i) korean += "\xED\x8C\x80";  // 40 x U+D300 (3 bytes each in UTF-8)
  auto r = w.api.post("/api/teams", json::object{{"name", korean}}, w.admin.auth());
  ASSERT_TRUE(has_status(r, 201)) << "a 40-character Korean team name (limit 100 characters)";
  EXPECT_EQ(str(r.json(), "name"), korean);
  std::string too_long(101, 'x');
  EXPECT_TRUE(has_error_path(w.api.post("/api/teams", json::object{{"name", too_long}}, w.admin.auth()), "name"));
}

TEST(IdentityTeams, MembersAreAddedChangedAndRemoved) {
  World w;
  auto owner = w.user("owner", "developer");
  auto team = create_team(w.api, owner.access_token, "Crew builders");
  auto joiner = w.user("joiner", "viewer");

  auto r = w.api.post("/api/teams/" + team + "/members", json::object{{"email", " Joiner@Example.com "}}, owner.auth());
  ASSERT_TRUE(has_status(r, 201));
  EXPECT_EQ(str(r.json(), "user_id"), joiner.id) << show(r);
  EXPECT_EQ(str(r.json(), "role"), "member") << show(r);
  EXPECT_EQ(str(r.json(), "platform_role"), "viewer") << show(r);
  EXPECT_EQ(member_roles(w.api, owner.access_token, team)[joiner.id], "member");
  EXPECT_TRUE(has_status(w.api.get("/api/teams/" + team, joiner.auth()), 200)) << "the new member sees the team";

  r = w.api.post("/api/teams/" + team + "/members", json::object{{"user_id", joiner.id}, {"role", "owner"}},
                 owner.auth());
  ASSERT_TRUE(has_status(r, 200)) << "a role change of an existing member";
  EXPECT_EQ(member_roles(w.api, owner.access_token, team)[joiner.id], "owner");

  r = w.api.post("/api/teams/" + team + "/members", json::object{{"email", "nobody@example.com"}}, owner.auth());
  EXPECT_TRUE(is_problem(r, 422));
  EXPECT_TRUE(has_error_path(r, "email"));
  r = w.api.post("/api/teams/" + team + "/members", json::object{{"user_id", joiner.id}, {"role", "boss"}},
                 owner.auth());
  EXPECT_TRUE(has_error_path(r, "role"));

  EXPECT_TRUE(has_status(w.api.del("/api/teams/" + team + "/members/" + joiner.id, owner.auth()), 204));
  EXPECT_EQ(member_roles(w.api, owner.access_token, team).count(joiner.id), 0u);
  EXPECT_TRUE(is_problem(w.api.del("/api/teams/" + team + "/members/" + joiner.id, owner.auth()), 404));
  EXPECT_TRUE(is_problem(w.api.get("/api/teams/" + team, joiner.auth()), 404)) << "a removed member no longer sees it";
}

TEST(IdentityTeams, TheLastOwnerCannotLeave) {
  World w;
  auto owner = w.user("owner", "developer");
  auto team = create_team(w.api, owner.access_token, "Solo");
  EXPECT_TRUE(is_problem(w.api.del("/api/teams/" + team + "/members/" + owner.id, owner.auth()), 409));
  EXPECT_TRUE(is_problem(w.api.post("/api/teams/" + team + "/members",
                                    json::object{{"user_id", owner.id}, {"role", "member"}}, owner.auth()),
                         409));
  // Even an administrator cannot leave a team without owners.
  EXPECT_TRUE(is_problem(w.api.del("/api/teams/" + team + "/members/" + owner.id, w.admin.auth()), 409));
  EXPECT_EQ(member_roles(w.api, owner.access_token, team)[owner.id], "owner");

  auto second = w.user("second", "developer");
  add_member(w.api, owner.access_token, team, second.id, "owner");
  EXPECT_TRUE(has_status(w.api.del("/api/teams/" + team + "/members/" + owner.id, owner.auth()), 204));
  EXPECT_TRUE(is_problem(w.api.del("/api/teams/" + team + "/members/" + second.id, second.auth()), 409));
}

TEST(IdentityTeams, OutsidersGet404ForTheTeamAnd403ForItsHeader) {
  World w;
  std::string own;
  auto outsider = w.outsider("outsider", &own);
  EXPECT_TRUE(is_problem(w.api.get("/api/teams/" + w.team, outsider.auth()), 404));
  EXPECT_TRUE(is_problem(w.api.get("/api/teams/" + w.team + "/members", outsider.auth()), 404));
  EXPECT_TRUE(is_problem(w.api.put("/api/teams/" + w.team, json::object{{"name", "Mine now"}}, outsider.auth()), 404));
  EXPECT_TRUE(is_problem(w.api.post("/api/teams/" + w.team + "/members", json::object{{"user_id", outsider.id}},
                                    outsider.auth()),
                         404));
  // The same answer as for a team that does not exist.
  EXPECT_TRUE(is_problem(w.api.get("/api/teams/01a20000-0000-7000-8000-000000000000", outsider.auth()), 404));
  // Not listed either.
  auto list = w.api.get("/api/teams", outsider.auth());
  EXPECT_EQ(list.body.find(w.team), std::string::npos) << show(list);

  // Choosing a team one is not in as the active team is forbidden, by header or query.
  EXPECT_TRUE(is_problem(w.api.get("/api/api-keys", bearer_in_team(outsider.access_token, w.team)), 403));
  EXPECT_TRUE(is_problem(w.api.get("/api/api-keys?team_id=" + w.team, outsider.auth()), 403));
  EXPECT_TRUE(is_problem(w.api.post("/api/api-keys",
                                    json::object{{"name", "sneaky"}, {"permissions", json::array{"teams:read"}}},
                                    bearer_in_team(outsider.access_token, w.team)),
                         403));
  // Their own team works.
  EXPECT_TRUE(has_status(w.api.get("/api/api-keys", bearer_in_team(outsider.access_token, own)), 200));
  EXPECT_TRUE(has_status(w.api.get("/api/api-keys", outsider.auth()), 200));
}

TEST(IdentityTeams, RemovingAMemberRevokesTheirKeysForThatTeam) {
  World w;
  auto dev = w.user("dev", "developer");
  auto key = create_api_key(w.api, dev.access_token, w.team, {"teams:read"});
  ASSERT_TRUE(has_status(w.api.get("/api/teams", bearer(key.key)), 200));
  ASSERT_TRUE(has_status(w.api.del("/api/teams/" + w.team + "/members/" + dev.id, w.admin.auth()), 204));
  EXPECT_TRUE(is_unauthenticated(w.api.get("/api/teams", bearer(key.key))));
}

// ---- users (administration) -----------------------------------------------------------------

TEST(IdentityUsers, RoleChangeTakesEffectAtOnce) {
  World w;
  auto dev = w.user("dev", "developer");
  ASSERT_TRUE(has_status(w.api.post("/api/api-keys",
                                    json::object{{"name", "before"}, {"permissions", json::array{"teams:read"}}},
                                    dev.auth()),
                         201));
  auto r = w.api.patch("/api/users/" + dev.id, json::object{{"role", "viewer"}}, w.admin.auth());
  ASSERT_TRUE(has_status(r, 200));
  EXPECT_EQ(str(r.json(), "role"), "viewer") << show(r);

  EXPECT_TRUE(is_unauthenticated(w.api.get("/api/auth/me", dev.auth()))) << "the token carrying the old role";
  EXPECT_TRUE(is_problem(w.api.post("/api/auth/refresh", json::object{{"refresh_token", dev.refresh_token}}), 401))
      << "the old session cannot mint a new token either";
  auto again = login(w.api, "dev@example.com", "dev-password");
  EXPECT_EQ(again.role, "viewer");
  EXPECT_TRUE(is_problem(w.api.post("/api/api-keys",
                                    json::object{{"name", "after"}, {"permissions", json::array{"teams:read"}}},
                                    again.auth()),
                         403));
  // The listing shows the new role.
  auto users = w.api.get("/api/users?q=dev@example.com", w.admin.auth());
  EXPECT_NE(users.body.find("\"role\":\"viewer\""), std::string::npos) << show(users);
}

TEST(IdentityUsers, DeactivationBlocksLoginTokensAndKeys) {
  World w;
  auto dev = w.user("dev", "developer");
  auto key = create_api_key(w.api, dev.access_token, w.team, {"teams:read"});
  ASSERT_TRUE(has_status(w.api.get("/api/teams", bearer(key.key)), 200));

  auto r = w.api.patch("/api/users/" + dev.id, json::object{{"is_active", false}}, w.admin.auth());
  ASSERT_TRUE(has_status(r, 200));
  EXPECT_FALSE(r.json().at("is_active").as_bool()) << show(r);
  EXPECT_TRUE(is_problem(w.api.post("/api/auth/login", json::object{{"email", dev.email}, {"password", dev.password}}),
                         401));
  EXPECT_TRUE(is_unauthenticated(w.api.get("/api/auth/me", dev.auth())));
  EXPECT_TRUE(is_problem(w.api.post("/api/auth/refresh", json::object{{"refresh_token", dev.refresh_token}}), 401));
  EXPECT_TRUE(is_unauthenticated(w.api.get("/api/teams", bearer(key.key)))) << "the keys of an inactive user stop";

  ASSERT_TRUE(has_status(w.api.patch("/api/users/" + dev.id, json::object{{"is_active", true}}, w.admin.auth()), 200));
  auto back = login(w.api, dev.email, dev.password);
  EXPECT_TRUE(has_status(w.api.get("/api/auth/me", back.auth()), 200));
  EXPECT_TRUE(has_status(w.api.get("/api/teams", bearer(key.key)), 200));
}

TEST(IdentityUsers, AdministratorsCannotLockThemselvesOut) {
  World w;
  EXPECT_TRUE(is_problem(w.api.patch("/api/users/" + w.admin.id, json::object{{"role", "developer"}}, w.admin.auth()),
                         409));
  EXPECT_TRUE(is_problem(w.api.patch("/api/users/" + w.admin.id, json::object{{"is_active", false}}, w.admin.auth()),
                         409));
  EXPECT_TRUE(has_status(w.api.get("/api/users", w.admin.auth()), 200));
  EXPECT_TRUE(is_problem(w.api.patch("/api/users/01a20000-0000-7000-8000-000000000000",
                                     json::object{{"name", "x"}}, w.admin.auth()),
                         404));
}

TEST(IdentityUsers, CreationIsValidated) {
  World w;
  auto r = w.api.post("/api/users", json::object{{"email", "ADMIN@example.com"}, {"password", "long-password"}},
                      w.admin.auth());
  EXPECT_TRUE(is_problem(r, 409));
  r = w.api.post("/api/users",
                 json::object{{"email", "bad"}, {"password", "short"}, {"role", "superuser"}}, w.admin.auth());
  ASSERT_TRUE(is_problem(r, 422));
  EXPECT_TRUE(has_error_path(r, "email"));
  EXPECT_TRUE(has_error_path(r, "password"));
  EXPECT_TRUE(has_error_path(r, "role"));
  r = w.api.post("/api/users",
                 json::object{{"email", "x@example.com"}, {"password", "long-password"}, {"team_id", "no-such-team"}},
                 w.admin.auth());
  ASSERT_TRUE(is_problem(r, 422));
  EXPECT_TRUE(has_error_path(r, "team_id"));
}

// ---- API keys -------------------------------------------------------------------------------

TEST(IdentityApiKeys, TheKeyIsShownOnceAndNeverListed) {
  World w;
  auto dev = w.user("dev", "developer");
  auto r = w.api.post("/api/api-keys",
                      json::object{{"name", "ci"}, {"permissions", json::array{"teams:read", "crews:read"}}},
                      bearer_in_team(dev.access_token, w.team));
  ASSERT_TRUE(has_status(r, 201));
  auto doc = r.json();
  auto key = str(doc, "key");
  static const std::regex shape("^aop_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$");
  EXPECT_TRUE(std::regex_match(key, shape)) << key;
  EXPECT_EQ(str(doc, "prefix"), key.substr(4, 8)) << show(r);
  EXPECT_EQ(json::serialize(doc.at("permissions")), R"(["teams:read","crews:read"])") << show(r);
  auto secret = key.substr(13);

  for (const auto& who : {dev, w.admin}) {
    auto list = w.api.get("/api/api-keys", bearer_in_team(who.access_token, w.team));
    ASSERT_TRUE(has_status(list, 200));
    EXPECT_NE(list.body.find(str(doc, "id")), std::string::npos) << show(list);
    EXPECT_EQ(list.body.find(secret), std::string::npos) << "the listing shows the key:\n" << show(list);
    std::vector<std::string> names;
    collect_member_names(list.json(), names);
    for (const auto& n : names) {
      EXPECT_NE(n, "key") << show(list);
      EXPECT_EQ(n.find("hash"), std::string::npos) << show(list);
      EXPECT_EQ(n.find("secret"), std::string::npos) << show(list);
    }
  }
}

TEST(IdentityApiKeys, AKeyAuthenticatesAsBearerOrXApiKey) {
  World w;
  auto key = create_api_key(w.api, w.admin.access_token, w.team, {"teams:read"});
  for (const auto& headers : {bearer(key.key), api_key_header(key.key)}) {
    auto r = w.api.get("/api/teams", headers);
    ASSERT_TRUE(has_status(r, 200));
    auto doc = r.json();
    const auto& items = doc.at("items").as_array();
    ASSERT_EQ(items.size(), 1u) << "a key sees only its own team:\n" << show(r);
    EXPECT_EQ(str(items[0], "id"), w.team) << show(r);
    EXPECT_FALSE(r.header("ratelimit-limit").empty()) << show(r);
  }
  // A key with a wrong secret (same prefix), a malformed key and an unknown key are refused.
  auto wrong = key.key;
  wrong[20] = wrong[20] == 'A' ? 'B' : 'A';
  EXPECT_TRUE(is_unauthenticated(w.api.get("/api/teams", bearer(wrong))));
  EXPECT_TRUE(is_unauthenticated(w.api.get("/api/teams", api_key_header(wrong))));
  EXPECT_TRUE(is_unauthenticated(w.api.get("/api/teams", api_key_header("aop_short"))));
  EXPECT_TRUE(is_unauthenticated(w.api.get("/api/teams", bearer("aop_zzzzzzzz_" + key.key.substr(13)))));
}

TEST(IdentityApiKeys, ScopesAreCheckedAtCreation) {
  World w;
  auto viewer = w.user("viewer", "viewer");
  auto dev = w.user("dev", "developer");
  auto body = [](json::array perms) { return json::object{{"name", "k"}, {"permissions", std::move(perms)}}; };
  EXPECT_TRUE(is_problem(w.api.post("/api/api-keys", body({"teams:read"}), viewer.auth()), 403))
      << "viewers cannot create keys";
  auto r = w.api.post("/api/api-keys", body({"teams:read", "admin:everything"}), dev.auth());
  ASSERT_TRUE(is_problem(r, 422));
  EXPECT_TRUE(has_error_path(r, "permissions[1]"));
  r = w.api.post("/api/api-keys", body({}), dev.auth());
  ASSERT_TRUE(is_problem(r, 422));
  EXPECT_TRUE(has_error_path(r, "permissions"));
  r = w.api.post("/api/api-keys", json::object{{"name", "k"}}, dev.auth());
  ASSERT_TRUE(is_problem(r, 422));
  EXPECT_TRUE(has_error_path(r, "permissions"));
  // Every scope a developer may hold is accepted.
  r = w.api.post("/api/api-keys",
                 body({"crews:read", "crews:write", "crews:run", "executions:read", "executions:write", "teams:read"}),
                 dev.auth());
  EXPECT_TRUE(has_status(r, 201));
}

TEST(IdentityApiKeys, AnExpiredKeyIsRefused) {
  World w;
  auto past = core::format_iso8601(core::system_clock().now_ms() - 1000);
  auto r = w.api.post("/api/api-keys",
                      json::object{{"name", "k"}, {"permissions", json::array{"teams:read"}}, {"expires_at", past}},
                      w.admin.auth());
  ASSERT_TRUE(is_problem(r, 422));
  EXPECT_TRUE(has_error_path(r, "expires_at"));

  auto expires_ms = core::system_clock().now_ms() + 3000;
  auto key = create_api_key(w.api, w.admin.access_token, w.team, {"teams:read"}, "short-lived",
                            json::object{{"expires_at", core::format_iso8601(expires_ms)}});
  EXPECT_TRUE(has_status(w.api.get("/api/teams", bearer(key.key)), 200));
  while (core::system_clock().now_ms() <= expires_ms + 200) std::this_thread::sleep_for(50ms);
  auto after = w.api.get("/api/teams", bearer(key.key));
  EXPECT_TRUE(is_unauthenticated(after));
  EXPECT_NE(after.body.find("expired"), std::string::npos) << show(after);
}

TEST(IdentityApiKeys, ARevokedKeyIsRefused) {
  World w;
  auto dev = w.user("dev", "developer");
  auto key = create_api_key(w.api, dev.access_token, w.team, {"teams:read"});
  ASSERT_TRUE(has_status(w.api.get("/api/teams", bearer(key.key)), 200));
  // Another developer of the team may not revoke it; its creator may.
  auto other = w.user("other", "developer");
  EXPECT_TRUE(is_problem(w.api.del("/api/api-keys/" + key.id, other.auth()), 403));
  EXPECT_TRUE(has_status(w.api.get("/api/teams", bearer(key.key)), 200));
  EXPECT_TRUE(has_status(w.api.del("/api/api-keys/" + key.id, dev.auth()), 204));
  EXPECT_TRUE(is_unauthenticated(w.api.get("/api/teams", bearer(key.key))));
  EXPECT_TRUE(is_unauthenticated(w.api.get("/api/teams", api_key_header(key.key))));
  EXPECT_TRUE(is_problem(w.api.del("/api/api-keys/" + key.id, dev.auth()), 404));
  EXPECT_TRUE(is_problem(w.api.request("POST", "/api/api-keys/" + key.id + "/regenerate", {}, dev.auth()), 404));
  auto list = w.api.get("/api/api-keys", dev.auth());
  auto doc = list.json();
  for (const auto& k : doc.at("items").as_array()) {
    if (str(k, "id") == key.id) {
      EXPECT_FALSE(k.at("is_active").as_bool()) << show(list);
    }
  }
}

TEST(IdentityApiKeys, TeamOwnersManageTheirMembersKeys) {
  World w;
  auto owner = w.user("owner", "developer");
  auto member = w.user("member", "developer");
  auto team = create_team(w.api, owner.access_token, "Owned");
  add_member(w.api, owner.access_token, team, member.id);
  auto a = create_api_key(w.api, member.access_token, team, {"teams:read"}, "member key a");
  auto b = create_api_key(w.api, member.access_token, team, {"teams:read"}, "member key b");
  auto regenerate =
      w.api.request("POST", "/api/api-keys/" + a.id + "/regenerate", {}, bearer_in_team(owner.access_token, team));
  EXPECT_TRUE(has_status(regenerate, 200));
  EXPECT_TRUE(has_status(w.api.del("/api/api-keys/" + b.id, bearer_in_team(owner.access_token, team)), 204));
  EXPECT_TRUE(is_unauthenticated(w.api.get("/api/teams", bearer(b.key))));
  // The member's keys belong to that team only: the member's other team does not list them, and
  // their ids are unknown there.
  auto list = w.api.get("/api/api-keys", bearer_in_team(member.access_token, w.team));
  ASSERT_TRUE(has_status(list, 200));
  EXPECT_EQ(list.body.find(a.id), std::string::npos) << show(list);
  EXPECT_TRUE(is_problem(w.api.del("/api/api-keys/" + a.id, bearer_in_team(member.access_token, w.team)), 404));
  list = w.api.get("/api/api-keys", bearer_in_team(member.access_token, team));
  EXPECT_NE(list.body.find(a.id), std::string::npos) << show(list);
}

TEST(IdentityApiKeys, RegenerateReplacesTheSecret) {
  World w;
  auto dev = w.user("dev", "developer");
  auto old_key = create_api_key(w.api, dev.access_token, w.team, {"teams:read"}, "rotating");
  auto r = w.api.request("POST", "/api/api-keys/" + old_key.id + "/regenerate", {}, dev.auth());
  ASSERT_TRUE(has_status(r, 200));
  auto fresh = issued_key(r);
  EXPECT_EQ(fresh.id, old_key.id);
  EXPECT_NE(fresh.key, old_key.key);
  EXPECT_NE(fresh.prefix, old_key.prefix);
  EXPECT_EQ(str(r.json(), "name"), "rotating") << show(r);
  EXPECT_TRUE(is_unauthenticated(w.api.get("/api/teams", bearer(old_key.key))));
  EXPECT_TRUE(has_status(w.api.get("/api/teams", bearer(fresh.key)), 200));
  auto list = w.api.get("/api/api-keys", dev.auth());
  EXPECT_NE(list.body.find(fresh.prefix), std::string::npos) << show(list);
  EXPECT_EQ(list.body.find(old_key.prefix), std::string::npos) << show(list);
}

TEST(IdentityApiKeys, AKeyOutsideItsScopeGets403NamingTheScope) {
  World w;
  auto key = create_api_key(w.api, w.admin.access_token, w.team, {"crews:read", "executions:read"});
  auto r = w.api.get("/api/teams", bearer(key.key));
  ASSERT_TRUE(is_problem(r, 403));
  EXPECT_NE(str(r.json(), "detail").find("teams:read"), std::string::npos) << show(r);
  r = w.api.get("/api/teams/" + w.team, api_key_header(key.key));
  ASSERT_TRUE(is_problem(r, 403));
  EXPECT_NE(str(r.json(), "detail").find("teams:read"), std::string::npos) << show(r);
  // Routes no scope grants are refused to every key, even an administrator's.
  EXPECT_TRUE(is_problem(w.api.get("/api/users", bearer(key.key)), 403));
  EXPECT_TRUE(is_problem(w.api.get("/api/auth/me", bearer(key.key)), 403));
}

TEST(IdentityApiKeys, AKeyActsOnlyInItsOwnTeam) {
  World w;
  std::string other_team;
  auto outsider = w.outsider("outsider", &other_team);
  auto key = create_api_key(w.api, w.admin.access_token, w.team, {"teams:read"});
  // Another team in the path: not found, as for a team that does not exist.
  EXPECT_TRUE(is_problem(w.api.get("/api/teams/" + other_team, bearer(key.key)), 404));
  EXPECT_TRUE(is_problem(w.api.get("/api/teams/" + other_team + "/members", bearer(key.key)), 404));
  // Asking for another team as the active team does not widen what the key sees.
  auto r = w.api.get("/api/teams", with_team(bearer(key.key), other_team));
  if (r.status == 200) {
    EXPECT_EQ(r.body.find(other_team), std::string::npos) << show(r);
  } else {
    EXPECT_TRUE(is_problem(r, 403));
  }
  // The outsider's own key cannot see the fixture team.
  auto theirs = create_api_key(w.api, outsider.access_token, other_team, {"teams:read"});
  EXPECT_TRUE(is_problem(w.api.get("/api/teams/" + w.team, bearer(theirs.key)), 404));
  EXPECT_TRUE(has_status(w.api.get("/api/teams/" + other_team, bearer(theirs.key)), 200));
}

// ---- rate limits ----------------------------------------------------------------------------

void expect_rate_limited(const HttpResult& r, int limit) {
  ASSERT_TRUE(is_problem(r, 429));
  int retry = std::atoi(r.header("retry-after").c_str());
  EXPECT_GE(retry, 1) << show(r);
  EXPECT_LE(retry, 60) << show(r);
  EXPECT_EQ(r.header("ratelimit-limit"), std::to_string(limit)) << show(r);
  EXPECT_EQ(r.header("ratelimit-remaining"), "0") << show(r);
  EXPECT_FALSE(r.header("ratelimit-reset").empty()) << show(r);
  EXPECT_GE(std::atoi(r.header("ratelimit-reset").c_str()), 1) << show(r);
}

TEST(IdentityRateLimit, AKeyGetsExactlyItsLimitThen429) {
  World w;
  constexpr int k_limit = 5;
  auto key = create_api_key(w.api, w.admin.access_token, w.team, {"teams:read"}, "limited",
                            json::object{{"rate_limit", k_limit}});
  for (int i = 0; i < k_limit; ++i) {
    auto r = w.api.get("/api/teams", bearer(key.key));
    ASSERT_TRUE(has_status(r, 200)) << "request " << i + 1;
    EXPECT_EQ(r.header("ratelimit-limit"), std::to_string(k_limit)) << show(r);
    EXPECT_EQ(r.header("ratelimit-remaining"), std::to_string(k_limit - 1 - i)) << show(r);
    EXPECT_FALSE(r.header("ratelimit-reset").empty()) << show(r);
  }
  for (int i = 0; i < 3; ++i) expect_rate_limited(w.api.get("/api/teams", bearer(key.key)), k_limit);
  // Other keys and users are not affected.
  auto other = create_api_key(w.api, w.admin.access_token, w.team, {"teams:read"}, "other");
  EXPECT_TRUE(has_status(w.api.get("/api/teams", bearer(other.key)), 200));
}

TEST(IdentityRateLimit, ConcurrentRequestsStillGetExactlyTheLimit) {
  World w;
  constexpr int k_limit = 5;
  constexpr int k_threads = 8;
  constexpr int k_per_thread = 2;
  auto key = create_api_key(w.api, w.admin.access_token, w.team, {"teams:read"}, "limited",
                            json::object{{"rate_limit", k_limit}});
  std::barrier start(k_threads);
  std::vector<std::vector<HttpResult>> results(k_threads);
  std::vector<std::thread> threads;
  for (int t = 0; t < k_threads; ++t)
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < k_per_thread; ++i)
        results[t].push_back(w.api.get("/api/teams", t % 2 ? bearer(key.key) : api_key_header(key.key)));
    });
  for (auto& th : threads) th.join();
  int ok = 0, limited = 0;
  for (const auto& list : results)
    for (const auto& r : list) {
      if (r.status == 200) ++ok;
      else {
        ++limited;
        expect_rate_limited(r, k_limit);
      }
    }
  EXPECT_EQ(ok, k_limit);
  EXPECT_EQ(limited, k_threads * k_per_thread - k_limit);
}

TEST(IdentityRateLimit, KeysWithoutTheirOwnLimitGetTheServerDefault) {
  World w(ServerOptions::with_args({"--user-rate-limit", "0", "--api-key-rate-limit", "3"}));
  auto key = create_api_key(w.api, w.admin.access_token, w.team, {"teams:read"});
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(has_status(w.api.get("/api/teams", api_key_header(key.key)), 200)) << i;
  expect_rate_limited(w.api.get("/api/teams", api_key_header(key.key)), 3);
  // A key's own limit overrides the default.
  auto roomy =
      create_api_key(w.api, w.admin.access_token, w.team, {"teams:read"}, "roomy", json::object{{"rate_limit", 10}});
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(has_status(w.api.get("/api/teams", api_key_header(roomy.key)), 200)) << i;
  expect_rate_limited(w.api.get("/api/teams", api_key_header(roomy.key)), 10);
}

TEST(IdentityRateLimit, UsersAreLimitedPerUser) {
  World w(ServerOptions::with_args({"--user-rate-limit", "4"}));
  // register + first_team_id spent one request of the administrator's budget (GET /api/auth/me).
  int ok = 1;
  HttpResult r;
  while ((r = w.api.get("/api/auth/me", w.admin.auth())).status == 200) {
    ++ok;
    ASSERT_LE(ok, 10) << "the user rate limit does not apply";
  }
  EXPECT_EQ(ok, 4);
  expect_rate_limited(r, 4);
}

// ---- audit log ------------------------------------------------------------------------------

TEST(IdentityAudit, TheLogRecordsIdentityEvents) {
  World w;
  auto dev = w.user("dev", "developer");  // user.create + login.success
  EXPECT_TRUE(is_problem(w.api.post("/api/auth/login", json::object{{"email", dev.email}, {"password", "wrong-pass"}}),
                         401));  // login.failure
  auto key = create_api_key(w.api, dev.access_token, w.team, {"teams:read"});  // api_key.create
  auto joiner = w.user("joiner", "viewer");
  auto team = create_team(w.api, dev.access_token, "Audited");
  add_member(w.api, dev.access_token, team, joiner.id);  // team.member_added
  ASSERT_TRUE(has_status(w.api.patch("/api/users/" + joiner.id, json::object{{"role", "developer"}}, w.admin.auth()),
                         200));  // user.role_changed

  auto r = w.api.get("/api/audit?limit=200", w.admin.auth());
  ASSERT_TRUE(has_status(r, 200));
  auto doc = r.json();
  const auto& items = doc.at("items").as_array();
  auto find = [&](const std::string& action, const std::string& target_id) -> const json::value* {
    for (const auto& e : items)
      if (str(e, "action") == action && (target_id.empty() || str(e, "target_id") == target_id)) return &e;
    return nullptr;
  };
  const auto* success = find("login.success", "");
  ASSERT_TRUE(success) << show(r, 20000);
  const auto* failure = find("login.failure", "");
  ASSERT_TRUE(failure) << show(r, 20000);
  EXPECT_EQ(str(*failure, "actor_user_id"), dev.id) << show(r, 20000);
  const auto* created = find("api_key.create", key.id);
  ASSERT_TRUE(created) << show(r, 20000);
  EXPECT_EQ(str(*created, "actor_user_id"), dev.id);
  EXPECT_EQ(str(*created, "team_id"), w.team);
  const auto* added = find("team.member_added", joiner.id);
  ASSERT_TRUE(added) << show(r, 20000);
  EXPECT_EQ(str(*added, "team_id"), team);
  const auto* changed = find("user.role_changed", joiner.id);
  ASSERT_TRUE(changed) << show(r, 20000);
  EXPECT_EQ(str(*changed, "actor_user_id"), w.admin.id);
  EXPECT_EQ(str(changed->at("details"), "from"), "viewer");
  EXPECT_EQ(str(changed->at("details"), "to"), "developer");
  // Newest first.
  for (std::size_t i = 1; i < items.size(); ++i)
    EXPECT_GE(str(items[i - 1], "created_at"), str(items[i], "created_at")) << "entry " << i;

  // Filters.
  auto f = w.api.get("/api/audit?action=login.failure", w.admin.auth());
  ASSERT_TRUE(has_status(f, 200));
  auto fdoc = f.json();
  ASSERT_EQ(fdoc.at("items").as_array().size(), 1u) << show(f);
  for (const auto& e : fdoc.at("items").as_array()) EXPECT_EQ(str(e, "action"), "login.failure") << show(f);
  f = w.api.get("/api/audit?action=user.role_changed&actor_user_id=" + w.admin.id, w.admin.auth());
  fdoc = f.json();
  ASSERT_EQ(fdoc.at("items").as_array().size(), 1u) << show(f);
  f = w.api.get("/api/audit?action=no.such.action", w.admin.auth());
  ASSERT_TRUE(has_status(f, 200));
  EXPECT_TRUE(f.json().at("items").as_array().empty()) << show(f);
  f = w.api.get("/api/audit?team_id=" + team, w.admin.auth());
  fdoc = f.json();
  ASSERT_FALSE(fdoc.at("items").as_array().empty()) << show(f);
  for (const auto& e : fdoc.at("items").as_array()) EXPECT_EQ(str(e, "team_id"), team) << show(f);
  // Paging: limit=1 gives one entry and a cursor to the next.
  f = w.api.get("/api/audit?limit=1", w.admin.auth());
  fdoc = f.json();
  ASSERT_EQ(fdoc.at("items").as_array().size(), 1u) << show(f);
  ASSERT_TRUE(fdoc.at("next_cursor").is_string()) << show(f);
  auto next = w.api.get("/api/audit?limit=1&cursor=" + str(fdoc, "next_cursor"), w.admin.auth());
  ASSERT_TRUE(has_status(next, 200));
  auto ndoc = next.json();
  ASSERT_EQ(ndoc.at("items").as_array().size(), 1u) << show(next);
  EXPECT_NE(str(ndoc.at("items").as_array()[0], "id"), str(fdoc.at("items").as_array()[0], "id"));

  // Only administrators read it.
  EXPECT_TRUE(is_problem(w.api.get("/api/audit", dev.auth()), 403));
  EXPECT_TRUE(is_problem(w.api.get("/api/audit", joiner.auth()), 401)) << "role changed: old token refused";
  EXPECT_TRUE(is_problem(w.api.get("/api/audit", bearer(key.key)), 403));
  EXPECT_TRUE(is_unauthenticated(w.api.get("/api/audit")));
}

// ---- races ----------------------------------------------------------------------------------

TEST(IdentityTeams, TeamsMayShareANameEvenWhenCreatedAtOnce) {
  World w;
  // One after the other.
  auto first = w.api.post("/api/teams", json::object{{"name", "Platform"}}, w.admin.auth());
  auto second = w.api.post("/api/teams", json::object{{"name", "Platform"}}, w.admin.auth());
  ASSERT_TRUE(has_status(first, 201));
  ASSERT_TRUE(has_status(second, 201));
  EXPECT_NE(str(first.json(), "slug"), str(second.json(), "slug"));
  // At the same time, by several users.
  std::vector<Account> devs;
  for (int i = 0; i < 6; ++i) devs.push_back(w.user("dev" + std::to_string(i), "developer"));
  for (int round = 0; round < 3; ++round) {
    std::string name = "Racers " + std::to_string(round);
    auto results =
        concurrently(6, [&](int i) { return w.api.post("/api/teams", json::object{{"name", name}}, devs[i].auth()); });
    std::set<std::string> slugs;
    for (const auto& r : results) {
      EXPECT_TRUE(has_status(r, 201)) << "round " << round;
      if (r.status == 201) slugs.insert(str(r.json(), "slug"));
    }
    EXPECT_EQ(slugs.size(), 6u);
  }
}

TEST(IdentityTeams, TwoOwnersRemovingEachOtherLeaveAnOwner) {
  World w;
  auto x = w.user("x", "developer");
  auto y = w.user("y", "developer");
  for (int round = 0; round < 5; ++round) {
    auto team = create_team(w.api, x.access_token, "Pair " + std::to_string(round));
    add_member(w.api, x.access_token, team, y.id, "owner");
    auto results = concurrently(2, [&](int i) {
      const Account& me = i == 0 ? x : y;
      const Account& other = i == 0 ? y : x;
      return w.api.del("/api/teams/" + team + "/members/" + other.id, me.auth());
    });
    int removed = 0;
    for (const auto& r : results) {
      if (r.status == 204) {
        ++removed;
      } else {
        EXPECT_TRUE(r.status == 409 || r.status == 404) << show(r);
      }
    }
    EXPECT_EQ(removed, 1) << "round " << round;
    auto roles = member_roles(w.api, w.admin.access_token, team);
    int owners = 0;
    for (const auto& [id, role] : roles) owners += role == "owner";
    EXPECT_EQ(owners, 1) << "round " << round;
  }
}

TEST(IdentityUsers, TwoAdministratorsDemotingEachOtherLeaveAnAdministrator) {
  World w;
  auto other = create_user(w.api, w.admin.access_token, "other-admin@example.com", "other-admin-password", "admin");
  Account a = w.admin, b = other;
  for (int round = 0; round < 4; ++round) {
    auto results = concurrently(2, [&](int i) {
      const Account& me = i == 0 ? a : b;
      const Account& target = i == 0 ? b : a;
      return w.api.patch("/api/users/" + target.id, json::object{{"role", "developer"}}, me.auth());
    });
    int demoted = 0;
    for (const auto& r : results) {
      if (r.status == 200) {
        ++demoted;
      } else {
        EXPECT_TRUE(r.status == 409 || r.status == 401) << show(r);
      }
    }
    EXPECT_EQ(demoted, 1) << "round " << round;
    // Whoever is still admin promotes the other back for the next round.
    auto la = login(w.api, a.email, a.password);
    auto lb = login(w.api, b.email, b.password);
    ASSERT_NE(la.role == "admin", lb.role == "admin") << "exactly one administrator must remain (round " << round << ")";
    Account& admin = la.role == "admin" ? la : lb;
    Account& demoted_one = la.role == "admin" ? lb : la;
    expect_status(w.api.patch("/api/users/" + demoted_one.id, json::object{{"role", "admin"}}, admin.auth()), 200,
                  "re-promote");
    a = login(w.api, a.email, a.password);
    b = login(w.api, b.email, b.password);
  }
}

TEST(IdentityUsers, ConcurrentCreationOfOneEmailCreatesOneUser) {
  World w;
  auto results = concurrently(6, [&](int i) {
    return w.api.post("/api/users",
                      json::object{{"email", "twin@example.com"}, {"password", "twin-password-" + std::to_string(i)}},
                      w.admin.auth());
  });
  int created = 0;
  for (const auto& r : results) {
    if (r.status == 201) {
      ++created;
    } else {
      EXPECT_TRUE(is_problem(r, 409));
    }
  }
  EXPECT_EQ(created, 1);
}

TEST(IdentityUsers, TheListPagesAndSearches) {
  World w;
  std::set<std::string> ids = {w.admin.id};
  for (int i = 0; i < 4; ++i)
    ids.insert(create_user_id(w.api, w.admin.access_token, "paged" + std::to_string(i) + "@example.com", "viewer"));
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto r = w.api.get("/api/users?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor), w.admin.auth());
    ASSERT_TRUE(has_status(r, 200));
    auto doc = r.json();
    ASSERT_LE(doc.at("items").as_array().size(), 2u) << show(r);
    for (const auto& u : doc.at("items").as_array())
      EXPECT_TRUE(seen.insert(str(u, "id")).second) << "repeated: " << show(r);
    cursor = doc.at("next_cursor").is_string() ? str(doc, "next_cursor") : "";
    ASSERT_LE(++pages, 5);
  } while (!cursor.empty());
  EXPECT_EQ(seen, ids);
  auto r = w.api.get("/api/users?q=paged3", w.admin.auth());
  ASSERT_TRUE(has_status(r, 200));
  auto doc = r.json();
  ASSERT_EQ(doc.at("items").as_array().size(), 1u) << show(r);
  EXPECT_EQ(str(doc.at("items").as_array()[0], "email"), "paged3@example.com");
  EXPECT_TRUE(is_problem(w.api.get("/api/users?limit=0", w.admin.auth()), 400));
  EXPECT_TRUE(is_problem(w.api.get("/api/users?limit=201", w.admin.auth()), 400));
}

}  // namespace
}  // namespace aop::test
