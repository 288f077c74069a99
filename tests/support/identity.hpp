#pragma once
// Helpers for the identity integration tests (tests/integration/identity_*.cpp): a client that
// remembers every exchange, and one-call set-up steps (register, log in, create users, teams and
// API keys) that throw HarnessError with the server's answer when a step does not succeed, so a
// broken set-up is never mistaken for the behaviour under test.
//
//   ServerProcess server(ServerOptions::with_args({"--user-rate-limit", "0"}));
//   ApiClient api(server);
//   auto admin = register_account(api, "admin@example.com", "correct horse battery");
//   auto key = create_api_key(api, admin.access_token, admin_team, {"teams:read"});
//   auto r = api.get("/api/teams", bearer(key.key));
#include <boost/json.hpp>

#include <barrier>
#include <functional>
#include <mutex>
#include <thread>
#include <optional>
#include <string>
#include <vector>

#include "support/http_assertions.hpp"
#include "support/server_process.hpp"

namespace aop::test {

namespace json = boost::json;

// ---- request headers ------------------------------------------------------------------------

inline Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }
inline Headers api_key_header(const std::string& key) { return {{"X-API-Key", key}}; }
inline Headers with_team(Headers headers, const std::string& team_id) {
  headers.emplace_back("X-Team-Id", team_id);
  return headers;
}
inline Headers bearer_in_team(const std::string& token, const std::string& team_id) {
  return with_team(bearer(token), team_id);
}

// ---- JSON -----------------------------------------------------------------------------------

inline std::string to_body(const json::value& v) { return json::serialize(v); }

// The string member `key` of an object ("" when absent or not a string).
inline std::string str(const json::value& v, std::string_view key) {
  const auto* o = v.if_object();
  if (!o) return {};
  const auto* m = o->if_contains(key);
  return m && m->is_string() ? std::string(m->as_string()) : std::string();
}

// The body of a response as JSON, or null if it is not JSON.
inline json::value parse_or_null(const std::string& body) {
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  return ec ? json::value(nullptr) : v;
}

// Every member name anywhere in a JSON document (lower-case), for "never returns field X" checks.
inline void collect_member_names(const json::value& v, std::vector<std::string>& out) {
  if (const auto* o = v.if_object()) {
    for (const auto& kv : *o) {
      out.push_back(lower(std::string(kv.key())));
      collect_member_names(kv.value(), out);
    }
  } else if (const auto* a = v.if_array()) {
    for (const auto& e : *a) collect_member_names(e, out);
  }
}

// The `path` of every entry of a problem document's `errors` list.
inline std::vector<std::string> error_paths(const HttpResult& r) {
  std::vector<std::string> paths;
  auto doc = parse_or_null(r.body);
  if (const auto* o = doc.if_object())
    if (const auto* errors = o->if_contains("errors"); errors && errors->is_array())
      for (const auto& e : errors->as_array()) paths.push_back(str(e, "path"));
  return paths;
}

inline ::testing::AssertionResult has_error_path(const HttpResult& r, const std::string& path) {
  for (const auto& p : error_paths(r))
    if (p == path) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "no entry with path \"" << path << "\" in the problem's errors:\n" << show(r);
}

// A 401 problem that tells the client how to authenticate.
inline ::testing::AssertionResult is_unauthenticated(const HttpResult& r) {
  auto p = is_problem(r, 401);
  if (!p) return p;
  if (!lower(r.header("www-authenticate")).starts_with("bearer"))
    return ::testing::AssertionFailure() << "a 401 without WWW-Authenticate: Bearer:\n" << show(r);
  return ::testing::AssertionSuccess();
}

// ---- a client that keeps every exchange -------------------------------------------------------

struct Exchange {
  std::string method, target, request_body;
  HttpResult response;
};

// Thread-safe: concurrent requests from several threads are recorded too.
class ApiClient {
 public:
  explicit ApiClient(const ServerProcess& server) : server_(server) {}

  HttpResult request(const std::string& method, const std::string& target, const std::string& body = {},
                     const Headers& headers = {}) {
    auto r = server_.request(method, target, body, headers);
    std::lock_guard lock(mutex_);
    history_.push_back({method, target, body, r});
    return r;
  }
  HttpResult get(const std::string& target, const Headers& headers = {}) { return request("GET", target, {}, headers); }
  HttpResult post(const std::string& target, const json::value& body, const Headers& headers = {}) {
    return request("POST", target, to_body(body), headers);
  }
  HttpResult put(const std::string& target, const json::value& body, const Headers& headers = {}) {
    return request("PUT", target, to_body(body), headers);
  }
  HttpResult patch(const std::string& target, const json::value& body, const Headers& headers = {}) {
    return request("PATCH", target, to_body(body), headers);
  }
  HttpResult del(const std::string& target, const Headers& headers = {}) { return request("DELETE", target, {}, headers); }

  // Copies, so callers may keep them while other threads go on.
  std::vector<Exchange> history() const {
    std::lock_guard lock(mutex_);
    return history_;
  }
  const ServerProcess& server() const { return server_; }

 private:
  const ServerProcess& server_;
  mutable std::mutex mutex_;
  std::vector<Exchange> history_;
};

// Throws HarnessError unless the response has `status`.
inline const HttpResult& expect_status(const HttpResult& r, int status, const std::string& step) {
  if (r.status != status)
    throw HarnessError("set-up step \"" + step + "\" expected HTTP " + std::to_string(status) + ", got:\n" + show(r));
  return r;
}

// A unique, valid email address ("<stem>-<random>@example.com").
inline std::string unique_email(const std::string& stem) { return stem + "-" + random_suffix(8) + "@example.com"; }

// ---- accounts -------------------------------------------------------------------------------

struct Account {
  std::string id, email, password, role;
  std::string access_token, refresh_token;
  Headers auth() const { return bearer(access_token); }
};

inline Account account_from_tokens(const HttpResult& r, const std::string& password) {
  auto doc = r.json();
  Account a;
  a.id = str(doc.at("user"), "id");
  a.email = str(doc.at("user"), "email");
  a.role = str(doc.at("user"), "role");
  a.password = password;
  a.access_token = str(doc, "access_token");
  a.refresh_token = str(doc, "refresh_token");
  if (a.id.empty() || a.access_token.empty() || a.refresh_token.empty())
    throw HarnessError("a token response lacks user.id, access_token or refresh_token:\n" + show(r));
  return a;
}

// POST /api/auth/register, expecting 201.
inline Account register_account(ApiClient& api, const std::string& email, const std::string& password,
                                const std::string& name = {}) {
  json::object body{{"email", email}, {"password", password}};
  if (!name.empty()) body["name"] = name;
  auto r = api.post("/api/auth/register", body);
  expect_status(r, 201, "register " + email);
  return account_from_tokens(r, password);
}

// POST /api/auth/login, expecting 200.
inline Account login(ApiClient& api, const std::string& email, const std::string& password) {
  auto r = api.post("/api/auth/login", json::object{{"email", email}, {"password", password}});
  expect_status(r, 200, "log in as " + email);
  return account_from_tokens(r, password);
}

// POST /api/users as an administrator (expecting 201), then logs the new user in.
inline Account create_user(ApiClient& api, const std::string& admin_token, const std::string& email,
                           const std::string& password, const std::string& role,
                           const std::optional<std::string>& team_id = std::nullopt) {
  json::object body{{"email", email}, {"password", password}, {"role", role}};
  if (team_id) body["team_id"] = *team_id;
  auto r = api.post("/api/users", body, bearer(admin_token));
  expect_status(r, 201, "create user " + email);
  return login(api, email, password);
}

// POST /api/users without logging in; returns the new user's id.
inline std::string create_user_id(ApiClient& api, const std::string& admin_token, const std::string& email,
                                  const std::string& role, const std::optional<std::string>& team_id = std::nullopt,
                                  const std::string& password = "throwaway-password") {
  json::object body{{"email", email}, {"password", password}, {"role", role}};
  if (team_id) body["team_id"] = *team_id;
  auto r = api.post("/api/users", body, bearer(admin_token));
  expect_status(r, 201, "create user " + email);
  return str(r.json(), "id");
}

// The id of the first team GET /api/auth/me lists for the token's user.
inline std::string first_team_id(ApiClient& api, const std::string& token) {
  auto r = api.get("/api/auth/me", bearer(token));
  expect_status(r, 200, "GET /api/auth/me");
  auto doc = r.json();
  const auto& teams = doc.at("teams").as_array();
  if (teams.empty()) throw HarnessError("the user belongs to no team:\n" + show(r));
  return str(teams.front(), "id");
}

// ---- teams ----------------------------------------------------------------------------------

inline std::string create_team(ApiClient& api, const std::string& token, const std::string& name) {
  auto r = api.post("/api/teams", json::object{{"name", name}}, bearer(token));
  expect_status(r, 201, "create team " + name);
  return str(r.json(), "id");
}

// POST /api/teams/{id}/members (201 for a new member, 200 for a role change).
inline void add_member(ApiClient& api, const std::string& token, const std::string& team_id,
                       const std::string& user_id, const std::string& role = "member") {
  auto r = api.post("/api/teams/" + team_id + "/members", json::object{{"user_id", user_id}, {"role", role}},
                    bearer(token));
  if (r.status != 201 && r.status != 200)
    throw HarnessError("set-up step \"add member " + user_id + " to " + team_id + "\" failed:\n" + show(r));
}

// ---- API keys -------------------------------------------------------------------------------

struct IssuedKey {
  std::string id, key, prefix;
};

inline IssuedKey issued_key(const HttpResult& r) {
  auto doc = r.json();
  IssuedKey k{str(doc, "id"), str(doc, "key"), str(doc, "prefix")};
  if (k.id.empty() || k.key.empty()) throw HarnessError("an API key response lacks id or key:\n" + show(r));
  return k;
}

// POST /api/api-keys in `team_id` (X-Team-Id), expecting 201. `extra` adds rate_limit,
// expires_at, ...
inline IssuedKey create_api_key(ApiClient& api, const std::string& token, const std::string& team_id,
                                const std::vector<std::string>& permissions, const std::string& name = "test key",
                                const json::object& extra = {}) {
  json::array perms;
  for (const auto& p : permissions) perms.emplace_back(p);
  json::object body{{"name", name}, {"permissions", std::move(perms)}};
  for (const auto& kv : extra) body[kv.key()] = kv.value();
  auto r = api.post("/api/api-keys", body, bearer_in_team(token, team_id));
  expect_status(r, 201, "create API key " + name);
  return issued_key(r);
}

// ---- concurrency ----------------------------------------------------------------------------

// Runs fn(0) ... fn(n-1) on n threads released together, and returns their results in order.
inline std::vector<HttpResult> concurrently(int n, const std::function<HttpResult(int)>& fn) {
  std::barrier start(n);
  std::vector<HttpResult> results(static_cast<std::size_t>(n));
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      results[static_cast<std::size_t>(i)] = fn(i);
    });
  for (auto& t : threads) t.join();
  return results;
}

}  // namespace aop::test
