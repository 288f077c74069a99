// Environment variables of teams and crews over HTTP: set, replace, list (names only),
// delete, validation that stores nothing, other teams' crews, encryption at rest, audit.
// Runs once per database (AOP_TEST_DB=sqlite|postgres).
#include <gtest/gtest.h>

#include <set>

#include "core/crypto.hpp"
#include "support/crew_rows.hpp"
#include "support/identity.hpp"

namespace aop::test {
namespace {

// A server with an administrator (owner of the Default team), a developer of that team, a crew
// of it, and a second team with its own crew.
struct World {
  World() : server(ServerOptions::with_args({"--user-rate-limit", "0"})), api(server) {
    admin = register_account(api, "admin@example.com", "admin-password");
    team = first_team_id(api, admin.access_token);
    dev = create_user(api, admin.access_token, "dev@example.com", "dev-password", "developer", team);
    crew = create_crew_row(server.database(), team, "Research crew");
    other_team = create_team(api, admin.access_token, "Elsewhere");
    other_crew = create_crew_row(server.database(), other_team, "Their crew");
  }
  Headers as_dev() const { return bearer_in_team(dev.access_token, team); }
  std::string count(const std::string& where) const {
    return server.database().query_scalar("SELECT COUNT(*) FROM secrets WHERE " + where);
  }
  ServerProcess server;
  ApiClient api;
  Account admin, dev;
  std::string team, crew, other_team, other_crew;
};

json::object set_body(const std::string& name, const std::string& value) { return {{"name", name}, {"value", value}}; }

std::vector<std::string> listed_names(const HttpResult& r) {
  std::vector<std::string> names;
  auto doc = r.json();
  for (const auto& item : doc.at("items").as_array()) names.push_back(str(item, "name"));
  return names;
}

// The same behaviour under /api/teams/{id}/env and /api/crews/{id}/env.
class EnvScopes : public ::testing::TestWithParam<std::string> {
 protected:
  std::string base(const World& w) const {
    return GetParam() == "team" ? "/api/teams/" + w.team + "/env" : "/api/crews/" + w.crew + "/env";
  }
};

TEST_P(EnvScopes, SetReplaceListAndDelete) {
  World w;
  auto url = base(w);
  auto created = w.api.put(url, set_body("OPENAI_API_KEY", "sk-first-value"), w.as_dev());
  ASSERT_TRUE(has_status(created, 201));
  auto doc = created.json();
  EXPECT_EQ(str(doc, "name"), "OPENAI_API_KEY");
  EXPECT_EQ(str(doc, "scope"), GetParam());
  EXPECT_FALSE(str(doc, "created_at").empty());
  EXPECT_EQ(doc.as_object().size(), 4u) << "name, scope, created_at, updated_at and nothing else:\n" << show(created);

  auto replaced = w.api.put(url, set_body("OPENAI_API_KEY", "sk-second-value"), w.as_dev());
  ASSERT_TRUE(has_status(replaced, 200));
  EXPECT_EQ(str(replaced.json(), "created_at"), str(doc, "created_at")) << "replacing keeps the creation time";
  ASSERT_TRUE(has_status(w.api.put(url, set_body("a_lower", "x"), w.as_dev()), 201));
  ASSERT_TRUE(has_status(w.api.put(url, set_body("_UNDERSCORE", ""), w.as_dev()), 201)) << "empty values are allowed";

  auto list = w.api.get(url, w.as_dev());
  ASSERT_TRUE(has_status(list, 200));
  EXPECT_EQ(listed_names(list), (std::vector<std::string>{"OPENAI_API_KEY", "_UNDERSCORE", "a_lower"}));
  auto ldoc = list.json();
  EXPECT_TRUE(ldoc.at("next_cursor").is_null());
  for (const auto& item : ldoc.at("items").as_array()) {
    EXPECT_EQ(str(item, "scope"), GetParam());
    EXPECT_FALSE(item.as_object().contains("value")) << show(list);
  }
  EXPECT_EQ(list.body.find("sk-"), std::string::npos) << "values are write-only:\n" << show(list);

  ASSERT_TRUE(has_status(w.api.del(url + "/a_lower", w.as_dev()), 204));
  EXPECT_TRUE(is_problem(w.api.del(url + "/a_lower", w.as_dev()), 404));
  EXPECT_TRUE(is_problem(w.api.del(url + "/NEVER_SET", w.as_dev()), 404));
  EXPECT_EQ(listed_names(w.api.get(url, w.as_dev())), (std::vector<std::string>{"OPENAI_API_KEY", "_UNDERSCORE"}));
  EXPECT_EQ(w.count("kind = 'env'"), "2");
}

TEST_P(EnvScopes, InvalidInputAnswers422WithPathsAndStoresNothing) {
  World w;
  auto url = base(w);
  ASSERT_TRUE(has_status(w.api.put(url, set_body("KEEP", "original"), w.as_dev()), 201));
  auto before = w.server.database().query_scalar("SELECT nonce || ciphertext FROM secrets WHERE name = 'KEEP'");

  struct Case {
    json::value body;
    std::vector<std::string> paths;
  };
  const std::string too_long(64 * 1024 + 1, 'v');
  std::string multibyte;  // 32 769 characters, 65 538 bytes: the limit counts bytes
  for (int i = 0; i < 32769; ++i) multibyte += "\xc3\xa9";
  const std::vector<Case> cases = {
      {json::object{{"value", "x"}}, {"name"}},
      {json::object{{"name", "KEEP"}}, {"value"}},
      {json::object{{"name", "KEEP"}, {"value", nullptr}}, {"value"}},
      {json::object{{"name", "1STARTS_WITH_DIGIT"}, {"value", "x"}}, {"name"}},
      {json::object{{"name", "HAS-DASH"}, {"value", "x"}}, {"name"}},
      {json::object{{"name", "HAS SPACE"}, {"value", "x"}}, {"name"}},
      {json::object{{"name", ""}, {"value", "x"}}, {"name"}},
      {json::object{{"name", std::string(129, 'N')}, {"value", "x"}}, {"name"}},
      {json::object{{"name", 42}, {"value", "x"}}, {"name"}},
      {json::object{{"name", "KEEP"}, {"value", 42}}, {"value"}},
      {json::object{{"name", "KEEP"}, {"value", true}}, {"value"}},
      {json::object{{"name", "KEEP"}, {"value", json::object{{"nested", "x"}}}}, {"value"}},
      {json::object{{"name", "KEEP"}, {"value", json::array{"x"}}}, {"value"}},
      {json::object{{"name", "KEEP"}, {"value", too_long}}, {"value"}},
      {json::object{{"name", "KEEP"}, {"value", multibyte}}, {"value"}},
      {json::object{{"name", "KEEP"}, {"value", std::string("nul\0inside", 10)}}, {"value"}},
      {json::object{{"name", "KEEP"}, {"value", "x"}, {"scope", "crew"}}, {"scope"}},
      {json::object{{"name", "bad name"}, {"value", 1}}, {"name", "value"}},
  };
  for (const auto& c : cases) {
    auto r = w.api.put(url, c.body, w.as_dev());
    ASSERT_TRUE(is_problem(r, 422)) << to_body(c.body).substr(0, 200);
    EXPECT_EQ(error_paths(r), c.paths) << show(r);
  }
  EXPECT_TRUE(is_problem(w.api.put(url, json::array{"KEEP", "x"}, w.as_dev()), 422)) << "not an object";
  EXPECT_TRUE(is_problem(w.api.request("PUT", url, "{\"name\": \"KEEP\", ", w.as_dev()), 400)) << "malformed JSON";

  // The limit itself is fine: 65 536 bytes.
  ASSERT_TRUE(has_status(w.api.put(url, set_body("BIG", std::string(64 * 1024, 'v')), w.as_dev()), 201));
  EXPECT_EQ(listed_names(w.api.get(url, w.as_dev())), (std::vector<std::string>{"BIG", "KEEP"}));
  EXPECT_EQ(w.server.database().query_scalar("SELECT nonce || ciphertext FROM secrets WHERE name = 'KEEP'"), before)
      << "a refused request changed the stored value";
}

TEST_P(EnvScopes, ValuesAreEncryptedAtRest) {
  World w;
  const std::string value = "plaintext-env-value-6b1d0c9e";
  ASSERT_TRUE(has_status(w.api.put(base(w), set_body("STORED", value), w.as_dev()), 201));
  auto nonce = w.server.database().query_scalar("SELECT nonce FROM secrets WHERE name = 'STORED'");
  auto ciphertext = w.server.database().query_scalar("SELECT ciphertext FROM secrets WHERE name = 'STORED'");
  ASSERT_FALSE(nonce.empty());
  ASSERT_FALSE(ciphertext.empty());
  for (const auto& column : {nonce, ciphertext}) {
    EXPECT_EQ(column.find(value), std::string::npos);
    EXPECT_EQ(column.find("plaintext"), std::string::npos);
  }
  auto decoded = core::base64url_decode(ciphertext);
  ASSERT_TRUE(decoded) << "ciphertext is base64url";
  EXPECT_EQ(decoded->size(), value.size() + 16) << "XChaCha20-Poly1305: ciphertext plus a 16-byte tag";
  EXPECT_EQ(decoded->find(value), std::string::npos);
  EXPECT_EQ(core::base64url_decode(nonce).value_or("").size(), 24u);
  EXPECT_EQ(w.server.database().query_scalar("SELECT kind FROM secrets WHERE name = 'STORED'"), "env");
}

TEST_P(EnvScopes, ChangesAreAuditedWithoutValues) {
  World w;
  const std::string value = "audited-value-must-not-appear-31c9";
  ASSERT_TRUE(has_status(w.api.put(base(w), set_body("AUDITED", value), w.as_dev()), 201));
  ASSERT_TRUE(has_status(w.api.del(base(w) + "/AUDITED", w.as_dev()), 204));
  auto r = w.api.get("/api/audit?action=secret.", w.admin.auth());
  ASSERT_TRUE(has_status(r, 200));
  EXPECT_EQ(r.body.find(value), std::string::npos) << show(r);
  std::vector<std::string> actions;
  auto doc = r.json();
  for (const auto& e : doc.at("items").as_array()) {
    actions.push_back(str(e, "action"));
    EXPECT_EQ(str(e.at("details"), "name"), "AUDITED") << show(r);
    EXPECT_EQ(str(e.at("details"), "scope"), GetParam()) << show(r);
    EXPECT_EQ(str(e, "team_id"), w.team) << show(r);
  }
  std::sort(actions.begin(), actions.end());
  EXPECT_EQ(actions, (std::vector<std::string>{"secret.delete", "secret.set"})) << show(r);
}

TEST_P(EnvScopes, ConcurrentFirstWritesOfOneNameCreateOneRow) {
  World w;
  auto url = base(w);
  auto results = concurrently(
      8, [&](int i) { return w.api.put(url, set_body("RACED", "value-" + std::to_string(i)), w.as_dev()); });
  int created = 0;
  for (const auto& r : results) {
    ASSERT_TRUE(r.status == 201 || r.status == 200) << show(r);
    created += r.status == 201;
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(w.count("name = 'RACED'"), "1");
}

INSTANTIATE_TEST_SUITE_P(Env, EnvScopes, ::testing::Values("team", "crew"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

TEST(CrewEnv, CrewsOfOtherTeamsDeletedOrUnknownAre404AndGetNothing) {
  World w;
  const std::vector<std::string> crews = {w.other_crew, "00000000-0000-7000-8000-000000000000", "not-a-uuid"};
  for (const auto& crew : crews) {
    auto url = "/api/crews/" + crew + "/env";
    EXPECT_TRUE(is_problem(w.api.get(url, w.as_dev()), 404)) << crew;
    EXPECT_TRUE(is_problem(w.api.put(url, set_body("SNEAKY", "x"), w.as_dev()), 404)) << crew;
    EXPECT_TRUE(is_problem(w.api.del(url + "/SNEAKY", w.as_dev()), 404)) << crew;
  }
  // Even an administrator addresses crews through the active team.
  EXPECT_TRUE(is_problem(w.api.put("/api/crews/" + w.other_crew + "/env", set_body("SNEAKY", "x"),
                                   bearer_in_team(w.admin.access_token, w.team)),
                         404));
  EXPECT_EQ(w.count("1 = 1"), "0");

  // A crew deleted after its variables were set.
  ASSERT_TRUE(has_status(w.api.put("/api/crews/" + w.crew + "/env", set_body("BEFORE", "x"), w.as_dev()), 201));
  soft_delete_crew_row(w.server.database(), w.crew);
  EXPECT_TRUE(is_problem(w.api.get("/api/crews/" + w.crew + "/env", w.as_dev()), 404));
  EXPECT_TRUE(is_problem(w.api.put("/api/crews/" + w.crew + "/env", set_body("AFTER", "x"), w.as_dev()), 404));
}

TEST(CrewEnv, TeamAndCrewValuesAreSeparateListings) {
  World w;
  auto crew2 = create_crew_row(w.server.database(), w.team, "Second crew");
  ASSERT_TRUE(has_status(w.api.put("/api/teams/" + w.team + "/env", set_body("SHARED", "team"), w.as_dev()), 201));
  ASSERT_TRUE(has_status(w.api.put("/api/crews/" + w.crew + "/env", set_body("SHARED", "crew"), w.as_dev()), 201))
      << "a crew may override a team variable";
  ASSERT_TRUE(has_status(w.api.put("/api/crews/" + w.crew + "/env", set_body("CREW_ONLY", "x"), w.as_dev()), 201));
  EXPECT_EQ(listed_names(w.api.get("/api/teams/" + w.team + "/env", w.as_dev())), (std::vector<std::string>{"SHARED"}));
  EXPECT_EQ(listed_names(w.api.get("/api/crews/" + w.crew + "/env", w.as_dev())),
            (std::vector<std::string>{"CREW_ONLY", "SHARED"}));
  EXPECT_EQ(listed_names(w.api.get("/api/crews/" + crew2 + "/env", w.as_dev())), (std::vector<std::string>{}));
  // Deleting the crew's value leaves the team's.
  ASSERT_TRUE(has_status(w.api.del("/api/crews/" + w.crew + "/env/SHARED", w.as_dev()), 204));
  EXPECT_EQ(listed_names(w.api.get("/api/teams/" + w.team + "/env", w.as_dev())), (std::vector<std::string>{"SHARED"}));
  // Another team's variables are its own.
  ASSERT_TRUE(
      has_status(w.api.put("/api/teams/" + w.other_team + "/env", set_body("SHARED", "other"), w.admin.auth()), 201));
  EXPECT_EQ(w.count("name = 'SHARED'"), "2");
  EXPECT_TRUE(is_problem(w.api.get("/api/teams/" + w.other_team + "/env", w.as_dev()), 404))
      << "a team the developer is not in does not exist for them";
}

}  // namespace
}  // namespace aop::test
