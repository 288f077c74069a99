// LLM connections over HTTP: create, read, partial update, delete; the API key is write-only
// (has_api_key only) and lives encrypted in the secrets table; names are unique per team; bad
// input is a 422 that stores nothing. Runs once per database (AOP_TEST_DB=sqlite|postgres).
#include <gtest/gtest.h>

#include "support/identity.hpp"

namespace aop::test {
namespace {

const std::string k_key = "sk-llm-connection-key-9f2c4e71";

struct World {
  World() : server(ServerOptions::with_args({"--user-rate-limit", "0"})), api(server) {
    admin = register_account(api, "admin@example.com", "admin-password");
    team = first_team_id(api, admin.access_token);
    dev = create_user(api, admin.access_token, "dev@example.com", "dev-password", "developer", team);
    viewer = create_user(api, admin.access_token, "viewer@example.com", "viewer-password", "viewer", team);
  }
  Headers as_dev() const { return bearer_in_team(dev.access_token, team); }
  std::string scalar(const std::string& sql) const { return server.database().query_scalar(sql); }
  ServerProcess server;
  ApiClient api;
  Account admin, dev, viewer;
  std::string team;
};

json::object openai_body(const std::string& name = "OpenAI") {
  return {{"name", name},
          {"provider", "openai"},
          {"api_key", k_key},
          {"default_model", "gpt-4o-mini"},
          {"models", json::array{"gpt-4o-mini", "gpt-4o"}}};
}

TEST(LlmProviders, CreateReadListUpdateDelete) {
  World w;
  auto created = w.api.post("/api/llm-providers", openai_body(), w.as_dev());
  ASSERT_TRUE(has_status(created, 201));
  auto doc = created.json();
  auto id = str(doc, "id");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(str(doc, "name"), "OpenAI");
  EXPECT_EQ(str(doc, "provider"), "openai");
  EXPECT_TRUE(doc.at("base_url").is_null());
  EXPECT_EQ(str(doc, "default_model"), "gpt-4o-mini");
  EXPECT_EQ(doc.at("models"), (json::array{"gpt-4o-mini", "gpt-4o"}));
  EXPECT_EQ(doc.at("is_enabled"), json::value(true));
  EXPECT_EQ(doc.at("has_api_key"), json::value(true));
  EXPECT_FALSE(str(doc, "created_at").empty());
  std::set<std::string> keys;
  for (const auto& kv : doc.as_object()) keys.insert(std::string(kv.key()));
  EXPECT_EQ(keys, (std::set<std::string>{"id", "name", "provider", "base_url", "default_model", "models", "pricing",
                                         "is_enabled", "has_api_key", "created_at", "updated_at"}));

  // The key is a secret row of kind llm_api_key, encrypted, referenced by the connection.
  EXPECT_EQ(w.scalar("SELECT COUNT(*) FROM secrets WHERE kind = 'llm_api_key' AND crew_id IS NULL"), "1");
  EXPECT_EQ(w.scalar("SELECT s.name FROM llm_providers p JOIN secrets s ON s.id = p.api_key_secret_id"),
            "llm_provider:" + id);
  EXPECT_EQ(
      w.scalar("SELECT COUNT(*) FROM secrets WHERE ciphertext LIKE '%" + k_key + "%' OR nonce LIKE '%" + k_key + "%'"),
      "0");
  // It is not an environment variable of the team.
  auto env = w.api.get("/api/teams/" + w.team + "/env", w.as_dev());
  ASSERT_TRUE(has_status(env, 200));
  EXPECT_TRUE(env.json().at("items").as_array().empty()) << show(env);

  // Viewers read connections (never keys).
  auto list = w.api.get("/api/llm-providers", bearer_in_team(w.viewer.access_token, w.team));
  ASSERT_TRUE(has_status(list, 200));
  ASSERT_EQ(list.json().at("items").as_array().size(), 1u);
  auto one = w.api.get("/api/llm-providers/" + id, bearer_in_team(w.viewer.access_token, w.team));
  ASSERT_TRUE(has_status(one, 200));
  EXPECT_EQ(one.json(), doc);

  // Partial update: a rename keeps everything else, including the key.
  auto renamed = w.api.put("/api/llm-providers/" + id, json::object{{"name", "OpenAI prod"}}, w.as_dev());
  ASSERT_TRUE(has_status(renamed, 200));
  auto rdoc = renamed.json();
  EXPECT_EQ(str(rdoc, "name"), "OpenAI prod");
  EXPECT_EQ(rdoc.at("has_api_key"), json::value(true));
  EXPECT_EQ(rdoc.at("models"), doc.at("models"));
  EXPECT_EQ(str(rdoc, "created_at"), str(doc, "created_at"));

  // null removes the key; a string sets it again.
  auto cleared = w.api.put("/api/llm-providers/" + id, json::object{{"api_key", nullptr}}, w.as_dev());
  ASSERT_TRUE(has_status(cleared, 200));
  EXPECT_EQ(cleared.json().at("has_api_key"), json::value(false));
  EXPECT_EQ(w.scalar("SELECT COUNT(*) FROM secrets"), "0");
  auto set = w.api.put(
      "/api/llm-providers/" + id,
      json::object{{"api_key", "sk-replacement-key"}, {"is_enabled", false}, {"base_url", "https://gw.example/v1"}},
      w.as_dev());
  ASSERT_TRUE(has_status(set, 200));
  EXPECT_EQ(set.json().at("has_api_key"), json::value(true));
  EXPECT_EQ(set.json().at("is_enabled"), json::value(false));
  EXPECT_EQ(str(set.json(), "base_url"), "https://gw.example/v1");
  auto replaced = w.api.put("/api/llm-providers/" + id, json::object{{"api_key", "sk-third-key"}}, w.as_dev());
  ASSERT_TRUE(has_status(replaced, 200));
  EXPECT_EQ(w.scalar("SELECT COUNT(*) FROM secrets"), "1") << "replacing a key keeps one row";
  auto unset = w.api.put("/api/llm-providers/" + id, json::object{{"base_url", nullptr}, {"default_model", nullptr}},
                         w.as_dev());
  ASSERT_TRUE(has_status(unset, 200));
  EXPECT_TRUE(unset.json().at("base_url").is_null());
  EXPECT_TRUE(unset.json().at("default_model").is_null());

  ASSERT_TRUE(has_status(w.api.del("/api/llm-providers/" + id, w.as_dev()), 204));
  EXPECT_TRUE(is_problem(w.api.get("/api/llm-providers/" + id, w.as_dev()), 404));
  EXPECT_TRUE(is_problem(w.api.del("/api/llm-providers/" + id, w.as_dev()), 404));
  EXPECT_EQ(w.scalar("SELECT COUNT(*) FROM secrets"), "0") << "the key goes with its connection";
  EXPECT_TRUE(w.api.get("/api/llm-providers", w.as_dev()).json().at("items").as_array().empty());

  // Every change is audited, never with the key.
  auto audit = w.api.get("/api/audit?action=llm_provider.", w.admin.auth());
  ASSERT_TRUE(has_status(audit, 200));
  EXPECT_EQ(audit.json().at("items").as_array().size(), 7u) << show(audit);
  for (const auto& secret : {k_key, std::string("sk-replacement-key"), std::string("sk-third-key")})
    EXPECT_EQ(audit.body.find(secret), std::string::npos) << show(audit);
}

TEST(LlmProviders, EveryProviderKindAndListOrder) {
  World w;
  const std::vector<json::object> bodies = {
      {{"name", "local"}, {"provider", "ollama"}},
      {{"name", "Claude"}, {"provider", "anthropic"}, {"api_key", "ant-key"}},
      {{"name", "groq"},
       {"provider", "openai_compatible"},
       {"base_url", "https://api.groq.com/openai/v1"},
       {"api_key", "gsk-key"},
       {"models", json::array{"llama-3.1-70b", "llama-3.1-70b"}}},
      {{"name", "vllm"}, {"provider", "openai_compatible"}, {"base_url", "http://10.0.0.5:8000/v1?tenant=a"}},
  };
  for (const auto& b : bodies)
    ASSERT_TRUE(has_status(w.api.post("/api/llm-providers", b, w.as_dev()), 201)) << to_body(b);
  auto list = w.api.get("/api/llm-providers", w.as_dev());
  ASSERT_TRUE(has_status(list, 200));
  std::vector<std::string> names;
  std::map<std::string, json::value> by_name;
  auto doc = list.json();
  for (const auto& item : doc.at("items").as_array()) {
    names.push_back(str(item, "name"));
    by_name[str(item, "name")] = item;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"Claude", "groq", "local", "vllm"}));
  EXPECT_EQ(by_name["local"].at("has_api_key"), json::value(false));
  EXPECT_EQ(by_name["Claude"].at("has_api_key"), json::value(true));
  EXPECT_EQ(by_name["groq"].at("models"), (json::array{"llama-3.1-70b"})) << "a repeated model is kept once";
  EXPECT_EQ(str(by_name["vllm"], "base_url"), "http://10.0.0.5:8000/v1?tenant=a");
}

TEST(LlmProviders, NamesAreUniquePerTeam) {
  World w;
  ASSERT_TRUE(has_status(w.api.post("/api/llm-providers", openai_body("Main"), w.as_dev()), 201));
  auto second = w.api.post("/api/llm-providers", json::object{{"name", "Other"}, {"provider", "ollama"}}, w.as_dev());
  ASSERT_TRUE(has_status(second, 201));
  auto dup = w.api.post("/api/llm-providers", openai_body("Main"), w.as_dev());
  EXPECT_TRUE(is_problem(dup, 409));
  EXPECT_EQ(dup.body.find(k_key), std::string::npos);
  EXPECT_TRUE(is_problem(
      w.api.put("/api/llm-providers/" + str(second.json(), "id"), json::object{{"name", "Main"}}, w.as_dev()), 409));
  EXPECT_EQ(w.scalar("SELECT COUNT(*) FROM llm_providers"), "2");
  EXPECT_EQ(w.scalar("SELECT COUNT(*) FROM secrets"), "1") << "the refused duplicate stored no key";
  // Renaming to its own name is not a conflict; another team may use the name.
  EXPECT_TRUE(has_status(
      w.api.put("/api/llm-providers/" + str(second.json(), "id"), json::object{{"name", "Other"}}, w.as_dev()), 200));
  auto elsewhere = create_team(w.api, w.admin.access_token, "Elsewhere");
  EXPECT_TRUE(has_status(
      w.api.post("/api/llm-providers", openai_body("Main"), bearer_in_team(w.admin.access_token, elsewhere)), 201));
  // Concurrent creates of one name: one wins.
  auto results = concurrently(6, [&](int) {
    return w.api.post("/api/llm-providers", json::object{{"name", "Raced"}, {"provider", "ollama"}}, w.as_dev());
  });
  int created = 0;
  for (const auto& r : results) {
    ASSERT_TRUE(r.status == 201 || r.status == 409) << show(r);
    created += r.status == 201;
  }
  EXPECT_EQ(created, 1);
}

TEST(LlmProviders, ConcurrentFirstKeysLeaveOneKeyAndDeletesLeaveNone) {
  World w;
  auto created = w.api.post("/api/llm-providers", json::object{{"name", "Keyless"}, {"provider", "ollama"}}, w.as_dev());
  ASSERT_TRUE(has_status(created, 201));
  auto url = "/api/llm-providers/" + str(created.json(), "id");
  auto results = concurrently(8, [&](int i) {
    return w.api.put(url, json::object{{"api_key", "key-" + std::to_string(i)}}, w.as_dev());
  });
  for (const auto& r : results) EXPECT_TRUE(has_status(r, 200));
  EXPECT_EQ(w.scalar("SELECT COUNT(*) FROM secrets"), "1");
  EXPECT_EQ(w.scalar("SELECT COUNT(*) FROM llm_providers p JOIN secrets s ON s.id = p.api_key_secret_id"), "1");

  // Key changes racing the connection's deletion never leave a key behind.
  auto racing = concurrently(6, [&](int i) {
    if (i == 0) return w.api.del(url, w.as_dev());
    return w.api.put(url, json::object{{"api_key", "late-" + std::to_string(i)}}, w.as_dev());
  });
  EXPECT_TRUE(has_status(racing[0], 204));
  for (std::size_t i = 1; i < racing.size(); ++i)
    EXPECT_TRUE(racing[i].status == 200 || racing[i].status == 404) << show(racing[i]);
  EXPECT_EQ(w.scalar("SELECT COUNT(*) FROM llm_providers"), "0");
  EXPECT_EQ(w.scalar("SELECT COUNT(*) FROM secrets"), "0");
}

TEST(LlmProviders, InvalidInputAnswers422WithPathsAndStoresNothing) {
  World w;
  struct Case {
    json::object body;
    std::vector<std::string> paths;
  };
  const std::vector<Case> cases = {
      {{{"provider", "openai"}}, {"name"}},
      {{{"name", "x"}}, {"provider"}},
      {{{"name", "   "}, {"provider", "openai"}}, {"name"}},
      {{{"name", std::string(101, 'n')}, {"provider", "openai"}}, {"name"}},
      {{{"name", "x"}, {"provider", "gemini"}}, {"provider"}},
      {{{"name", "x"}, {"provider", 7}}, {"provider"}},
      {{{"name", "x"}, {"provider", "openai_compatible"}}, {"base_url"}},
      {{{"name", "x"}, {"provider", "openai"}, {"base_url", "ftp://files.example"}}, {"base_url"}},
      {{{"name", "x"}, {"provider", "openai"}, {"base_url", "not a url"}}, {"base_url"}},
      {{{"name", "x"}, {"provider", "openai"}, {"base_url", "/v1"}}, {"base_url"}},
      {{{"name", "x"}, {"provider", "openai"}, {"base_url", "https://user:pw@host.example/v1"}}, {"base_url"}},
      {{{"name", "x"}, {"provider", "openai"}, {"base_url", "https://host.example/v1#frag"}}, {"base_url"}},
      {{{"name", "x"}, {"provider", "openai"}, {"base_url", 1}}, {"base_url"}},
      {{{"name", "x"}, {"provider", "openai"}, {"api_key", 12345}}, {"api_key"}},
      {{{"name", "x"}, {"provider", "openai"}, {"api_key", ""}}, {"api_key"}},
      {{{"name", "x"}, {"provider", "openai"}, {"api_key", "line\nbreak"}}, {"api_key"}},
      {{{"name", "x"}, {"provider", "openai"}, {"models", "gpt-4o"}}, {"models"}},
      {{{"name", "x"}, {"provider", "openai"}, {"models", json::array{"gpt-4o", "", 3}}}, {"models[1]", "models[2]"}},
      {{{"name", "x"}, {"provider", "openai"}, {"models", json::array{std::string(201, 'm')}}}, {"models[0]"}},
      {{{"name", "x"}, {"provider", "openai"}, {"default_model", ""}}, {"default_model"}},
      {{{"name", "x"}, {"provider", "openai"}, {"default_model", "gpt-5"}, {"models", json::array{"gpt-4o"}}},
       {"default_model"}},
      {{{"name", "x"}, {"provider", "openai"}, {"is_enabled", "yes"}}, {"is_enabled"}},
      {{{"name", "x"}, {"provider", "openai"}, {"pricing", 5}}, {"pricing"}},
      {{{"name", "x"}, {"provider", "openai"}, {"colour", "red"}}, {"colour"}},
  };
  for (const auto& c : cases) {
    auto r = w.api.post("/api/llm-providers", c.body, w.as_dev());
    ASSERT_TRUE(is_problem(r, 422)) << to_body(c.body);
    EXPECT_EQ(error_paths(r), c.paths) << show(r);
  }
  EXPECT_EQ(w.scalar("SELECT COUNT(*) FROM llm_providers"), "0");
  EXPECT_EQ(w.scalar("SELECT COUNT(*) FROM secrets"), "0");

  // PUT: null is refused where nothing can be cleared, and the merged result is checked.
  auto created = w.api.post("/api/llm-providers", openai_body(), w.as_dev());
  ASSERT_TRUE(has_status(created, 201));
  auto url = "/api/llm-providers/" + str(created.json(), "id");
  const std::vector<Case> updates = {
      {{{"name", nullptr}}, {"name"}},
      {{{"provider", nullptr}}, {"provider"}},
      {{{"is_enabled", nullptr}}, {"is_enabled"}},
      {{{"provider", "openai_compatible"}}, {"base_url"}},
      {{{"models", json::array{"gpt-4o"}}}, {"default_model"}},  // the kept default is no longer listed
      {{{"name", "x"}, {"api_key", false}}, {"api_key"}},
  };
  auto before = w.api.get(url, w.as_dev()).body;
  auto stored_key = w.scalar("SELECT ciphertext FROM secrets");
  for (const auto& c : updates) {
    auto r = w.api.put(url, c.body, w.as_dev());
    ASSERT_TRUE(is_problem(r, 422)) << to_body(c.body);
    EXPECT_EQ(error_paths(r), c.paths) << show(r);
  }
  EXPECT_EQ(w.api.get(url, w.as_dev()).body, before) << "a refused update changed the connection";
  EXPECT_EQ(w.scalar("SELECT ciphertext FROM secrets"), stored_key);
}

TEST(LlmProviders, ConnectionsOfOtherTeamsAre404) {
  World w;
  auto elsewhere = create_team(w.api, w.admin.access_token, "Elsewhere");
  auto theirs = w.api.post("/api/llm-providers", openai_body(), bearer_in_team(w.admin.access_token, elsewhere));
  ASSERT_TRUE(has_status(theirs, 201));
  auto url = "/api/llm-providers/" + str(theirs.json(), "id");
  EXPECT_TRUE(is_problem(w.api.get(url, w.as_dev()), 404));
  EXPECT_TRUE(is_problem(w.api.put(url, json::object{{"name", "mine now"}}, w.as_dev()), 404));
  EXPECT_TRUE(is_problem(w.api.del(url, w.as_dev()), 404));
  // The administrator, acting in the Default team, does not see it either.
  EXPECT_TRUE(is_problem(w.api.get(url, bearer_in_team(w.admin.access_token, w.team)), 404));
  EXPECT_TRUE(w.api.get("/api/llm-providers", w.as_dev()).json().at("items").as_array().empty());
  EXPECT_EQ(w.scalar("SELECT name FROM llm_providers"), "OpenAI");
}

}  // namespace
}  // namespace aop::test
