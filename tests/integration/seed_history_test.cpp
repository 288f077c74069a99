// `aop seed` on a running server's database, and the execution list's filters and orders over
// the history it writes: cost range, text search, sort by cost/duration/tokens/age with
// cursors that neither skip nor repeat. Runs once per database (AOP_TEST_DB=sqlite|postgres).
#include <gtest/gtest.h>

#include <set>

#include "support/identity.hpp"
#include "support/sse_client.hpp"

namespace aop::test {
namespace {

CommandResult aop_on(const ServerProcess& server, std::vector<std::string> args) {
  args.insert(args.end(), {"--data-dir", server.data_dir().string()});
  for (const auto& a : server.database().cli_args()) args.push_back(a);
  return run_aop(args);
}

struct SeededWorld {
  SeededWorld() : server(ServerOptions::with_args({"--user-rate-limit", "0", "--workers", "0"})), api(server) {
    admin = register_account(api, "seed-admin@example.com", "seed-admin-password");
    team = first_team_id(api, admin.access_token);
    auto seeded = aop_on(server, {"seed", "--crews", "3", "--executions", "300", "--days", "3"});
    if (seeded.exit_code != 0) throw HarnessError("aop seed failed:\n" + seeded.describe());
  }
  Headers auth() const { return bearer_in_team(admin.access_token, team); }
  json::array list(const std::string& query) {
    auto r = api.get("/api/executions" + query, auth());
    return expect_status(r, 200, "list " + query).json().at("items").as_array();
  }
  // Every item of a listing, page by page.
  std::vector<json::value> all(const std::string& query, int limit = 37) {
    std::vector<json::value> out;
    std::string cursor;
    while (true) {
      auto sep = query.empty() ? "?" : "&";
      auto r = api.get("/api/executions" + (query.empty() ? "" : "?" + query) + sep + "limit=" + std::to_string(limit) +
                           (cursor.empty() ? "" : "&cursor=" + cursor),
                       auth());
      auto doc = expect_status(r, 200, "page").json();
      for (const auto& item : doc.at("items").as_array()) out.push_back(item);
      if (doc.at("next_cursor").is_null()) return out;
      cursor = std::string(doc.at("next_cursor").as_string());
    }
  }

  ServerProcess server;
  ApiClient api;
  Account admin;
  std::string team;
};

double number(const json::value& v, const char* key) {
  const auto& x = v.at(key);
  return x.is_null() ? -1.0 : x.to_number<double>();
}

TEST(SeedHistory, SeedsTheDefaultTeamWithRunsTheApiReads) {
  SeededWorld w;
  auto crews = w.api.get("/api/crews", w.auth()).json().at("items").as_array();
  EXPECT_EQ(crews.size(), 3u);
  auto everything = w.all("");
  ASSERT_EQ(everything.size(), 300u);
  std::set<std::string> statuses, ids;
  for (const auto& e : everything) {
    statuses.insert(str(e, "status"));
    ids.insert(str(e, "id"));
    EXPECT_GT(e.at("total_tokens").to_number<std::int64_t>(), 0);
    EXPECT_FALSE(e.at("completed_at").is_null());
  }
  EXPECT_EQ(ids.size(), 300u) << "pages repeated or skipped items";
  EXPECT_TRUE(statuses.contains("completed"));
  EXPECT_TRUE(statuses.contains("failed"));

  // A seeded run replays its event log like a real one: ordered, ending with its status.
  auto id = str(everything.front(), "id");
  auto r = http_stream(w.server.port(), "/api/executions/" + id + "/stream", w.auth(), std::chrono::seconds(10));
  ASSERT_EQ(r.status, 200);
  auto events = parse_sse(r.body);
  ASSERT_GE(events.size(), 10u);
  EXPECT_EQ(events.front().event, "execution_started");
  EXPECT_EQ(events.back().event, "execution_completed");
  EXPECT_NE(events.back().data.find("\"status\":\"" + str(everything.front(), "status") + "\""), std::string::npos);

  // Again: more crews are only added up to the number asked for.
  auto again = aop_on(w.server, {"seed", "--crews", "3", "--executions", "10"});
  ASSERT_EQ(again.exit_code, 0) << again.describe();
  EXPECT_EQ(w.api.get("/api/crews", w.auth()).json().at("items").as_array().size(), 3u);
  EXPECT_EQ(w.all("").size(), 310u);
}

TEST(SeedHistory, SortsPageThroughEveryRunInOrder) {
  SeededWorld w;
  struct Order {
    const char* sort;
    const char* key;
    bool descending;
  };
  for (auto order : {Order{"cost", "total_cost", true}, Order{"duration", "duration_ms", true},
                     Order{"tokens", "total_tokens", true}}) {
    auto items = w.all(std::string("sort=") + order.sort);
    ASSERT_EQ(items.size(), 300u) << order.sort;
    std::set<std::string> ids;
    for (std::size_t i = 0; i < items.size(); ++i) {
      ids.insert(str(items[i], "id"));
      if (i == 0) continue;
      EXPECT_LE(number(items[i], order.key), number(items[i - 1], order.key)) << order.sort << " at " << i;
    }
    EXPECT_EQ(ids.size(), 300u) << order.sort;
  }
  auto oldest = w.all("sort=oldest");
  auto newest = w.all("");
  ASSERT_EQ(oldest.size(), 300u);
  EXPECT_EQ(str(oldest.front(), "id"), str(newest.back(), "id"));
  EXPECT_EQ(str(oldest.back(), "id"), str(newest.front(), "id"));
}

TEST(SeedHistory, FiltersByCostRangeAndText) {
  SeededWorld w;
  auto everything = w.all("");
  std::size_t expensive = 0, cheap = 0, failed_rate_limited = 0;
  for (const auto& e : everything) {
    double cost = number(e, "total_cost");
    if (cost >= 0.05) ++expensive;
    if (cost >= 0 && cost <= 0.01) ++cheap;
    if (e.at("error_message").is_string() && e.at("error_message").as_string().find("rate limited") != std::string::npos)
      ++failed_rate_limited;
  }
  auto over = w.all("min_cost=0.05");
  EXPECT_EQ(over.size(), expensive);
  for (const auto& e : over) EXPECT_GE(number(e, "total_cost"), 0.05);
  EXPECT_EQ(w.all("max_cost=0.01").size(), cheap);
  EXPECT_EQ(w.all("min_cost=0.01&max_cost=0.05&sort=cost").size(),
            static_cast<std::size_t>(std::count_if(everything.begin(), everything.end(), [](const json::value& e) {
              double c = number(e, "total_cost");
              return c >= 0.01 && c <= 0.05;
            })));

  // Text search: case-insensitive, in inputs, outputs and errors; % and _ are literal.
  auto topic = w.all("q=HEAT%20PUMPS");
  ASSERT_FALSE(topic.empty());
  for (const auto& e : topic) EXPECT_EQ(e.at("inputs").at("topic"), "heat pumps");
  auto limited = w.all("q=rate%20LIMITED");
  EXPECT_EQ(limited.size(), failed_rate_limited);
  EXPECT_GT(failed_rate_limited, 0u) << "300 seeded runs should include a rate-limited failure";
  EXPECT_EQ(w.all("q=100%25").size(), 0u);

  EXPECT_TRUE(has_error_path(w.api.get("/api/executions?min_cost=-1", w.auth()), "min_cost"));
  EXPECT_TRUE(has_error_path(w.api.get("/api/executions?max_cost=lots", w.auth()), "max_cost"));
  EXPECT_TRUE(has_error_path(w.api.get("/api/executions?sort=random", w.auth()), "sort"));
  EXPECT_TRUE(has_error_path(w.api.get("/api/executions?q=" + std::string(201, 'x'), w.auth()), "q"));
  // The limit counts characters, not bytes: 200 Korean syllables (600 bytes) are a valid search.
  std::string korean;
  for (int i = 0; i < 200; ++i) korean += "%EA%B0%80";
  auto long_search = w.api.get("/api/executions?q=" + korean, w.auth());
  EXPECT_EQ(long_search.status, 200) << long_search.body;
  EXPECT_TRUE(long_search.json().at("items").as_array().empty());
}

TEST(SeedHistory, AnalyticsOverviewAddsUpTheRunsOfTheWindow) {
  SeededWorld w;
  auto everything = w.all("");
  auto r = w.api.get("/api/analytics/overview?bucket=hour&from=2000-01-01T00:00:00Z&to=2000-01-03T00:00:00Z", w.auth());
  auto empty = expect_status(r, 200, "empty window").json();
  EXPECT_EQ(empty.at("executions"), 0);
  EXPECT_TRUE(empty.at("success_rate").is_null());
  EXPECT_EQ(empty.at("series").as_array().size(), 48u);
  EXPECT_EQ(empty.at("total_crews"), 3);

  auto o = expect_status(w.api.get("/api/analytics/overview", w.auth()), 200, "overview").json();  // 30 days by day
  ASSERT_EQ(o.at("series").as_array().size(), 30u);
  std::int64_t completed = 0, failed = 0, tokens = 0;
  double cost = 0;
  for (const auto& e : everything) {
    completed += str(e, "status") == "completed";
    failed += str(e, "status") == "failed";
    tokens += e.at("total_tokens").to_number<std::int64_t>();
    if (!e.at("total_cost").is_null()) cost += e.at("total_cost").to_number<double>();
  }
  EXPECT_EQ(o.at("executions"), 300);
  EXPECT_EQ(o.at("completed").to_number<std::int64_t>(), completed);
  EXPECT_EQ(o.at("failed").to_number<std::int64_t>(), failed);
  EXPECT_EQ(o.at("total_tokens").to_number<std::int64_t>(), tokens);
  EXPECT_NEAR(o.at("total_cost").to_number<double>(), cost, 1e-6);
  EXPECT_NEAR(o.at("success_rate").to_number<double>(), double(completed) / double(completed + failed), 1e-9);
  EXPECT_EQ(o.at("active_executions"), 0);
  // The buckets hold every run once: the seeded three days are the last buckets.
  std::int64_t in_series = 0, busy_buckets = 0;
  for (const auto& b : o.at("series").as_array()) {
    in_series += b.at("executions").to_number<std::int64_t>();
    busy_buckets += b.at("executions").to_number<std::int64_t>() > 0;
  }
  EXPECT_EQ(in_series, 300);
  EXPECT_GE(busy_buckets, 3);
  EXPECT_LE(busy_buckets, 4);
  EXPECT_EQ(o.at("series").as_array().back().at("executions").to_number<std::int64_t>() > 0, true);

  EXPECT_TRUE(has_error_path(w.api.get("/api/analytics/overview?bucket=week", w.auth()), "bucket"));
  EXPECT_TRUE(has_error_path(w.api.get("/api/analytics/overview?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", w.auth()), "from"));
  EXPECT_TRUE(has_error_path(w.api.get("/api/analytics/overview?bucket=hour&from=2020-01-01T00:00:00Z", w.auth()), "from"));
}

TEST(SeedHistory, RefusesWithoutAnyUser) {
  ServerProcess server(ServerOptions::with_args({"--workers", "0"}));
  auto r = aop_on(server, {"seed", "--executions", "5"});
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_NE(r.stderr_text.find("no user yet"), std::string::npos) << r.describe();
}

}  // namespace
}  // namespace aop::test
