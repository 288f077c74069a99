// Secret values never come back: after setting distinctive environment values and LLM API keys
// and driving every env and LLM-connection endpoint (error paths included), no response body or
// header and no log line (text and JSON formats) contains a value, nor its base64 or hex. And
// values at rest survive a restart with the same key, and fail clearly with another one.
// Runs once per database (AOP_TEST_DB=sqlite|postgres).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "core/crypto.hpp"
#include "support/crew_rows.hpp"
#include "support/identity.hpp"

namespace aop::test {
namespace {

std::string base64_standard(std::string_view bytes) {
  static constexpr char k_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += k_alphabet[(n >> shift) & 63];
  }
  if (i < bytes.size()) {
    unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += k_alphabet[(n >> 18) & 63];
    out += k_alphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? k_alphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string hex(std::string_view bytes) {
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += k_digits[c >> 4];
    out += k_digits[c & 15];
  }
  return out;
}

// Text that reveals `value`: the value itself, and its base64 (standard and URL-safe) at each
// of the three alignments it could have inside a longer encoded string (the stable middle
// part, so a value embedded anywhere in an encoded blob is still found), and its hex.
std::vector<std::string> revealing_forms(const std::string& value) {
  std::vector<std::string> forms = {value, hex(value)};
  for (std::size_t pad = 0; pad < 3; ++pad) {
    std::string padded = std::string(pad, '\x01') + value;
    for (std::string encoded : {base64_standard(padded), core::base64url_encode(padded)}) {
      std::size_t skip = pad == 0 ? 0 : 4;  // the first group mixes padding with the value
      std::size_t keep = encoded.size() > skip + 8 ? encoded.size() - skip - 4 : 0;  // drop the last group
      if (keep >= 12) forms.push_back(encoded.substr(skip, keep));
    }
  }
  return forms;
}

class EnvSecretsLeak : public ::testing::TestWithParam<std::string> {};

TEST_P(EnvSecretsLeak, NoValueInAnyResponseOrLogLine) {
  ServerProcess server(
      ServerOptions::with_args({"--log-level", "trace", "--log-format", GetParam(), "--user-rate-limit", "0"}));
  ApiClient api(server);
  auto admin = register_account(api, "admin@example.com", "admin-password");
  auto team = first_team_id(api, admin.access_token);
  auto dev = create_user(api, admin.access_token, "dev@example.com", "dev-password", "developer", team);
  auto crew = str(expect_status(api.post("/api/crews",
                                          json::object{{"name", "Leak check crew"},
                                                       {"config", "agents:\n  a: {role: R, goal: G, backstory: B}\n"
                                                                  "tasks:\n  t: {description: D, expected_output: O, agent: a}\n"}},
                                          bearer_in_team(admin.access_token, team)),
                                 201, "create a crew")
                       .json(),
                   "id");
  auto other_team = create_team(api, admin.access_token, "Elsewhere");
  auto other_crew = create_crew_row(server.database(), other_team);
  auto as_dev = bearer_in_team(dev.access_token, team);
  auto team_env = "/api/teams/" + team + "/env";
  auto crew_env = "/api/crews/" + crew + "/env";

  std::vector<std::pair<std::string, std::string>> secrets;  // what, value
  auto secret = [&](std::string what, std::string value) {
    secrets.emplace_back(std::move(what), value);
    return value;
  };

  // Values that are stored.
  expect_status(api.put(team_env,
                        json::object{{"name", "OPENAI_API_KEY"},
                                     {"value", secret("a team value", "TEAMenv-leakcheck-3f9a1c77e2")}},
                        as_dev),
                201, "set a team value");
  expect_status(api.put(crew_env,
                        json::object{{"name", "OPENAI_API_KEY"},
                                     {"value", secret("a crew value", "CREWenv-leakcheck-b81d04c6aa")}},
                        as_dev),
                201, "set a crew value");
  expect_status(api.put(crew_env,
                        json::object{{"name", "OPENAI_API_KEY"},
                                     {"value", secret("a replaced crew value", "CREWenv2-leakcheck-5e6f7a")}},
                        as_dev),
                200, "replace the crew value");
  expect_status(api.put(crew_env,
                        json::object{{"name", "MULTILINE_PEM"},
                                     {"value", secret("a multi-line value",
                                                      "-----BEGIN KEY-----\nPEMleakcheck0c4b2a\n-----END KEY-----")}},
                        as_dev),
                201, "set a multi-line value");
  auto created = api.post("/api/llm-providers",
                          json::object{{"name", "OpenAI"},
                                       {"provider", "openai"},
                                       {"api_key", secret("an LLM API key", "sk-LLMkey-leakcheck-7d2e90b3c1")}},
                          as_dev);
  expect_status(created, 201, "create an LLM connection");
  auto provider = "/api/llm-providers/" + str(created.json(), "id");
  expect_status(
      api.put(provider, json::object{{"api_key", secret("a replaced LLM API key", "sk-LLMkey2-leakcheck-aa41")}},
              as_dev),
      200, "replace the LLM API key");

  // Values sent on error paths.
  auto refused = [&](const HttpResult& r, int status) { EXPECT_TRUE(is_problem(r, status)) << show(r); };
  refused(api.put(crew_env,
                  json::object{{"name", "bad name"},
                               {"value", secret("a value with a bad name", "BADNAMEval-leakcheck-91")}},
                  as_dev),
          422);
  refused(
      api.put(crew_env,
              json::object{{"name", secret("a value typed as the name", "sk-NAMEfield-leakcheck-x7")}, {"value", "x"}},
              as_dev),
      422);
  refused(
      api.put(crew_env, json::object{{"name", "OK"}, {"valeu", secret("a value under a typo", "TYPOval-leakcheck-d3")}},
              as_dev),
      422);
  refused(
      api.put(crew_env,
              json::object{{"name", "OK"},
                           {"value", secret("a too-long value", "TOOLONG-leakcheck-e8f1") + std::string(70000, 'z')}},
              as_dev),
      422);
  refused(api.put(crew_env,
                  json::object{{"name", "OK"},
                               {"value", secret("a value with NUL", "NULval-leakcheck-44") + std::string(1, '\0')}},
                  as_dev),
          422);
  refused(api.put(crew_env,
                  json::object{{"name", "OK"},
                               {"value", json::object{{"k", secret("a nested value", "NESTEDval-leakcheck-5b")}}}},
                  as_dev),
          422);
  refused(api.put("/api/crews/" + other_crew + "/env",
                  json::object{{"name", "OK"},
                               {"value", secret("a value for another team's crew", "OTHERcrew-leakcheck-0d")}},
                  as_dev),
          404);
  refused(api.put("/api/teams/" + other_team + "/env",
                  json::object{{"name", "OK"}, {"value", secret("a value for another team", "OTHERteam-leakcheck-6c")}},
                  as_dev),
          404);
  refused(api.post("/api/llm-providers",
                   json::object{{"name", "Bad URL"},
                                {"provider", "openai"},
                                {"base_url", "ftp://x.example"},
                                {"api_key", secret("a key with a bad base URL", "sk-BADURL-leakcheck-2f")}},
                   as_dev),
          422);
  refused(api.post("/api/llm-providers",
                   json::object{{"name", "OpenAI"},
                                {"provider", "openai"},
                                {"api_key", secret("a key on a duplicate name", "sk-DUP-leakcheck-8e")}},
                   as_dev),
          409);
  refused(
      api.post("/api/llm-providers",
               json::object{{"name", "Creds in URL"},
                            {"provider", "openai_compatible"},
                            {"base_url", "https://user:" + secret("a password in a base URL", "URLpass-leakcheck-71") +
                                             "@llm.example/v1"}},
               as_dev),
      422);
  refused(api.post("/api/llm-providers",
                   json::object{{"name", "Newline"},
                                {"provider", "openai"},
                                {"api_key", secret("a key with a newline", "sk-NEWLINE-leakcheck-3a") + "\n"}},
                   as_dev),
          422);
  refused(
      api.put("/api/llm-providers/00000000-0000-7000-8000-000000000000",
              json::object{{"api_key", secret("a key for an unknown connection", "sk-UNKNOWN-leakcheck-c2")}}, as_dev),
      404);
  refused(api.put(provider,
                  json::object{{"api_key", secret("a key with a non-null bad field", "sk-BADFIELD-leakcheck-19")},
                               {"is_enabled", "yes"}},
                  as_dev),
          422);
  refused(api.request("PUT", crew_env,
                      "{\"name\": \"OK\", \"value\": \"" + secret("a value in broken JSON", "BROKENjson-leakcheck-64"),
                      as_dev),
          400);

  // Everything that can be read afterwards.
  std::string crew_url = "/api/crews/" + crew;
  for (const auto& target : {team_env, crew_env, std::string("/api/llm-providers"), provider,
                             std::string("/api/audit?limit=200"), std::string("/metrics"), crew_url,
                             crew_url + "/export?format=yaml", crew_url + "/export?format=json",
                             crew_url + "/export?format=crewai", crew_url + "/versions/1", std::string("/api/crews")})
    api.get(target, bearer_in_team(admin.access_token, team));
  expect_status(api.del(crew_env + "/MULTILINE_PEM", as_dev), 204, "delete a value");
  expect_status(api.del(provider, as_dev), 204, "delete the LLM connection");
  api.get("/api/audit?limit=200", admin.auth());

  server.get("/healthz");
  server.terminate();
  auto status = server.wait_exit(std::chrono::seconds(15));
  ASSERT_TRUE(status) << server.diagnostics();
  EXPECT_TRUE(status->success()) << status->describe();
  auto log = server.log() + server.stderr_output();
  ASSERT_NE(log.find("/api/crews/{id}/env"), std::string::npos) << "the log should show the requests:\n" << tail(log);

  auto history = api.history();
  ASSERT_GE(history.size(), 30u);
  int checked = 0;
  for (const auto& [what, value] : secrets) {
    for (const auto& form : revealing_forms(value)) {
      ++checked;
      EXPECT_EQ(log.find(form), std::string::npos) << what << " appears in the server's log (as \"" << form << "\")";
      for (const auto& e : history) {
        EXPECT_EQ(e.response.body.find(form), std::string::npos)
            << what << " appears in the response to " << e.method << " " << e.target << ":\n"
            << show(e.response);
        for (const auto& [name, header] : e.response.headers)
          EXPECT_EQ(header.find(form), std::string::npos) << what << " appears in header " << name;
      }
    }
  }
  EXPECT_GE(checked, 150);
}

INSTANTIATE_TEST_SUITE_P(Secrets, EnvSecretsLeak, ::testing::Values("text", "json"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param + "_log"; });

// `aop secrets check` against the test server's data directory and database.
CommandResult secrets_check(const ServerProcess& server, const EnvVars& env = {}) {
  std::vector<std::string> args = {"secrets", "check", "--data-dir", server.data_dir().string()};
  for (const auto& a : server.database().cli_args()) args.push_back(a);
  return run_aop(args, env);
}

TEST(SecretsAtRest, SurviveARestartAndNeedTheSameKey) {
  ServerProcess server(ServerOptions::with_args({"--user-rate-limit", "0"}));
  ApiClient api(server);
  auto admin = register_account(api, "admin@example.com", "admin-password");
  auto team = first_team_id(api, admin.access_token);
  auto crew = str(expect_status(api.post("/api/crews",
                                          json::object{{"name", "Leak check crew"},
                                                       {"config", "agents:\n  a: {role: R, goal: G, backstory: B}\n"
                                                                  "tasks:\n  t: {description: D, expected_output: O, agent: a}\n"}},
                                          bearer_in_team(admin.access_token, team)),
                                 201, "create a crew")
                       .json(),
                   "id");
  auto as_admin = bearer_in_team(admin.access_token, team);
  const std::string team_value = "restart-team-value-0e5d", crew_value = "restart-crew-value-8a3b";
  expect_status(
      api.put("/api/teams/" + team + "/env", json::object{{"name", "TEAM_VAR"}, {"value", team_value}}, as_admin), 201,
      "set a team value");
  expect_status(
      api.put("/api/crews/" + crew + "/env", json::object{{"name", "CREW_VAR"}, {"value", crew_value}}, as_admin), 201,
      "set a crew value");
  expect_status(api.post("/api/llm-providers",
                         json::object{{"name", "A"}, {"provider", "anthropic"}, {"api_key", "ant-k"}}, as_admin),
                201, "create an LLM connection");

  // The generated master key: 32 bytes as base64url, readable by the owner only.
  auto key_file = server.data_dir() / "secret_key";
  struct stat st {};
  ASSERT_EQ(::stat(key_file.c_str(), &st), 0) << key_file;
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(core::base64url_decode(read_file(key_file)).value_or("").size(), 32u);

  auto check = secrets_check(server);
  EXPECT_EQ(check.exit_code, 0) << check.describe();
  EXPECT_NE(check.stdout_text.find("3 secret(s) checked; all decrypt"), std::string::npos) << check.describe();

  // Same data directory, same key file: everything still opens.
  server.restart();
  auto names = api.get("/api/crews/" + crew + "/env", as_admin);
  ASSERT_TRUE(has_status(names, 200));
  EXPECT_NE(names.body.find("CREW_VAR"), std::string::npos);
  EXPECT_EQ(server.log_since_start().find("cannot be decrypted"), std::string::npos) << server.diagnostics();
  check = secrets_check(server);
  EXPECT_EQ(check.exit_code, 0) << check.describe();

  // Another key: the server starts and serves, warns once, and the check names the problem.
  const std::string other_key(64, 'a');
  server.options_for_restart().env.emplace_back("AOP_SECRET_KEY", other_key);
  server.restart();
  EXPECT_TRUE(server.wait_for_log("3 of the 3 most recently changed secrets cannot be decrypted"))
      << server.diagnostics();
  ASSERT_TRUE(has_status(api.get("/api/crews/" + crew + "/env", as_admin), 200)) << "listing needs no decryption";
  check = secrets_check(server, {{"AOP_SECRET_KEY", other_key}});
  EXPECT_EQ(check.exit_code, 1) << check.describe();
  EXPECT_NE(check.stderr_text.find("3 of 3 secret(s) cannot be decrypted"), std::string::npos) << check.describe();
  // New values are sealed under the key in use; the old ones stay unreadable with it.
  expect_status(api.put("/api/teams/" + team + "/env", json::object{{"name", "TEAM_VAR"}, {"value", "new"}}, as_admin),
                200, "replace a value under the new key");
  check = secrets_check(server, {{"AOP_SECRET_KEY", other_key}});
  EXPECT_NE(check.stderr_text.find("2 of 3 secret(s)"), std::string::npos) << check.describe();
  for (const auto& output : {check.stdout_text, check.stderr_text, server.log()}) {
    EXPECT_EQ(output.find(team_value), std::string::npos);
    EXPECT_EQ(output.find(crew_value), std::string::npos);
    EXPECT_EQ(output.find(other_key), std::string::npos);
  }
  // Without AOP_SECRET_KEY the key file is used again: the two untouched values open.
  check = secrets_check(server);
  EXPECT_NE(check.stderr_text.find("1 of 3 secret(s)"), std::string::npos) << check.describe();
}

TEST(SecretsAtRest, AnInvalidKeyStopsTheStartWithoutShowingIt) {
  TempDir dir("aop-badkey-");
  const std::string bad = "not-a-valid-key-but-secret-4d2a";
  auto r = run_aop({"serve", "--port", "0", "--data-dir", (dir / "data").string()}, {{"AOP_SECRET_KEY", bad}},
                   std::chrono::seconds(20));
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_NE(r.stderr_text.find("AOP_SECRET_KEY"), std::string::npos) << r.describe();
  EXPECT_EQ(r.stderr_text.find(bad), std::string::npos) << r.describe();
  EXPECT_EQ(r.stdout_text.find(bad), std::string::npos) << r.describe();
  // `aop secrets check` with no key anywhere does not invent one.
  auto check = run_aop({"secrets", "check", "--data-dir", (dir / "data").string()});
  EXPECT_FALSE(std::filesystem::exists(dir / "data" / "secret_key")) << check.describe();
}

}  // namespace
}  // namespace aop::test
