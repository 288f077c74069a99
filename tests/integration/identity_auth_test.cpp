// Sign-up, log-in, access tokens, refresh-token rotation, log-out and the user's own profile,
// against the real server. Runs once per database (AOP_TEST_DB=sqlite|postgres).
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <sodium.h>

#include <ctime>

#include "auth/jwt.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/ids.hpp"
#include "support/identity.hpp"

namespace aop::test {
namespace {

const std::string k_jwt_secret = "identity-auth-test-jwt-secret-0123456789abcdef";

ServerOptions server_options(std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"--jwt-secret", k_jwt_secret, "--user-rate-limit", "0"};
  args.insert(args.end(), extra.begin(), extra.end());
  return ServerOptions::with_args(std::move(args));
}

std::int64_t now_seconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

std::string b64(std::string_view bytes) { return core::base64url_encode(bytes); }

std::string claims_json(const std::string& sub, const std::string& role, std::int64_t iat, std::int64_t exp) {
  return json::serialize(
      json::object{{"sub", sub}, {"role", role}, {"iat", iat}, {"exp", exp}, {"jti", core::new_id()}});
}

std::string hs256(std::string_view data, std::string_view secret) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  crypto_auth_hmacsha256_final(&st, mac);
  return std::string(reinterpret_cast<const char*>(mac), sizeof mac);
}

std::string hs512(std::string_view data, std::string_view secret) {
  unsigned char mac[crypto_auth_hmacsha512_BYTES];
  crypto_auth_hmacsha512_state st;
  crypto_auth_hmacsha512_init(&st, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  crypto_auth_hmacsha512_update(&st, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  crypto_auth_hmacsha512_final(&st, mac);
  return std::string(reinterpret_cast<const char*>(mac), sizeof mac);
}

// An access token as the server would sign it, with our own claims.
std::string sign_token(const std::string& sub, const std::string& role, std::int64_t iat, std::int64_t exp,
                       const std::string& secret = k_jwt_secret) {
  auth::JwtClaims claims;
  claims.sub = sub;
  claims.role = role;
  claims.iat = iat;
  claims.exp = exp;
  claims.jti = core::new_id();
  return auth::sign_jwt(claims, secret);
}

std::vector<std::string> split_token(const std::string& token) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (auto dot = token.find('.'); dot != std::string::npos; dot = token.find('.', start)) {
    parts.push_back(token.substr(start, dot - start));
    start = dot + 1;
  }
  parts.push_back(token.substr(start));
  return parts;
}

HttpResult me(ApiClient& api, const std::string& token) { return api.get("/api/auth/me", bearer(token)); }

HttpResult refresh(ApiClient& api, const std::string& refresh_token) {
  return api.post("/api/auth/refresh", json::object{{"refresh_token", refresh_token}});
}

HttpResult try_login(ApiClient& api, const std::string& email, const std::string& password) {
  return api.post("/api/auth/login", json::object{{"email", email}, {"password", password}});
}

// ---- registration ---------------------------------------------------------------------------

TEST(IdentityAuth, FirstUserBecomesAdminAndOwnerOfTheDefaultTeam) {
  ServerProcess server(server_options());
  ApiClient api(server);
  auto r = api.post("/api/auth/register",
                    json::object{{"email", "first@example.com"}, {"password", "first-password"}, {"name", "First"}});
  ASSERT_TRUE(has_status(r, 201));
  auto doc = r.json();
  EXPECT_EQ(str(doc.at("user"), "email"), "first@example.com") << show(r);
  EXPECT_EQ(str(doc.at("user"), "role"), "admin") << show(r);
  EXPECT_EQ(str(doc.at("user"), "name"), "First") << show(r);
  EXPECT_EQ(str(doc, "token_type"), "Bearer") << show(r);
  EXPECT_FALSE(str(doc, "access_token").empty()) << show(r);
  EXPECT_FALSE(str(doc, "refresh_token").empty()) << show(r);
  ASSERT_TRUE(doc.at("expires_in").is_int64()) << show(r);
  EXPECT_GT(doc.at("expires_in").as_int64(), 0) << show(r);

  auto m = me(api, str(doc, "access_token"));
  ASSERT_TRUE(has_status(m, 200));
  auto mdoc = m.json();
  EXPECT_EQ(str(mdoc, "role"), "admin") << show(m);
  const auto& teams = mdoc.at("teams").as_array();
  ASSERT_EQ(teams.size(), 1u) << show(m);
  EXPECT_EQ(str(teams[0], "name"), "Default team") << show(m);
  EXPECT_EQ(str(teams[0], "role"), "owner") << show(m);
}

TEST(IdentityAuth, LaterRegistrationIsForbiddenWhileSignupIsOff) {
  ServerProcess server(server_options());
  ApiClient api(server);
  register_account(api, "admin@example.com", "admin-password");
  auto r = api.post("/api/auth/register", json::object{{"email", "second@example.com"}, {"password", "second-password"}});
  EXPECT_TRUE(is_problem(r, 403));
  // No account was created: logging in as it fails.
  EXPECT_TRUE(is_problem(try_login(api, "second@example.com", "second-password"), 401));
}

void expect_signup_creates_developer(ServerProcess& server) {
  ApiClient api(server);
  auto admin = register_account(api, "admin@example.com", "admin-password");
  auto second = register_account(api, "second@example.com", "second-password");
  EXPECT_EQ(second.role, "developer");
  auto m = me(api, second.access_token);
  ASSERT_TRUE(has_status(m, 200));
  EXPECT_EQ(str(m.json(), "role"), "developer") << show(m);
  // The newcomer is not put into the administrator's team.
  auto r = api.get("/api/teams/" + first_team_id(api, admin.access_token), second.auth());
  EXPECT_TRUE(is_problem(r, 404));
  // And logs in as a developer.
  EXPECT_EQ(login(api, "second@example.com", "second-password").role, "developer");
}

TEST(IdentityAuth, SignupFlagLetsLaterUsersRegisterAsDevelopers) {
  ServerProcess server(server_options({"--allow-signup", "true"}));
  expect_signup_creates_developer(server);
}

TEST(IdentityAuth, SignupEnvironmentVariableLetsLaterUsersRegister) {
  auto options = server_options();
  options.env = {{"AOP_ALLOW_SIGNUP", "true"}};
  ServerProcess server(options);
  expect_signup_creates_developer(server);
}

TEST(IdentityAuth, DuplicateEmailIs409) {
  ServerProcess server(server_options({"--allow-signup", "true"}));
  ApiClient api(server);
  register_account(api, "admin@example.com", "admin-password");
  register_account(api, "dup@example.com", "dup-password-1");
  auto r = api.post("/api/auth/register", json::object{{"email", "dup@example.com"}, {"password", "dup-password-2"}});
  EXPECT_TRUE(is_problem(r, 409));
  // The same address in other letter case and with spaces is the same account.
  r = api.post("/api/auth/register", json::object{{"email", " DUP@Example.com "}, {"password", "dup-password-3"}});
  EXPECT_TRUE(is_problem(r, 409));
  // The original password still works; the rejected ones do not.
  login(api, "dup@example.com", "dup-password-1");
  EXPECT_TRUE(is_problem(try_login(api, "dup@example.com", "dup-password-2"), 401));
}

TEST(IdentityAuth, InvalidEmailAndShortPasswordAre422WithFieldPaths) {
  ServerProcess server(server_options());
  ApiClient api(server);
  auto r = api.post("/api/auth/register", json::object{{"email", "not-an-email"}, {"password", "short"}});
  ASSERT_TRUE(is_problem(r, 422));
  EXPECT_TRUE(has_error_path(r, "email"));
  EXPECT_TRUE(has_error_path(r, "password"));

  r = api.post("/api/auth/register", json::object{{"email", "ok@example.com"}, {"password", "1234567"}});
  ASSERT_TRUE(is_problem(r, 422));
  EXPECT_TRUE(has_error_path(r, "password"));
  EXPECT_FALSE(has_error_path(r, "email"));

  r = api.post("/api/auth/register", json::object{{"email", "a@b"}, {"password", "long-enough-password"}});
  ASSERT_TRUE(is_problem(r, 422));
  EXPECT_TRUE(has_error_path(r, "email"));

  r = api.post("/api/auth/register", json::object{});
  ASSERT_TRUE(is_problem(r, 422));
  EXPECT_TRUE(has_error_path(r, "email"));
  EXPECT_TRUE(has_error_path(r, "password"));

  // None of that created a user: the next valid registration is still the first (admin).
  EXPECT_EQ(register_account(api, "ok@example.com", "long-enough-password").role, "admin");
}

TEST(IdentityAuth, EmailIsNormalised) {
  ServerProcess server(server_options());
  ApiClient api(server);
  auto r = api.post("/api/auth/register", json::object{{"email", "  Alice@Example.COM "}, {"password", "alice-password"}});
  ASSERT_TRUE(has_status(r, 201));
  EXPECT_EQ(str(r.json().at("user"), "email"), "alice@example.com") << show(r);
  auto a = login(api, "alice@example.com", "alice-password");
  EXPECT_EQ(a.email, "alice@example.com");
  EXPECT_EQ(login(api, "ALICE@example.com", "alice-password").id, a.id);
  auto m = me(api, a.access_token);
  EXPECT_EQ(str(m.json(), "email"), "alice@example.com") << show(m);
}

TEST(IdentityAuth, WrongEmailAndWrongPasswordGetTheSameAnswer) {
  ServerProcess server(server_options());
  ApiClient api(server);
  register_account(api, "real@example.com", "real-password");
  auto wrong_password = try_login(api, "real@example.com", "not-the-password");
  auto wrong_email = try_login(api, "nobody@example.com", "not-the-password");
  ASSERT_TRUE(is_problem(wrong_password, 401));
  ASSERT_TRUE(is_problem(wrong_email, 401));
  EXPECT_FALSE(str(wrong_password.json(), "detail").empty()) << show(wrong_password);
  EXPECT_EQ(str(wrong_password.json(), "detail"), str(wrong_email.json(), "detail"));
  EXPECT_EQ(wrong_password.body, wrong_email.body) << "the bodies must not tell which part was wrong";
}

TEST(IdentityAuth, FiveFailedLoginsBlockTheAccount) {
  ServerProcess server(server_options({"--allow-signup", "true"}));
  ApiClient api(server);
  register_account(api, "victim@example.com", "victim-password");
  register_account(api, "bystander@example.com", "bystander-password");
  // Spelling the address differently must not give extra attempts.
  const std::vector<std::string> spellings = {"victim@example.com", "Victim@example.com", " victim@EXAMPLE.com",
                                              "VICTIM@example.com", "victim@example.com"};
  for (const auto& email : spellings) {
    auto r = try_login(api, email, "guess-password");
    ASSERT_TRUE(is_problem(r, 401)) << "attempt as " << email;
  }
  for (const auto& password : {"victim-password", "guess-password"}) {
    auto r = try_login(api, "victim@example.com", password);
    ASSERT_TRUE(is_problem(r, 429)) << "while blocked, with password " << password;
    auto retry = r.header("retry-after");
    ASSERT_FALSE(retry.empty()) << show(r);
    int seconds = std::atoi(retry.c_str());
    EXPECT_GE(seconds, 1) << show(r);
    EXPECT_LE(seconds, 30) << show(r);
  }
  // Only that account is blocked.
  login(api, "bystander@example.com", "bystander-password");
}

// ---- access tokens --------------------------------------------------------------------------

TEST(IdentityAuth, ExpiredAccessTokenIsRefused) {
  ServerProcess server(server_options());
  ApiClient api(server);
  auto admin = register_account(api, "admin@example.com", "admin-password");
  // Control: a token we sign with the server's secret is accepted, so a refusal below is about
  // the expiry and nothing else.
  auto fresh = sign_token(admin.id, "admin", now_seconds(), now_seconds() + 600);
  ASSERT_TRUE(has_status(me(api, fresh), 200)) << "a self-signed valid token must work";
  auto expired = sign_token(admin.id, "admin", now_seconds() - 7200, now_seconds() - 3600);
  auto r = me(api, expired);
  EXPECT_TRUE(is_unauthenticated(r));
  EXPECT_NE(str(r.json(), "detail").find("expired"), std::string::npos) << show(r);
}

TEST(IdentityAuth, TamperedTokensAreRefused) {
  ServerProcess server(server_options());
  ApiClient api(server);
  auto admin = register_account(api, "admin@example.com", "admin-password");
  auto dev = create_user(api, admin.access_token, "dev@example.com", "developer-password", "developer");
  ASSERT_TRUE(has_status(me(api, dev.access_token), 200));
  auto parts = split_token(dev.access_token);
  ASSERT_EQ(parts.size(), 3u) << dev.access_token;

  // A changed signature character (in the middle: every bit there counts).
  auto sig = parts[2];
  sig[10] = sig[10] == 'A' ? 'B' : 'A';
  EXPECT_TRUE(is_unauthenticated(me(api, parts[0] + "." + parts[1] + "." + sig))) << "changed signature";

  // A payload promoted to admin, with the original signature.
  auto payload = core::base64url_decode(parts[1]);
  ASSERT_TRUE(payload);
  auto claims = json::parse(*payload).as_object();
  ASSERT_EQ(claims.at("role").as_string(), "developer");
  claims["role"] = "admin";
  auto promoted = parts[0] + "." + b64(json::serialize(claims)) + "." + parts[2];
  EXPECT_TRUE(is_unauthenticated(api.get("/api/users", bearer(promoted)))) << "payload changed to admin";

  // No signature at all, and a token signed with another secret.
  EXPECT_TRUE(is_unauthenticated(me(api, parts[0] + "." + parts[1] + ".")));
  EXPECT_TRUE(is_unauthenticated(me(api, parts[0] + "." + parts[1])));
  auto other = sign_token(admin.id, "admin", now_seconds(), now_seconds() + 600, std::string(48, 'z'));
  EXPECT_TRUE(is_unauthenticated(me(api, other))) << "signed with another secret";
  EXPECT_TRUE(is_unauthenticated(me(api, "garbage")));

  // The developer's own token still works.
  EXPECT_TRUE(has_status(me(api, dev.access_token), 200));
}

TEST(IdentityAuth, AlgNoneTokenIsRefused) {
  ServerProcess server(server_options());
  ApiClient api(server);
  auto admin = register_account(api, "admin@example.com", "admin-password");
  auto payload = b64(claims_json(admin.id, "admin", now_seconds(), now_seconds() + 600));
  for (const char* alg : {"none", "None", "NONE"}) {
    auto header = b64(std::string(R"({"alg":")") + alg + R"(","typ":"JWT"})");
    auto unsigned_token = header + "." + payload + ".";
    EXPECT_TRUE(is_unauthenticated(me(api, unsigned_token))) << "alg " << alg << ", empty signature";
    // Even with a signature that would be valid for HS256 over the same bytes.
    auto signing_input = header + "." + payload;
    EXPECT_TRUE(is_unauthenticated(me(api, signing_input + "." + b64(hs256(signing_input, k_jwt_secret)))))
        << "alg " << alg << ", HS256 signature";
  }
}

TEST(IdentityAuth, Hs512TokenIsRefused) {
  ServerProcess server(server_options());
  ApiClient api(server);
  auto admin = register_account(api, "admin@example.com", "admin-password");
  auto payload = b64(claims_json(admin.id, "admin", now_seconds(), now_seconds() + 600));
  // Control: the same claims under HS256 are accepted.
  auto hs256_input = b64(R"({"alg":"HS256","typ":"JWT"})") + "." + payload;
  ASSERT_TRUE(has_status(me(api, hs256_input + "." + b64(hs256(hs256_input, k_jwt_secret))), 200));
  auto input = b64(R"({"alg":"HS512","typ":"JWT"})") + "." + payload;
  EXPECT_TRUE(is_unauthenticated(me(api, input + "." + b64(hs512(input, k_jwt_secret)))));
}

// ---- refresh tokens and sessions ------------------------------------------------------------

TEST(IdentityAuth, RefreshRotatesTheTokens) {
  ServerProcess server(server_options());
  ApiClient api(server);
  auto admin = register_account(api, "admin@example.com", "admin-password");
  auto s = login(api, "admin@example.com", "admin-password");
  auto r = refresh(api, s.refresh_token);
  ASSERT_TRUE(has_status(r, 200));
  auto next = account_from_tokens(r, s.password);
  EXPECT_EQ(next.id, admin.id);
  EXPECT_NE(next.refresh_token, s.refresh_token);
  EXPECT_NE(next.access_token, s.access_token);
  EXPECT_EQ(str(r.json(), "token_type"), "Bearer") << show(r);
  EXPECT_TRUE(has_status(me(api, next.access_token), 200));
  // The rotated-out token is spent.
  EXPECT_TRUE(is_problem(refresh(api, s.refresh_token), 401));
  // Unknown and malformed tokens are refused too.
  EXPECT_TRUE(is_problem(refresh(api, "not-a-refresh-token"), 401));
  EXPECT_TRUE(is_problem(api.post("/api/auth/refresh", json::object{}), 422));
}

TEST(IdentityAuth, ReusedRefreshTokenEndsTheWholeSession) {
  ServerProcess server(server_options());
  ApiClient api(server);
  register_account(api, "admin@example.com", "admin-password");
  auto s0 = login(api, "admin@example.com", "admin-password");
  auto other = login(api, "admin@example.com", "admin-password");  // another session
  auto s1 = account_from_tokens(refresh(api, s0.refresh_token), s0.password);
  auto s2 = account_from_tokens(refresh(api, s1.refresh_token), s0.password);
  ASSERT_TRUE(has_status(me(api, s2.access_token), 200));

  // Someone replays the first token: the whole family ends.
  EXPECT_TRUE(is_problem(refresh(api, s0.refresh_token), 401));
  // The access token first: a refused refresh would end the session as a side effect (reuse).
  EXPECT_TRUE(is_unauthenticated(me(api, s2.access_token))) << "the session's access token must be refused";
  EXPECT_TRUE(is_problem(refresh(api, s2.refresh_token), 401)) << "the newest refresh token must be revoked too";
  // Other sessions are not affected.
  EXPECT_TRUE(has_status(me(api, other.access_token), 200));
  EXPECT_TRUE(has_status(refresh(api, other.refresh_token), 200));
}

TEST(IdentityAuth, LogoutEndsTheSession) {
  ServerProcess server(server_options());
  ApiClient api(server);
  register_account(api, "admin@example.com", "admin-password");
  auto a = login(api, "admin@example.com", "admin-password");
  auto b = login(api, "admin@example.com", "admin-password");
  ASSERT_TRUE(has_status(me(api, a.access_token), 200));
  auto r = api.post("/api/auth/logout", json::object{}, a.auth());
  EXPECT_TRUE(has_status(r, 204));
  EXPECT_TRUE(is_unauthenticated(me(api, a.access_token))) << "the access token must be refused after log-out";
  EXPECT_TRUE(is_problem(refresh(api, a.refresh_token), 401)) << "the refresh token must be refused after log-out";
  // Log-out without credentials is refused; the other session lives on.
  EXPECT_TRUE(is_unauthenticated(api.request("POST", "/api/auth/logout")));
  EXPECT_TRUE(has_status(me(api, b.access_token), 200));
  EXPECT_TRUE(has_status(refresh(api, b.refresh_token), 200));
}

TEST(IdentityAuth, LogoutWithoutABodyEndsTheSession) {
  ServerProcess server(server_options());
  ApiClient api(server);
  register_account(api, "admin@example.com", "admin-password");
  auto a = login(api, "admin@example.com", "admin-password");
  EXPECT_TRUE(has_status(api.request("POST", "/api/auth/logout", {}, a.auth()), 204));
  EXPECT_TRUE(is_unauthenticated(me(api, a.access_token)));
  EXPECT_TRUE(is_problem(refresh(api, a.refresh_token), 401));
}

// ---- the user's own profile -----------------------------------------------------------------

TEST(IdentityAuth, ProfileNameAndSettingsArePersisted) {
  ServerProcess server(server_options());
  ApiClient api(server);
  auto a = register_account(api, "admin@example.com", "admin-password");
  auto r = api.patch("/api/auth/me",
                     json::object{{"name", "Alice Kim"}, {"settings", {{"theme", "dark"}, {"language", "ko"}}}},
                     a.auth());
  ASSERT_TRUE(has_status(r, 200));
  auto doc = r.json();
  EXPECT_EQ(str(doc, "name"), "Alice Kim") << show(r);
  EXPECT_EQ(str(doc.at("settings"), "theme"), "dark") << show(r);
  EXPECT_EQ(str(doc.at("settings"), "language"), "ko") << show(r);

  // A partial change keeps the other settings; it survives a restart.
  ASSERT_TRUE(has_status(api.patch("/api/auth/me", json::object{{"settings", {{"theme", "system"}}}}, a.auth()), 200));
  server.restart();
  ApiClient api2(server);
  auto m = me(api2, a.access_token);
  ASSERT_TRUE(has_status(m, 200));
  auto mdoc = m.json();
  EXPECT_EQ(str(mdoc, "name"), "Alice Kim") << show(m);
  EXPECT_EQ(str(mdoc.at("settings"), "theme"), "system") << show(m);
  EXPECT_EQ(str(mdoc.at("settings"), "language"), "ko") << show(m);
}

TEST(IdentityAuth, InvalidSettingsAre422AndChangeNothing) {
  ServerProcess server(server_options());
  ApiClient api(server);
  auto a = register_account(api, "admin@example.com", "admin-password");
  ASSERT_TRUE(has_status(api.patch("/api/auth/me", json::object{{"settings", {{"theme", "dark"}}}}, a.auth()), 200));

  auto r = api.patch("/api/auth/me", json::object{{"settings", {{"theme", "purple"}}}}, a.auth());
  ASSERT_TRUE(is_problem(r, 422));
  EXPECT_TRUE(has_error_path(r, "settings.theme"));
  r = api.patch("/api/auth/me", json::object{{"settings", {{"language", "xx"}}}}, a.auth());
  ASSERT_TRUE(is_problem(r, 422));
  EXPECT_TRUE(has_error_path(r, "settings.language"));
  r = api.patch("/api/auth/me", json::object{{"settings", {{"font", "serif"}}}}, a.auth());
  ASSERT_TRUE(is_problem(r, 422));
  EXPECT_TRUE(has_error_path(r, "settings.font"));
  r = api.patch("/api/auth/me", json::object{{"settings", "dark"}}, a.auth());
  ASSERT_TRUE(is_problem(r, 422));
  EXPECT_TRUE(has_error_path(r, "settings"));
  // A valid change next to an invalid one is not applied either.
  r = api.patch("/api/auth/me", json::object{{"name", "Changed"}, {"settings", {{"theme", 1}}}}, a.auth());
  ASSERT_TRUE(is_problem(r, 422));
  EXPECT_TRUE(has_error_path(r, "settings.theme"));

  auto m = me(api, a.access_token);
  EXPECT_EQ(str(m.json().at("settings"), "theme"), "dark") << show(m);
  EXPECT_NE(str(m.json(), "name"), "Changed") << show(m);
}

TEST(IdentityAuth, PasswordChangeNeedsTheCurrentPassword) {
  ServerProcess server(server_options());
  ApiClient api(server);
  register_account(api, "admin@example.com", "old-password-1");
  auto a = login(api, "admin@example.com", "old-password-1");
  auto other = login(api, "admin@example.com", "old-password-1");

  auto r = api.patch("/api/auth/me", json::object{{"password", "new-password-2"}}, a.auth());
  ASSERT_TRUE(is_problem(r, 422));
  EXPECT_TRUE(has_error_path(r, "current_password"));
  r = api.patch("/api/auth/me", json::object{{"password", "new-password-2"}, {"current_password", "wrong-password"}},
                a.auth());
  ASSERT_TRUE(is_problem(r, 422));
  EXPECT_TRUE(has_error_path(r, "current_password"));
  r = api.patch("/api/auth/me", json::object{{"password", "short"}, {"current_password", "old-password-1"}}, a.auth());
  ASSERT_TRUE(is_problem(r, 422));
  EXPECT_TRUE(has_error_path(r, "password"));
  // None of the refused attempts changed the password.
  login(api, "admin@example.com", "old-password-1");

  r = api.patch("/api/auth/me", json::object{{"password", "new-password-2"}, {"current_password", "old-password-1"}},
                a.auth());
  ASSERT_TRUE(has_status(r, 200));
  EXPECT_TRUE(is_problem(try_login(api, "admin@example.com", "old-password-1"), 401));
  login(api, "admin@example.com", "new-password-2");
  // This session continues; the other session's refresh token ends.
  EXPECT_TRUE(has_status(me(api, a.access_token), 200));
  EXPECT_TRUE(has_status(refresh(api, a.refresh_token), 200));
  EXPECT_TRUE(is_problem(refresh(api, other.refresh_token), 401));
}

// Changing the password (e.g. after a compromise) ends the account's other sessions at once:
// their refresh tokens and their access tokens.
TEST(IdentityAuth, PasswordChangeEndsOtherSessions) {
  ServerProcess server(server_options());
  ApiClient api(server);
  register_account(api, "admin@example.com", "old-password-1");
  auto mine = login(api, "admin@example.com", "old-password-1");
  auto stolen = login(api, "admin@example.com", "old-password-1");
  ASSERT_TRUE(has_status(me(api, stolen.access_token), 200));
  expect_status(api.patch("/api/auth/me",
                          json::object{{"password", "new-password-2"}, {"current_password", "old-password-1"}},
                          mine.auth()),
                200, "change password");
  EXPECT_TRUE(has_status(me(api, mine.access_token), 200)) << "the session that changed the password continues";
  // The access token first: a refused refresh would end the session as a side effect (reuse).
  EXPECT_TRUE(is_unauthenticated(me(api, stolen.access_token))) << "the other session's access token still works";
  EXPECT_TRUE(is_problem(refresh(api, stolen.refresh_token), 401)) << "the other session's refresh token";
}

// Password spraying: many failed log-ins from one address, each for another account, are slowed
// down too (the per-account throttle alone would never trigger).
TEST(IdentityAuth, LoginAttemptsFromOneAddressAreLimited) {
  ServerProcess server(server_options());
  ApiClient api(server);
  register_account(api, "admin@example.com", "admin-password");
  int attempts = 0;
  HttpResult r;
  do {
    r = try_login(api, "user" + std::to_string(attempts) + "@example.com", "password-spray");
    ++attempts;
  } while (r.status == 401 && attempts < 200);
  ASSERT_TRUE(is_problem(r, 429)) << "after " << attempts << " attempts";
  EXPECT_GE(attempts, 10) << "legitimate users need a few attempts";
  EXPECT_LE(attempts, 120);
  EXPECT_GE(std::atoi(r.header("retry-after").c_str()), 1) << show(r);
}

TEST(IdentityAuth, LastLoginAtIsSetByLogin) {
  ServerProcess server(server_options());
  ApiClient api(server);
  auto admin = register_account(api, "admin@example.com", "admin-password");
  auto r = api.post("/api/users",
                    json::object{{"email", "new@example.com"}, {"password", "new-user-password"}, {"role", "viewer"}},
                    admin.auth());
  ASSERT_TRUE(has_status(r, 201));
  auto created = r.json();
  EXPECT_TRUE(created.at("last_login_at").is_null()) << "never logged in yet:\n" << show(r);

  auto l = try_login(api, "new@example.com", "new-user-password");
  ASSERT_TRUE(has_status(l, 200));
  auto at_login = str(l.json().at("user"), "last_login_at");
  ASSERT_FALSE(at_login.empty()) << show(l);
  std::int64_t login_ms = 0, created_ms = 0;
  ASSERT_TRUE(core::parse_iso8601(at_login, login_ms)) << at_login;
  ASSERT_TRUE(core::parse_iso8601(str(created, "created_at"), created_ms)) << show(r);
  EXPECT_GE(login_ms, created_ms);
  EXPECT_LE(login_ms, core::system_clock().now_ms() + 1000);

  auto m = me(api, str(l.json(), "access_token"));
  EXPECT_EQ(str(m.json(), "last_login_at"), at_login) << show(m);
  // The administrator sees it as well.
  auto users = api.get("/api/users?q=new@example.com", admin.auth());
  ASSERT_TRUE(has_status(users, 200));
  bool found = false;
  auto udoc = users.json();
  for (const auto& u : udoc.at("items").as_array())
    if (str(u, "email") == "new@example.com") {
      found = true;
      EXPECT_EQ(str(u, "last_login_at"), at_login) << show(users);
    }
  EXPECT_TRUE(found) << show(users);
}

// ---- races ----------------------------------------------------------------------------------

TEST(IdentityAuthRaces, ConcurrentFirstRegistrationsMakeExactlyOneAdmin) {
  for (bool signup : {false, true}) {
    ServerProcess server(server_options({"--allow-signup", signup ? "true" : "false"}));
    ApiClient api(server);
    auto results = concurrently(6, [&](int i) {
      return api.post("/api/auth/register", json::object{{"email", "racer" + std::to_string(i) + "@example.com"},
                                                         {"password", "racer-password"}});
    });
    int admins = 0, developers = 0, forbidden = 0;
    for (const auto& r : results) {
      if (r.status == 201) {
        auto role = str(r.json().at("user"), "role");
        admins += role == "admin";
        developers += role == "developer";
      } else {
        EXPECT_TRUE(is_problem(r, 403)) << "signup " << signup;
        ++forbidden;
      }
    }
    EXPECT_EQ(admins, 1) << "signup " << signup;
    EXPECT_EQ(developers, signup ? 5 : 0);
    EXPECT_EQ(forbidden, signup ? 0 : 5);
  }
}

TEST(IdentityAuthRaces, ConcurrentRegistrationsOfOneEmailCreateOneAccount) {
  ServerProcess server(server_options({"--allow-signup", "true"}));
  ApiClient api(server);
  register_account(api, "admin@example.com", "admin-password");
  auto results = concurrently(6, [&](int i) {
    return api.post("/api/auth/register",
                    json::object{{"email", "same@example.com"}, {"password", "password-" + std::to_string(i)}});
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

TEST(IdentityAuthRaces, ConcurrentRefreshesOfOneTokenSucceedAtMostOnce) {
  ServerProcess server(server_options());
  ApiClient api(server);
  register_account(api, "admin@example.com", "admin-password");
  for (int round = 0; round < 3; ++round) {
    auto s = login(api, "admin@example.com", "admin-password");
    auto results = concurrently(4, [&](int) { return refresh(api, s.refresh_token); });
    int ok = 0;
    for (const auto& r : results) {
      if (r.status == 200) {
        ++ok;
      } else {
        EXPECT_TRUE(is_problem(r, 401));
      }
    }
    EXPECT_LE(ok, 1) << "one refresh token minted " << ok << " sessions (round " << round << ")";
  }
}

// ---- sessions across users, restarts and nodes ------------------------------------------------

TEST(IdentityAuth, LogoutCannotEndAnotherUsersSession) {
  ServerProcess server(server_options());
  ApiClient api(server);
  auto admin = register_account(api, "admin@example.com", "admin-password");
  auto dev = create_user(api, admin.access_token, "dev@example.com", "developer-password", "developer");
  auto r = api.post("/api/auth/logout", json::object{{"refresh_token", admin.refresh_token}}, dev.auth());
  EXPECT_TRUE(r.status == 204 || r.status == 404 || r.status == 403 || r.status == 422) << show(r);
  EXPECT_TRUE(has_status(me(api, admin.access_token), 200)) << "the administrator's session must survive";
  EXPECT_TRUE(has_status(refresh(api, admin.refresh_token), 200)) << "the administrator's refresh token must survive";
}

// Revocations (log-out, role change, deactivation) must hold after the server restarts: the
// refused access tokens have not expired yet.
TEST(IdentityAuth, RevokedAccessTokensStayRevokedAfterARestart) {
  ServerProcess server(server_options());
  ApiClient api(server);
  auto admin = register_account(api, "admin@example.com", "admin-password");
  auto logged_out = login(api, "admin@example.com", "admin-password");
  auto demoted = create_user(api, admin.access_token, "demoted@example.com", "demoted-password", "admin");
  auto deactivated = create_user(api, admin.access_token, "gone@example.com", "gone-password", "developer");
  expect_status(api.request("POST", "/api/auth/logout", {}, logged_out.auth()), 204, "log out");
  expect_status(api.patch("/api/users/" + demoted.id, json::object{{"role", "viewer"}}, admin.auth()), 200, "demote");
  expect_status(api.patch("/api/users/" + deactivated.id, json::object{{"is_active", false}}, admin.auth()), 200,
                "deactivate");
  ASSERT_TRUE(is_unauthenticated(me(api, logged_out.access_token)));
  ASSERT_TRUE(is_unauthenticated(api.get("/api/users", demoted.auth())));
  ASSERT_TRUE(is_unauthenticated(me(api, deactivated.access_token)));

  server.restart();
  ApiClient after(server);
  EXPECT_TRUE(has_status(me(after, admin.access_token), 200)) << "control: a live token survives the restart";
  EXPECT_TRUE(is_unauthenticated(me(after, logged_out.access_token))) << "a logged-out token works again after a restart";
  EXPECT_TRUE(is_unauthenticated(after.get("/api/users", demoted.auth())))
      << "a demoted administrator's old token regains admin rights after a restart";
  EXPECT_TRUE(is_unauthenticated(me(after, deactivated.access_token)))
      << "a deactivated user's token works again after a restart";
}

// With PostgreSQL several `aop serve` nodes share one database: a revocation on one node must
// hold on the others.
TEST(IdentityAuth, RevocationsReachEveryNode) {
  if (test_dialect() != "postgres") GTEST_SKIP() << "PostgreSQL only: several nodes need a shared database";
  ServerProcess a(server_options());
  ServerProcess b(server_options({"--database-url", a.database_url()}));
  ApiClient api_a(a), api_b(b);
  auto admin = register_account(api_a, "admin@example.com", "admin-password");
  auto s = login(api_a, "admin@example.com", "admin-password");
  auto dev = create_user(api_a, admin.access_token, "dev@example.com", "developer-password", "developer");
  ASSERT_TRUE(has_status(me(api_b, s.access_token), 200)) << "control: node B accepts node A's tokens";
  ASSERT_TRUE(has_status(me(api_b, dev.access_token), 200));

  expect_status(api_a.request("POST", "/api/auth/logout", {}, s.auth()), 204, "log out on A");
  expect_status(api_a.patch("/api/users/" + dev.id, json::object{{"is_active", false}}, admin.auth()), 200,
                "deactivate on A");
  // Nodes sync revocations from the database every 2 s (docs/operations.md); allow 5 s.
  auto refused_within = [&](const std::string& token) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
      if (is_unauthenticated(me(api_b, token))) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  };
  EXPECT_TRUE(refused_within(s.access_token)) << "node B still accepts a token logged out on node A after 5 s";
  EXPECT_TRUE(refused_within(dev.access_token)) << "node B still accepts a token of a user deactivated on A after 5 s";
}

}  // namespace
}  // namespace aop::test
