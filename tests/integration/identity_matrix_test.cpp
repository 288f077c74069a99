// The authorization matrix: every product route (`aop routes`) against every kind of caller,
// checked against a hand-written table of expected outcomes that is deliberately independent
// of src/auth/policy.cpp. A route added or removed without updating the table fails the test,
// so every new route has to state who may call it.
//
// Callers (the table's columns, in this order):
//   anonymous    no credentials
//   forged       a well-formed HS256 JWT for the administrator, signed with another secret
//   viewer       platform viewer, member of the fixture team
//   developer    platform developer, member (not owner) of the fixture team
//   admin        platform admin, owner of the fixture team ("Default team")
//   outsider     platform developer who owns another team and is not in the fixture team
//   key-without  an API key of the fixture team (created by the admin) holding every scope but
//                the one the route needs (every scope when no scope grants the route)
//   key-with     an API key of the fixture team holding exactly the scope that grants the
//                route; n/a when no scope does
// Every request carries X-Team-Id of the fixture team; {id} of /api/teams/{id}... is the fixture
// team. "allowed" means exactly the route's success status (table column ok): request bodies are
// valid and {id}/{user_id} name real objects created for that one call, so nothing else can
// explain a refusal.
#include <gtest/gtest.h>

#include <array>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "auth/jwt.hpp"
#include "core/ids.hpp"
#include "support/identity.hpp"

namespace aop::test {
namespace {

enum class Caller { anonymous, forged, viewer, developer, admin, outsider, key_without, key_with };
constexpr std::array k_callers = {Caller::anonymous, Caller::forged,   Caller::viewer,      Caller::developer,
                                  Caller::admin,     Caller::outsider, Caller::key_without, Caller::key_with};

const char* name_of(Caller c) {
  switch (c) {
    case Caller::anonymous: return "anonymous";
    case Caller::forged: return "forged-token";
    case Caller::viewer: return "viewer";
    case Caller::developer: return "developer";
    case Caller::admin: return "admin";
    case Caller::outsider: return "outsider";
    case Caller::key_without: return "key-without-scope";
    case Caller::key_with: return "key-with-scope";
  }
  return "?";
}

enum class Outcome { ok, e401, e403, e404, na };
constexpr Outcome OK = Outcome::ok, E401 = Outcome::e401, E403 = Outcome::e403, E404 = Outcome::e404,
                  NA = Outcome::na;

// Every API key scope the product offers (kept here, not read from the product).
const std::vector<std::string> k_all_scopes = {"crews:read",      "crews:write",      "crews:run",
                                               "executions:read", "executions:write", "teams:read"};

struct Request {
  std::string target;
  std::string body;
  std::optional<Headers> credentials;  // replaces the caller's usual credentials
};

struct Fixture;
using Prepare = std::function<Request(Fixture&, Caller)>;

struct RouteCase {
  std::string route;  // "METHOD PATTERN" as `aop routes` prints it
  std::string scope;  // the API key scope that grants the route ("" = API keys never may)
  int ok;             // the status that means "allowed"
  std::array<Outcome, 8> expect;  // in the order of k_callers
  Prepare prepare;
};

struct Fixture {
  explicit Fixture(ServerProcess& s) : server(s), api(s) {}
  ServerProcess& server;
  ApiClient api;
  Account admin, viewer, developer, outsider;
  std::string login_email = unique_email("login-target"), login_password = "login-target-password";
  std::string team, outsider_team, parking_team;
  std::string env_crew;  // a crew of the fixture team whose variables the env rows use
  std::string run_crew;  // a deployed crew of the fixture team that the execution rows run
  std::map<std::string, IssuedKey> keys_without;  // by the scope left out ("" = all scopes)
  std::map<std::string, IssuedKey> keys_with;     // by scope
  std::string forged_token;
  int counter = 0;

  std::string next(const std::string& stem) { return stem + "-" + std::to_string(++counter); }

  const Account* account(Caller c) const {
    switch (c) {
      case Caller::viewer: return &viewer;
      case Caller::developer: return &developer;
      case Caller::admin: return &admin;
      case Caller::outsider: return &outsider;
      default: return nullptr;
    }
  }

  const IssuedKey& key_without(const std::string& scope) {
    auto it = keys_without.find(scope);
    if (it != keys_without.end()) return it->second;
    std::vector<std::string> scopes;
    for (const auto& s : k_all_scopes)
      if (s != scope) scopes.push_back(s);
    return keys_without[scope] = create_api_key(api, admin.access_token, team, scopes, "all but " + scope);
  }
  const IssuedKey& key_with(const std::string& scope) {
    auto it = keys_with.find(scope);
    if (it != keys_with.end()) return it->second;
    return keys_with[scope] = create_api_key(api, admin.access_token, team, {scope}, "only " + scope);
  }

  Headers credentials(Caller c, const RouteCase& rc) {
    switch (c) {
      case Caller::anonymous: return {};
      case Caller::forged: return bearer(forged_token);
      case Caller::key_without: return bearer(key_without(rc.scope).key);
      case Caller::key_with: return bearer(key_with(rc.scope).key);
      default: return account(c)->auth();
    }
  }

  // A user for one call, member of the parking team only (so adding them anywhere is new).
  std::string throwaway_user(const std::string& team_id) {
    return create_user_id(api, admin.access_token, unique_email(next("throwaway")), "viewer", team_id);
  }
  // A key for one call, created by the developer in the fixture team.
  std::string throwaway_key() {
    return create_api_key(api, developer.access_token, team, {"teams:read"}, next("throwaway key")).id;
  }
  std::string fresh_refresh_token() { return login(api, login_email, login_password).refresh_token; }
  // A valid crew of the fixture team for one call (deployed when asked).
  std::string crew(bool deployed = false) {
    auto r = api.post("/api/crews", json::object{{"name", next("matrix crew")}, {"config", valid_crew_config()}},
                      bearer_in_team(admin.access_token, team));
    auto id = str(expect_status(r, 201, "create a crew").json(), "id");
    if (deployed)
      expect_status(api.post("/api/crews/" + id + "/deploy", json::object{}, bearer_in_team(admin.access_token, team)),
                    201, "deploy a crew");
    return id;
  }
  static json::object valid_crew_config() {
    return json::parse(R"({"agents": {"a": {"role": "R", "goal": "G", "backstory": "B"}},
                           "tasks": {"t": {"description": "D", "expected_output": "O", "agent": "a"}}})")
        .as_object();
  }
  // An execution of run_crew queued by the admin (the server has no workers, so it stays
  // pending); `finished`: cancelled at once, so its stream replays and ends.
  std::string execution(bool finished = false) {
    auto r = api.post("/api/crews/" + run_crew + "/run", json::object{}, bearer_in_team(admin.access_token, team));
    auto id = str(expect_status(r, 202, "run a crew").json(), "execution_id");
    if (finished)
      expect_status(api.post("/api/executions/" + id + "/cancel", json::object{}, bearer_in_team(admin.access_token, team)),
                    202, "cancel an execution");
    return id;
  }
  // An environment variable set by the admin under `base` (…/env), for one DELETE.
  std::string throwaway_variable(const std::string& base) {
    std::string name = "VAR_" + std::to_string(++counter);
    expect_status(api.put(base, json::object{{"name", name}, {"value", "x"}}, bearer_in_team(admin.access_token, team)),
                  201, "set " + name);
    return name;
  }
  // An LLM connection created by the admin, for one call.
  std::string throwaway_llm_provider() {
    auto r = api.post("/api/llm-providers", json::object{{"name", next("matrix llm")}, {"provider", "ollama"}},
                      bearer_in_team(admin.access_token, team));
    expect_status(r, 201, "create an LLM connection");
    return str(r.json(), "id");
  }
};

Request at(std::string target) { return {std::move(target), {}, std::nullopt}; }
Request with_body(std::string target, const json::value& body) { return {std::move(target), to_body(body), std::nullopt}; }

// ---- THE TABLE ------------------------------------------------------------------------------
//                                   anon  forged viewer dev   admin outsdr key-  key+
const std::array<Outcome, 8> k_public = {OK, OK, OK, OK, OK, OK, OK, NA};
const std::array<Outcome, 8> k_self = {E401, E401, OK, OK, OK, OK, E403, NA};
const std::array<Outcome, 8> k_team_read = {E401, E401, OK, OK, OK, E404, E403, OK};
const std::array<Outcome, 8> k_team_owner = {E401, E401, E403, E403, OK, E404, E403, NA};
const std::array<Outcome, 8> k_admin_only = {E401, E401, E403, E403, OK, E403, E403, NA};
const std::array<Outcome, 8> k_builders_in_team = {E401, E401, E403, OK, OK, E403, E403, NA};
// Team-scoped through X-Team-Id: the outsider names a team they are not in (403).
const std::array<Outcome, 8> k_team_readers = {E401, E401, OK, OK, OK, E403, E403, OK};
const std::array<Outcome, 8> k_team_writers = {E401, E401, E403, OK, OK, E403, E403, OK};
const std::array<Outcome, 8> k_builders_of_path_team = {E401, E401, E403, OK, OK, E404, E403, NA};
const std::array<Outcome, 8> k_crews_readers = {E401, E401, OK, OK, OK, E403, E403, OK};
// Users of the team only (any role); API keys never.
const std::array<Outcome, 8> k_team_users = {E401, E401, OK, OK, OK, E403, E403, NA};

std::vector<RouteCase> route_table() {
  return {
      // --- system (public) ---
      {"GET /healthz", "", 200, k_public, [](Fixture&, Caller) { return at("/healthz"); }},
      {"GET /readyz", "", 200, k_public, [](Fixture&, Caller) { return at("/readyz"); }},
      {"GET /metrics", "", 200, k_public, [](Fixture&, Caller) { return at("/metrics"); }},
      {"GET /api/openapi.yaml", "", 200, k_public, [](Fixture&, Caller) { return at("/api/openapi.yaml"); }},
      {"GET /api/docs", "", 200, k_public, [](Fixture&, Caller) { return at("/api/docs"); }},
      {"GET /api/docs/{file}", "", 200, k_public, [](Fixture&, Caller) { return at("/api/docs/swagger-init.js"); }},

      // --- sign-up and sessions ---
      {"POST /api/auth/register", "", 201, k_public,
       [](Fixture& f, Caller) {
         return with_body("/api/auth/register",
                          json::object{{"email", unique_email(f.next("signup"))}, {"password", "signup-password"}});
       }},
      {"POST /api/auth/login", "", 200, k_public,
       [](Fixture& f, Caller) {
         return with_body("/api/auth/login", json::object{{"email", f.login_email}, {"password", f.login_password}});
       }},
      {"POST /api/auth/refresh", "", 200, k_public,
       [](Fixture& f, Caller) {
         return with_body("/api/auth/refresh", json::object{{"refresh_token", f.fresh_refresh_token()}});
       }},
      {"POST /api/auth/logout", "", 204, k_self,
       [](Fixture& f, Caller c) {
         Request r = at("/api/auth/logout");
         // Logging out ends the session: use a session of its own so the caller's token survives.
         if (const Account* a = f.account(c)) r.credentials = bearer(login(f.api, a->email, a->password).access_token);
         return r;
       }},
      {"GET /api/auth/me", "", 200, k_self, [](Fixture&, Caller) { return at("/api/auth/me"); }},
      {"PATCH /api/auth/me", "", 200, k_self,
       [](Fixture& f, Caller) { return with_body("/api/auth/me", json::object{{"name", f.next("Renamed")}}); }},

      // --- teams ---
      {"GET /api/teams", "teams:read", 200, {E401, E401, OK, OK, OK, OK, E403, OK},
       [](Fixture&, Caller) { return at("/api/teams"); }},
      {"POST /api/teams", "", 201, {E401, E401, E403, OK, OK, OK, E403, NA},
       [](Fixture& f, Caller) { return with_body("/api/teams", json::object{{"name", f.next("Matrix team")}}); }},
      {"GET /api/teams/{id}", "teams:read", 200, k_team_read,
       [](Fixture& f, Caller) { return at("/api/teams/" + f.team); }},
      {"PUT /api/teams/{id}", "", 200, k_team_owner,
       [](Fixture& f, Caller) {
         return with_body("/api/teams/" + f.team, json::object{{"name", f.next("Default team")}});
       }},
      {"GET /api/teams/{id}/members", "teams:read", 200, k_team_read,
       [](Fixture& f, Caller) { return at("/api/teams/" + f.team + "/members"); }},
      {"POST /api/teams/{id}/members", "", 201, k_team_owner,
       [](Fixture& f, Caller) {
         return with_body("/api/teams/" + f.team + "/members",
                          json::object{{"user_id", f.throwaway_user(f.parking_team)}, {"role", "member"}});
       }},
      {"DELETE /api/teams/{id}/members/{user_id}", "", 204, k_team_owner,
       [](Fixture& f, Caller) { return at("/api/teams/" + f.team + "/members/" + f.throwaway_user(f.team)); }},

      // --- users (administration) ---
      {"GET /api/users", "", 200, k_admin_only, [](Fixture&, Caller) { return at("/api/users"); }},
      {"POST /api/users", "", 201, k_admin_only,
       [](Fixture& f, Caller) {
         return with_body("/api/users", json::object{{"email", unique_email(f.next("created"))},
                                                     {"password", "created-password"},
                                                     {"role", "viewer"},
                                                     {"team_id", f.parking_team}});
       }},
      {"PATCH /api/users/{id}", "", 200, k_admin_only,
       [](Fixture& f, Caller) {
         return with_body("/api/users/" + f.throwaway_user(f.parking_team), json::object{{"name", f.next("Renamed")}});
       }},

      // --- API keys ---
      {"GET /api/api-keys", "", 200, k_builders_in_team, [](Fixture&, Caller) { return at("/api/api-keys"); }},
      {"POST /api/api-keys", "", 201, k_builders_in_team,
       [](Fixture& f, Caller) {
         return with_body("/api/api-keys",
                          json::object{{"name", f.next("matrix key")}, {"permissions", json::array{"teams:read"}}});
       }},
      {"DELETE /api/api-keys/{id}", "", 204, k_builders_in_team,
       [](Fixture& f, Caller) { return at("/api/api-keys/" + f.throwaway_key()); }},
      {"POST /api/api-keys/{id}/regenerate", "", 200, k_builders_in_team,
       [](Fixture& f, Caller) { return at("/api/api-keys/" + f.throwaway_key() + "/regenerate"); }},

      // --- crews ---
      {"GET /api/crews", "crews:read", 200, k_team_readers, [](Fixture&, Caller) { return at("/api/crews"); }},
      {"POST /api/crews", "crews:write", 201, k_team_writers,
       [](Fixture& f, Caller) {
         return with_body("/api/crews",
                          json::object{{"name", f.next("new crew")}, {"config", Fixture::valid_crew_config()}});
       }},
      {"POST /api/crews/validate", "crews:read", 200, k_team_readers,
       [](Fixture& f, Caller) {
         return with_body("/api/crews/validate",
                          json::object{{"name", f.next("checked crew")}, {"config", Fixture::valid_crew_config()}});
       }},
      {"POST /api/crews/import", "crews:write", 201, k_team_writers,
       [](Fixture& f, Caller) {
         auto doc = Fixture::valid_crew_config();
         doc["name"] = f.next("imported crew");
         return with_body("/api/crews/import", doc);
       }},
      {"GET /api/crews/{id}", "crews:read", 200, k_team_readers,
       [](Fixture& f, Caller) { return at("/api/crews/" + f.crew()); }},
      {"PUT /api/crews/{id}", "crews:write", 200, k_team_writers,
       [](Fixture& f, Caller) { return with_body("/api/crews/" + f.crew(), json::object{{"description", "edited"}}); }},
      {"DELETE /api/crews/{id}", "crews:write", 204, k_team_writers,
       [](Fixture& f, Caller) { return at("/api/crews/" + f.crew()); }},
      {"GET /api/crews/{id}/versions", "crews:read", 200, k_team_readers,
       [](Fixture& f, Caller) { return at("/api/crews/" + f.crew() + "/versions"); }},
      {"GET /api/crews/{id}/versions/{n}", "crews:read", 200, k_team_readers,
       [](Fixture& f, Caller) { return at("/api/crews/" + f.crew() + "/versions/1"); }},
      {"POST /api/crews/{id}/versions/{n}/restore", "crews:write", 200, k_team_writers,
       [](Fixture& f, Caller) { return at("/api/crews/" + f.crew() + "/versions/1/restore"); }},
      {"POST /api/crews/{id}/deploy", "crews:write", 201, k_team_writers,
       [](Fixture& f, Caller) { return at("/api/crews/" + f.crew() + "/deploy"); }},
      {"POST /api/crews/{id}/stop", "crews:write", 200, k_team_writers,
       [](Fixture& f, Caller) { return at("/api/crews/" + f.crew(true) + "/stop"); }},
      {"GET /api/crews/{id}/export", "crews:read", 200, k_team_readers,
       [](Fixture& f, Caller) { return at("/api/crews/" + f.crew() + "/export?format=json"); }},

      // --- audit ---
      {"GET /api/audit", "", 200, k_admin_only, [](Fixture&, Caller) { return at("/api/audit"); }},

      // --- environment variables (write-only values) ---
      {"GET /api/teams/{id}/env", "", 200, k_builders_of_path_team,
       [](Fixture& f, Caller) { return at("/api/teams/" + f.team + "/env"); }},
      {"PUT /api/teams/{id}/env", "", 201, k_builders_of_path_team,
       [](Fixture& f, Caller) {
         return with_body("/api/teams/" + f.team + "/env",
                          json::object{{"name", "VAR_" + std::to_string(++f.counter)}, {"value", "x"}});
       }},
      {"DELETE /api/teams/{id}/env/{name}", "", 204, k_builders_of_path_team,
       [](Fixture& f, Caller) {
         auto base = "/api/teams/" + f.team + "/env";
         return at(base + "/" + f.throwaway_variable(base));
       }},
      {"GET /api/crews/{id}/env", "", 200, k_builders_in_team,
       [](Fixture& f, Caller) { return at("/api/crews/" + f.env_crew + "/env"); }},
      {"PUT /api/crews/{id}/env", "", 201, k_builders_in_team,
       [](Fixture& f, Caller) {
         return with_body("/api/crews/" + f.env_crew + "/env",
                          json::object{{"name", "VAR_" + std::to_string(++f.counter)}, {"value", "x"}});
       }},
      {"DELETE /api/crews/{id}/env/{name}", "", 204, k_builders_in_team,
       [](Fixture& f, Caller) {
         auto base = "/api/crews/" + f.env_crew + "/env";
         return at(base + "/" + f.throwaway_variable(base));
       }},

      // --- LLM connections (keys write-only) ---
      {"GET /api/llm-providers", "crews:read", 200, k_crews_readers,
       [](Fixture&, Caller) { return at("/api/llm-providers"); }},
      {"GET /api/llm-providers/{id}", "crews:read", 200, k_crews_readers,
       [](Fixture& f, Caller) { return at("/api/llm-providers/" + f.throwaway_llm_provider()); }},
      {"POST /api/llm-providers", "", 201, k_builders_in_team,
       [](Fixture& f, Caller) {
         return with_body("/api/llm-providers", json::object{{"name", f.next("matrix llm")},
                                                             {"provider", "openai"},
                                                             {"api_key", "sk-matrix"}});
       }},
      {"PUT /api/llm-providers/{id}", "", 200, k_builders_in_team,
       [](Fixture& f, Caller) {
         return with_body("/api/llm-providers/" + f.throwaway_llm_provider(), json::object{{"is_enabled", false}});
       }},
      {"DELETE /api/llm-providers/{id}", "", 204, k_builders_in_team,
       [](Fixture& f, Caller) { return at("/api/llm-providers/" + f.throwaway_llm_provider()); }},

      // --- executions ---
      {"POST /api/crews/{id}/run", "crews:run", 202, k_team_writers,
       [](Fixture& f, Caller) { return with_body("/api/crews/" + f.run_crew + "/run", json::object{}); }},
      {"GET /api/executions", "executions:read", 200, k_team_readers, [](Fixture&, Caller) { return at("/api/executions"); }},
      {"GET /api/analytics/overview", "executions:read", 200, k_team_readers,
       [](Fixture&, Caller) { return at("/api/analytics/overview"); }},
      {"GET /api/crews/{id}/executions", "executions:read", 200, k_team_readers,
       [](Fixture& f, Caller) { return at("/api/crews/" + f.run_crew + "/executions"); }},
      {"GET /api/executions/{id}", "executions:read", 200, k_team_readers,
       [](Fixture& f, Caller) { return at("/api/executions/" + f.execution()); }},
      {"POST /api/executions/{id}/cancel", "executions:write", 202, k_team_writers,
       [](Fixture& f, Caller) { return at("/api/executions/" + f.execution() + "/cancel"); }},
      {"GET /api/executions/{id}/stream", "executions:read", 200, k_team_readers,
       [](Fixture& f, Caller) { return at("/api/executions/" + f.execution(true) + "/stream"); }},
      {"POST /api/executions/{id}/stream-token", "", 200, k_team_users,
       [](Fixture& f, Caller) { return at("/api/executions/" + f.execution() + "/stream-token"); }},
      {"GET /api/executions/{id}/traces", "executions:read", 200, k_team_readers,
       [](Fixture& f, Caller) { return at("/api/executions/" + f.execution(true) + "/traces"); }},
      {"GET /api/executions/{id}/logs", "executions:read", 200, k_team_readers,
       [](Fixture& f, Caller) { return at("/api/executions/" + f.execution() + "/logs"); }},
      {"GET /api/executions/{id}/metrics", "executions:read", 200, k_team_readers,
       [](Fixture& f, Caller) { return at("/api/executions/" + f.execution() + "/metrics"); }},
  };
}

std::string method_of(const std::string& route) { return route.substr(0, route.find(' ')); }

std::string describe(Outcome o, int ok) {
  switch (o) {
    case Outcome::ok: return "allowed (" + std::to_string(ok) + ")";
    case Outcome::e401: return "401";
    case Outcome::e403: return "403";
    case Outcome::e404: return "404";
    case Outcome::na: return "n/a";
  }
  return "?";
}

::testing::AssertionResult matches(const HttpResult& r, Outcome expected, int ok) {
  switch (expected) {
    case Outcome::ok: return has_status(r, ok);
    case Outcome::e401: return is_unauthenticated(r);
    case Outcome::e403: return is_problem(r, 403);
    case Outcome::e404: return is_problem(r, 404);
    case Outcome::na: return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure();
}

std::set<std::string> product_routes() {
  auto result = run_aop({"routes"});
  if (result.exit_code != 0) throw HarnessError("aop routes failed: " + result.describe());
  std::set<std::string> routes;
  std::istringstream in(result.stdout_text);
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty()) routes.insert(line);
  }
  return routes;
}

TEST(IdentityMatrix, EveryRouteAgainstEveryCallerMatchesTheTable) {
  // (c) the table and the product's routes must list the same routes.
  auto routes = product_routes();
  ASSERT_GE(routes.size(), 20u) << "`aop routes` printed too little to be the route list";
  auto table = route_table();
  std::set<std::string> in_table;
  for (const auto& rc : table) {
    EXPECT_TRUE(in_table.insert(rc.route).second) << "the table lists " << rc.route << " twice";
    EXPECT_EQ(rc.scope.empty(), rc.expect[7] == NA) << rc.route << ": the key-with-scope column must be n/a exactly "
                                                    << "when no scope grants the route";
  }
  for (const auto& r : routes)
    EXPECT_TRUE(in_table.count(r)) << "route `" << r << "` (from `aop routes`) is missing from the authorization "
                                   << "matrix in " << __FILE__ << ": add a row stating who may call it";
  for (const auto& r : in_table)
    EXPECT_TRUE(routes.count(r)) << "the authorization matrix lists `" << r
                                 << "`, which `aop routes` no longer prints: remove or update the row";

  // The server: open sign-up (so POST /api/auth/register can be allowed), no per-user rate limit,
  // and Swagger UI assets so /api/docs can answer 200.
  TempDir swagger("aop-swagger-");
  write_file(swagger / "swagger-ui.css", "body{}\n");
  // No workers: queued executions stay pending, so the cancel rows always find one to cancel.
  ServerProcess server(ServerOptions::with_args({"--workers", "0", "--allow-signup", "true", "--user-rate-limit", "0",
                                                 "--api-key-rate-limit", "100000", "--swagger-dir",
                                                 swagger.path().string()}));
  Fixture f(server);
  f.admin = register_account(f.api, "matrix-admin@example.com", "matrix-admin-password");
  f.team = first_team_id(f.api, f.admin.access_token);
  f.parking_team = create_team(f.api, f.admin.access_token, "Parking");
  f.viewer = create_user(f.api, f.admin.access_token, "matrix-viewer@example.com", "matrix-viewer-password", "viewer",
                         f.team);
  f.developer = create_user(f.api, f.admin.access_token, "matrix-developer@example.com", "matrix-developer-password",
                            "developer", f.team);
  f.outsider = create_user(f.api, f.admin.access_token, "matrix-outsider@example.com", "matrix-outsider-password",
                           "developer", f.parking_team);
  f.outsider_team = create_team(f.api, f.outsider.access_token, "Outsiders");
  create_user_id(f.api, f.admin.access_token, f.login_email, "viewer", f.parking_team, f.login_password);
  f.env_crew = f.crew();
  f.run_crew = f.crew(true);
  // Sanity of the fixture: the team memberships the table relies on.
  {
    auto r = f.api.get("/api/teams/" + f.team + "/members", f.admin.auth());
    expect_status(r, 200, "list fixture team members");
    std::map<std::string, std::string> roles;
    auto doc = r.json();
    for (const auto& m : doc.at("items").as_array()) roles[str(m, "user_id")] = str(m, "role");
    ASSERT_EQ(roles[f.admin.id], "owner") << show(r);
    ASSERT_EQ(roles[f.viewer.id], "member") << show(r);
    ASSERT_EQ(roles[f.developer.id], "member") << show(r);
    ASSERT_EQ(roles.count(f.outsider.id), 0u) << show(r);
    ASSERT_EQ(f.viewer.role, "viewer");
    ASSERT_EQ(f.developer.role, "developer");
    ASSERT_EQ(f.outsider.role, "developer");
  }
  {
    auth::JwtClaims claims;
    claims.sub = f.admin.id;
    claims.role = "admin";
    claims.iat = std::time(nullptr);
    claims.exp = claims.iat + 600;
    claims.jti = core::new_id();
    f.forged_token = auth::sign_jwt(claims, std::string(48, 'f'));
  }

  // (a)+(b) every route the table knows and the product serves, as every caller.
  int cells = 0, mismatches = 0;
  std::ostringstream summary;
  for (const auto& rc : table) {
    if (!routes.count(rc.route)) continue;
    for (std::size_t i = 0; i < k_callers.size(); ++i) {
      Caller c = k_callers[i];
      Outcome expected = rc.expect[i];
      if (expected == NA) continue;
      Request req = rc.prepare(f, c);
      Headers headers = req.credentials ? *req.credentials : f.credentials(c, rc);
      headers.emplace_back("X-Team-Id", f.team);
      auto r = f.api.request(method_of(rc.route), req.target, req.body, headers);
      ++cells;
      auto verdict = matches(r, expected, rc.ok);
      if (!verdict) {
        ++mismatches;
        summary << "  " << rc.route << " as " << name_of(c) << ": expected " << describe(expected, rc.ok) << ", got "
                << r.status << "\n";
      }
      EXPECT_TRUE(verdict) << rc.route << " (" << method_of(rc.route) << " " << req.target << ") as " << name_of(c)
                           << ": expected " << describe(expected, rc.ok);
    }
  }
  EXPECT_GE(cells, 150) << "too few cells were checked";
  EXPECT_EQ(mismatches, 0) << mismatches << " of " << cells << " cells differ from the table:\n" << summary.str();
}

}  // namespace
}  // namespace aop::test
