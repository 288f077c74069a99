// Per-team prices: a price set on an LLM connection replaces the shipped table for that
// team's runs, and a model without any price costs null. The server's runs call a fake
// OpenAI-compatible server through the connection. Runs once per database.
#include <gtest/gtest.h>

#include <cmath>

#include "fixtures/fake_llm_server.hpp"
#include "support/identity.hpp"

namespace aop::test {
namespace {

const char* k_crew = R"({
  "name": "priced",
  "agents": {"a": {"role": "Writer", "goal": "Write", "backstory": "Terse.", "llm": "cheapai/house-model"}},
  "tasks": {"t": {"description": "Say hi", "expected_output": "A greeting", "agent": "a"}}
})";

struct PricingWorld {
  PricingWorld() : server(ServerOptions::with_args({"--user-rate-limit", "0"})), api(server) {
    admin = register_account(api, "pricing-admin@example.com", "pricing-admin-password");
    team = first_team_id(api, admin.access_token);
  }
  Headers auth() const { return bearer_in_team(admin.access_token, team); }

  std::string connection(const json::value& pricing) {
    json::object body{{"name", "cheapai"}, {"provider", "openai_compatible"}, {"base_url", fake.openai_url()},
                      {"api_key", "sk-fake"}, {"pricing", pricing}};
    auto r = api.post("/api/llm-providers", body, auth());
    return str(expect_status(r, 201, "create connection").json(), "id");
  }
  // Runs the crew once (the fake answers with 1,000 input and 200 output tokens) and returns
  // the finished execution.
  json::value run_once() {
    fake.enqueue([] {
      auto reply = FakeReply::text("Hi.");
      reply.usage = FakeUsage{1000, 200, 0};
      return reply;
    }());
    if (crew_id.empty()) {
      auto r = api.post("/api/crews", json::object{{"name", "priced"}, {"config", json::parse(k_crew)}}, auth());
      crew_id = str(expect_status(r, 201, "create crew").json(), "id");
      expect_status(api.post("/api/crews/" + crew_id + "/deploy", json::object{}, auth()), 201, "deploy");
    }
    auto r = api.post("/api/crews/" + crew_id + "/run", json::object{{"inputs", json::object{}}}, auth());
    auto id = str(expect_status(r, 202, "run").json(), "execution_id");
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (true) {
      auto e = expect_status(api.get("/api/executions/" + id, auth()), 200, "get execution").json();
      auto status = str(e, "status");
      if (status == "completed" || status == "failed") return e;
      if (std::chrono::steady_clock::now() > deadline) throw HarnessError("execution still " + status);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  FakeLlmServer fake;
  ServerProcess server;
  ApiClient api;
  Account admin;
  std::string team;
  std::string crew_id;
};

TEST(TeamPricing, AConnectionsPricesCostTheTeamsRunsAndUnknownModelsCostNull) {
  PricingWorld w;
  auto id = w.connection(json::object{{"house-model", {{"input", 2.0}, {"output", 10.0}}}});
  auto got = w.api.get("/api/llm-providers/" + id, w.auth()).json();
  EXPECT_EQ(got.at("pricing").at("house-model").at("output"), json::value(10.0));

  auto priced = w.run_once();
  ASSERT_EQ(str(priced, "status"), "completed") << json::serialize(priced);
  ASSERT_TRUE(priced.at("total_cost").is_number()) << json::serialize(priced);
  // 1,000 × $2 + 200 × $10 per million tokens.
  EXPECT_NEAR(priced.at("total_cost").to_number<double>(), 0.004, 1e-9);
  ASSERT_EQ(w.fake.requests().size(), 1u);
  EXPECT_EQ(w.fake.requests()[0].json.at("model"), "house-model");

  // Without a price the cost is unknown (null), never a guess.
  auto r = w.api.put("/api/llm-providers/" + id, json::object{{"pricing", json::object{}}}, w.auth());
  expect_status(r, 200, "clear prices");
  auto unpriced = w.run_once();
  ASSERT_EQ(str(unpriced, "status"), "completed");
  EXPECT_TRUE(unpriced.at("total_cost").is_null()) << json::serialize(unpriced);
}

TEST(TeamPricing, MalformedPricesAre422AtTheirPathAndChangeNothing) {
  PricingWorld w;
  auto id = w.connection(json::object{{"house-model", {{"input", 1}, {"output", 1}}}});
  auto url = "/api/llm-providers/" + id;
  auto before = w.api.get(url, w.auth()).body;
  struct Case {
    json::value pricing;
    std::vector<std::string> paths;
  };
  const std::vector<Case> cases = {
      {"cheap", {"pricing"}},
      {json::array{1, 2}, {"pricing"}},
      {json::object{{"house-model", {{"input", -1}, {"output", 1}}}}, {"pricing.house-model"}},
      {json::object{{"house-model", {{"input", 1}}}}, {"pricing.house-model"}},
      {json::object{{"a", "free"}, {"b", {{"input", 1}, {"output", 1}, {"cached_input", -2}}}},
       {"pricing.a", "pricing.b"}},
  };
  for (const auto& c : cases) {
    auto r = w.api.put(url, json::object{{"pricing", c.pricing}}, w.auth());
    ASSERT_TRUE(is_problem(r, 422)) << json::serialize(c.pricing) << ": " << r.body;
    EXPECT_EQ(error_paths(r), c.paths) << r.body;
  }
  EXPECT_EQ(w.api.get(url, w.auth()).body, before);
}

TEST(TeamPricing, CrewsMayNameTheTeamsConnectionsAsProviders) {
  PricingWorld w;
  auto validate = [&] {
    auto r = w.api.post("/api/crews/validate", json::parse(k_crew), w.auth());
    return expect_status(r, 200, "validate").json();
  };
  auto before = validate();
  ASSERT_EQ(before.at("errors").as_array().size(), 1u) << json::serialize(before);
  EXPECT_EQ(before.at("errors").at(0).at("path"), "agents.a.llm");
  w.connection(json::object{});
  auto after = validate();
  EXPECT_TRUE(after.at("errors").as_array().empty()) << json::serialize(after);
}

}  // namespace
}  // namespace aop::test
