#include "engine/tools/web_search_tool.hpp"

#include <gtest/gtest.h>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "../engine_test_support.hpp"
#include "local_http_server.hpp"
#include "tool_test_support.hpp"

namespace aop::test {
namespace {

using engine::tools::HttpFetcher;
using engine::tools::WebSearchOptions;
using engine::tools::WebSearchTool;
namespace json = boost::json;

constexpr std::string_view k_brave_answer = R"({
  "type": "search",
  "query": {"original": "best espresso"},
  "web": {"type": "search", "results": [
    {"title": "How to pull the <strong>best espresso</strong>", "url": "https://coffee.example/espresso",
     "description": "A guide to <strong>espresso</strong> &amp; grinders.", "language": "en"},
    {"title": "Espresso - Wikipedia", "url": "https://en.wikipedia.org/wiki/Espresso",
     "description": "Espresso is a concentrated form of coffee."},
    {"title": "No description", "url": "https://third.example/"}
  ]}
})";

// A fake Brave Search endpoint: answers per the key it is given.
LocalHttpServer fake_brave() {
  return LocalHttpServer([](const SeenRequest& r) {
    if (r.header("x-subscription-token") == "bad-key")
      return Answer{401, R"({"error": "unauthorized"})", "application/json"};
    if (r.header("x-subscription-token") == "busy-key") return Answer{429, "rate limited", "text/plain"};
    if (r.header("x-subscription-token") == "junk-key") return Answer{200, "<html>oops</html>", "text/html"};
    if (r.target.find("q=nothing") != std::string::npos)
      return Answer{200, R"({"type": "search", "web": {"results": []}})", "application/json"};
    return Answer{200, std::string(k_brave_answer), "application/json"};
  });
}

WebSearchTool search_tool(const LocalHttpServer& server, std::string key) {
  WebSearchOptions options;
  options.api_key = std::move(key);
  options.url = server.url("/res/v1/web/search");
  return WebSearchTool(std::make_shared<HttpFetcher>(), options);
}

engine::tools::ToolResult search(WebSearchTool& tool, json::object arguments) {
  return run_to_completion(tool.invoke(arguments, tool_context()));
}

TEST(WebSearch, SendsTheQueryAndKeyAndFormatsTheResults) {
  auto server = fake_brave();
  // The endpoint is on 127.0.0.1: an administrator's URL is not subject to the address policy.
  auto tool = search_tool(server, "test-key");
  auto r = search(tool, {{"query", "best espresso & grinders"}, {"max_results", 3}});
  EXPECT_FALSE(r.is_error) << r.output;
  EXPECT_EQ(r.output,
            "1. How to pull the best espresso \u2014 https://coffee.example/espresso\n"
            "  A guide to espresso & grinders.\n"
            "\n"
            "2. Espresso - Wikipedia \u2014 https://en.wikipedia.org/wiki/Espresso\n"
            "  Espresso is a concentrated form of coffee.\n"
            "\n"
            "3. No description \u2014 https://third.example/");

  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].header("x-subscription-token"), "test-key");
  EXPECT_EQ(seen[0].header("accept"), "application/json");
  auto target = boost::urls::parse_origin_form(seen[0].target);
  ASSERT_TRUE(target);
  EXPECT_EQ(target->path(), "/res/v1/web/search");
  auto params = target->params();
  ASSERT_NE(params.find("q"), params.end());
  EXPECT_EQ((*params.find("q")).value, "best espresso & grinders");
  EXPECT_EQ((*params.find("count")).value, "3");
}

TEST(WebSearch, DefaultsAndBoundsTheResultCount) {
  auto server = fake_brave();
  auto tool = search_tool(server, "test-key");
  search(tool, {{"query", "a"}});
  search(tool, {{"query", "b"}, {"max_results", 500}});
  search(tool, {{"query", "c"}, {"max_results", 0}});
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_NE(seen[0].target.find("count=5"), std::string::npos) << seen[0].target;
  EXPECT_NE(seen[1].target.find("count=20"), std::string::npos) << seen[1].target;
  EXPECT_NE(seen[2].target.find("count=1"), std::string::npos) << seen[2].target;
  EXPECT_EQ(search(tool, {{"query", "nothing"}}).output, "No results for \"nothing\".");
}

TEST(WebSearch, WithoutAKeyItSaysHowToConfigureOne) {
  auto server = fake_brave();
  auto tool = search_tool(server, "");
  auto r = search(tool, {{"query", "anything"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(r.output.starts_with("web_search needs a search API key: set AOP_SEARCH_API_KEY")) << r.output;
  EXPECT_TRUE(server.requests().empty());
}

TEST(WebSearch, ApiFailuresAreErrors) {
  auto server = fake_brave();
  auto unauthorized = search_tool(server, "bad-key");
  auto r = search(unauthorized, {{"query", "x"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_EQ(r.output, R"(the search API answered HTTP 401 (is the API key right?): {"error": "unauthorized"})");
  auto busy = search_tool(server, "busy-key");
  EXPECT_EQ(search(busy, {{"query", "x"}}).output,
            "the search API answered HTTP 429 (rate limited; try again later): rate limited");
  auto junk = search_tool(server, "junk-key");
  auto not_json = search(junk, {{"query", "x"}});
  EXPECT_TRUE(not_json.is_error);
  EXPECT_TRUE(not_json.output.starts_with("the search API's answer is not JSON")) << not_json.output;

  auto good = search_tool(server, "test-key");
  EXPECT_TRUE(search(good, {}).is_error);
  EXPECT_TRUE(search(good, {{"query", std::string(401, 'q')}}).is_error);
  EXPECT_TRUE(search(good, {{"query", "x"}, {"max_results", "ten"}}).is_error);

  std::uint16_t closed_port;
  {
    auto gone = fake_brave();
    closed_port = gone.port();
  }
  WebSearchOptions options{"test-key", "http://127.0.0.1:" + std::to_string(closed_port) + "/search"};
  WebSearchTool unreachable(std::make_shared<HttpFetcher>(), options);
  auto down = search(unreachable, {{"query", "x"}});
  EXPECT_TRUE(down.is_error);
  EXPECT_TRUE(down.output.starts_with("web_search could not reach the search API: cannot connect")) << down.output;
}

}  // namespace
}  // namespace aop::test
