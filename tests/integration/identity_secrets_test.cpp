// Secrets never leak: after a full identity flow, neither the server's log nor any response body
// (after the one that issued the secret) contains a password, an API key, a refresh token, an
// access token (log only) or the JWT secret; and no response ever carries a hash field.
// Runs once per database (AOP_TEST_DB=sqlite|postgres).
#include <gtest/gtest.h>

#include "support/identity.hpp"

namespace aop::test {
namespace {

const std::string k_jwt_secret = "jwt-SECRET-do-not-leak-4c1d9e7a2b6f8035";

struct Secret {
  std::string what;
  std::string value;
  std::size_t issued_at;  // index in the client's history of the response that showed it (npos: never shown)
};

class SecretsLeak : public ::testing::TestWithParam<std::string> {};

// Appends the secret, remembering which response (the latest so far) may contain it.
void remember(std::vector<Secret>& secrets, const ApiClient& api, std::string what, std::string value,
              bool shown_in_last_response) {
  auto n = api.history().size();
  secrets.push_back({std::move(what), std::move(value), shown_in_last_response ? n - 1 : std::string::npos});
}

TEST_P(SecretsLeak, NoSecretInTheLogOrInLaterResponses) {
  ServerProcess server(ServerOptions::with_args({"--jwt-secret", k_jwt_secret, "--log-level", "trace", "--log-format",
                                                 GetParam(), "--allow-signup", "true", "--user-rate-limit", "0"}));
  ApiClient api(server);
  std::vector<Secret> secrets;
  secrets.push_back({"the JWT secret", k_jwt_secret, std::string::npos});
  std::vector<std::string> access_tokens;  // shown in responses by design; must not reach the log

  // Register with a distinctive password, and a second user by self-registration.
  const std::string admin_password = "Adm1n-Pa55word-leakcheck-9e1f";
  auto admin = register_account(api, "admin@example.com", admin_password);
  remember(secrets, api, "the admin's password", admin_password, false);
  remember(secrets, api, "the admin's first refresh token", admin.refresh_token, true);
  access_tokens.push_back(admin.access_token);
  const std::string self_password = "Se1f-Pa55word-leakcheck-0b7c";
  auto self = register_account(api, "self@example.com", self_password);
  remember(secrets, api, "a self-registered user's password", self_password, false);
  remember(secrets, api, "a self-registered user's refresh token", self.refresh_token, true);

  // An administrator creates a developer; the developer logs in (once with a typo).
  const std::string dev_password = "D3v-Pa55word-leakcheck-5a2e";
  auto team = first_team_id(api, admin.access_token);
  expect_status(api.post("/api/users",
                         json::object{{"email", "dev@example.com"}, {"password", dev_password}, {"role", "developer"},
                                      {"team_id", team}},
                         admin.auth()),
                201, "create developer");
  remember(secrets, api, "the developer's initial password", dev_password, false);
  const std::string typo = "D3v-Pa55word-leakcheck-5a2X";
  EXPECT_TRUE(is_problem(api.post("/api/auth/login", json::object{{"email", "dev@example.com"}, {"password", typo}}),
                         401));
  remember(secrets, api, "a mistyped password", typo, false);
  auto dev = login(api, "dev@example.com", dev_password);
  remember(secrets, api, "the developer's refresh token", dev.refresh_token, true);
  access_tokens.push_back(dev.access_token);

  // An API key: created, used both ways, regenerated, the old one tried.
  auto key = create_api_key(api, dev.access_token, team, {"teams:read"}, "leak-check");
  remember(secrets, api, "the API key", key.key, true);
  remember(secrets, api, "the API key's secret part", key.key.substr(13), true);
  expect_status(api.get("/api/teams", bearer(key.key)), 200, "use the key as bearer");
  expect_status(api.get("/api/teams", api_key_header(key.key)), 200, "use the key as X-API-Key");
  auto r = api.request("POST", "/api/api-keys/" + key.id + "/regenerate", {}, dev.auth());
  expect_status(r, 200, "regenerate the key");
  auto regenerated = issued_key(r);
  remember(secrets, api, "the regenerated API key", regenerated.key, true);
  EXPECT_TRUE(is_unauthenticated(api.get("/api/teams", bearer(key.key))));
  expect_status(api.get("/api/teams", bearer(regenerated.key)), 200, "use the regenerated key");
  // A key with a wrong secret but a real prefix: the error path must not echo it either.
  auto wrong_key = regenerated.key.substr(0, 13) + std::string(43, 'A');
  EXPECT_TRUE(is_unauthenticated(api.get("/api/teams", api_key_header(wrong_key))));
  remember(secrets, api, "a wrong API key", wrong_key, false);

  // Refresh twice, then replay a spent token.
  auto r1 = api.post("/api/auth/refresh", json::object{{"refresh_token", dev.refresh_token}});
  expect_status(r1, 200, "refresh");
  auto s1 = account_from_tokens(r1, dev_password);
  remember(secrets, api, "the developer's second refresh token", s1.refresh_token, true);
  access_tokens.push_back(s1.access_token);
  auto r2 = api.post("/api/auth/refresh", json::object{{"refresh_token", s1.refresh_token}});
  expect_status(r2, 200, "refresh again");
  auto s2 = account_from_tokens(r2, dev_password);
  remember(secrets, api, "the developer's third refresh token", s2.refresh_token, true);
  access_tokens.push_back(s2.access_token);

  // Change the password, with a wrong current password first.
  const std::string new_password = "N3w-Pa55word-leakcheck-c8d4";
  EXPECT_TRUE(is_problem(api.patch("/api/auth/me", json::object{{"password", new_password},
                                                                {"current_password", "Wr0ng-current-leakcheck"}},
                                   s2.auth()),
                         422));
  remember(secrets, api, "a wrong current password", "Wr0ng-current-leakcheck", false);
  expect_status(api.patch("/api/auth/me", json::object{{"password", new_password}, {"current_password", dev_password}},
                          s2.auth()),
                200, "change password");
  remember(secrets, api, "the developer's new password", new_password, false);
  auto again = login(api, "dev@example.com", new_password);
  remember(secrets, api, "the refresh token after the password change", again.refresh_token, true);
  access_tokens.push_back(again.access_token);

  // Replay a spent refresh token (reuse detection), then log out with a refresh token in the body.
  EXPECT_TRUE(is_problem(api.post("/api/auth/refresh", json::object{{"refresh_token", dev.refresh_token}}), 401));
  expect_status(api.post("/api/auth/logout", json::object{{"refresh_token", again.refresh_token}}, again.auth()), 204,
                "log out");

  // Everything an administrator can read afterwards.
  for (const std::string& target : {std::string("/api/users"), std::string("/api/audit?limit=200"),
                                   std::string("/api/api-keys"), std::string("/api/auth/me"),
                                   "/api/teams/" + team + "/members", std::string("/api/teams"), std::string("/metrics")})
    api.get(target, bearer_in_team(admin.access_token, team));
  api.get("/api/api-keys", bearer_in_team(dev.access_token, team));

  // Let the log catch up, then stop the server so every line is written.
  server.get("/healthz");
  server.terminate();
  auto status = server.wait_exit(std::chrono::seconds(15));
  ASSERT_TRUE(status) << server.diagnostics();
  EXPECT_TRUE(status->success()) << status->describe() << "\n" << server.diagnostics();
  auto log = server.log() + server.stderr_output();
  ASSERT_NE(log.find("/api/auth/login"), std::string::npos) << "the log should show the requests:\n" << tail(log);

  auto history = api.history();
  for (const auto& s : secrets) {
    ASSERT_FALSE(s.value.empty()) << s.what;
    EXPECT_EQ(log.find(s.value), std::string::npos) << s.what << " appears in the server's log";
    if (s.issued_at != std::string::npos) {
      EXPECT_NE(history[s.issued_at].response.body.find(s.value), std::string::npos)
          << "bookkeeping: " << s.what << " is not in the response that issued it";
    }
    for (std::size_t i = 0; i < history.size(); ++i) {
      if (s.issued_at != std::string::npos && i <= s.issued_at) continue;
      const auto& e = history[i];
      EXPECT_EQ(e.response.body.find(s.value), std::string::npos)
          << s.what << " appears in the response to " << e.method << " " << e.target << ":\n"
          << show(e.response);
      for (const auto& [name, value] : e.response.headers)
        EXPECT_EQ(value.find(s.value), std::string::npos)
            << s.what << " appears in header " << name << " of the response to " << e.method << " " << e.target;
    }
  }
  for (const auto& token : access_tokens) {
    EXPECT_EQ(log.find(token), std::string::npos) << "an access token appears in the server's log";
    // The signature alone is enough to replay a token whose header and claims are guessable.
    EXPECT_EQ(log.find(token.substr(token.rfind('.') + 1)), std::string::npos)
        << "an access token's signature appears in the server's log";
  }
}

INSTANTIATE_TEST_SUITE_P(Identity, SecretsLeak, ::testing::Values("text", "json"));

// No response of the identity API carries a password, hash or secret field.
TEST(IdentitySecrets, NoHashOrPasswordFieldsInResponses) {
  ServerProcess server(ServerOptions::with_args({"--user-rate-limit", "0"}));
  ApiClient api(server);
  auto admin = register_account(api, "admin@example.com", "admin-password");
  auto team = first_team_id(api, admin.access_token);
  auto dev = create_user(api, admin.access_token, "dev@example.com", "developer-password", "developer", team);
  auto key = create_api_key(api, dev.access_token, team, {"teams:read"});
  api.request("POST", "/api/api-keys/" + key.id + "/regenerate", {}, dev.auth());
  create_api_key(api, admin.access_token, team, {"teams:read"}, "admin key");
  api.patch("/api/users/" + dev.id, json::object{{"name", "Dev"}}, admin.auth());
  api.patch("/api/auth/me", json::object{{"settings", {{"theme", "dark"}}}}, dev.auth());
  for (const auto& token : {admin.access_token, dev.access_token}) {
    api.get("/api/api-keys", bearer_in_team(token, team));
    api.get("/api/auth/me", bearer(token));
    api.get("/api/teams/" + team + "/members", bearer(token));
    api.get("/api/teams", bearer(token));
  }
  api.get("/api/users", admin.auth());
  api.get("/api/users?q=dev", admin.auth());
  api.get("/api/audit", admin.auth());

  int checked = 0;
  for (const auto& e : api.history()) {
    auto doc = parse_or_null(e.response.body);
    if (doc.is_null()) continue;
    ++checked;
    std::vector<std::string> names;
    collect_member_names(doc, names);
    for (const auto& n : names) {
      EXPECT_EQ(n.find("hash"), std::string::npos) << e.method << " " << e.target << ":\n" << show(e.response);
      EXPECT_EQ(n.find("password"), std::string::npos) << e.method << " " << e.target << ":\n" << show(e.response);
      EXPECT_EQ(n.find("secret"), std::string::npos) << e.method << " " << e.target << ":\n" << show(e.response);
    }
    if (e.target.starts_with("/api/api-keys") && e.method == "GET") {
      EXPECT_EQ(e.response.status, 200) << show(e.response);
      for (const auto& n : names) EXPECT_NE(n, "key") << "a listing shows a key:\n" << show(e.response);
    }
  }
  EXPECT_GE(checked, 15);
  // The database keeps no plain text either.
  auto stored_keys = server.database().query_scalar("SELECT count(*) FROM api_keys WHERE key_hash = '" + key.key + "'");
  EXPECT_EQ(stored_keys, "0");
  auto plain_passwords =
      server.database().query_scalar("SELECT count(*) FROM users WHERE password_hash LIKE '%developer-password%'");
  EXPECT_EQ(plain_passwords, "0");
  auto argon = server.database().query_scalar("SELECT count(*) FROM users WHERE password_hash LIKE '$argon2id$%'");
  EXPECT_EQ(argon, "2");
}

}  // namespace
}  // namespace aop::test
