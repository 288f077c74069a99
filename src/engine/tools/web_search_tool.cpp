#include "engine/tools/web_search_tool.hpp"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include "engine/tools/html_text.hpp"
#include "engine/tools/tool_text.hpp"

namespace aop::engine::tools {

namespace json = boost::json;

namespace {

constexpr int k_default_results = 5;
constexpr int k_max_results = 20;         // the API's limit for count
constexpr std::size_t k_max_query = 400;  // the API's limit for q

ToolResult failure(std::string message) { return {std::move(message), true}; }

// Snippets carry <strong> marks and entities; a model wants the words.
std::string plain(const json::value* v) {
  if (!v || !v->is_string()) return {};
  return valid_utf8(html_to_text(v->get_string()).text);
}

std::string format_results(const json::value& answer, const std::string& query) {
  const json::array* results = nullptr;
  if (const auto* top = answer.if_object())
    if (const auto* web = top->if_contains("web"); web && web->is_object())
      if (const auto* list = web->get_object().if_contains("results"); list && list->is_array())
        results = &list->get_array();
  std::string out;
  int n = 0;
  if (results) {
    for (const auto& item : *results) {
      const auto* entry = item.if_object();
      if (!entry) continue;
      std::string title = plain(entry->if_contains("title"));
      const auto* link = entry->if_contains("url");
      std::string url = link && link->is_string() ? valid_utf8(link->get_string()) : std::string();
      std::string snippet = plain(entry->if_contains("description"));
      if (url.empty()) continue;
      if (n++ > 0) out += "\n";
      out += std::to_string(n) + ". " + (title.empty() ? url : title) + " — " + url + "\n";
      if (!snippet.empty()) out += "  " + snippet + "\n";
    }
  }
  if (n == 0) return "No results for \"" + query + "\".";
  out.pop_back();  // the last line's end
  return out;
}

}  // namespace

WebSearchTool::WebSearchTool(std::shared_ptr<HttpFetcher> fetcher, WebSearchOptions options)
    : fetcher_(std::move(fetcher)), options_(std::move(options)) {
  if (options_.url.empty()) options_.url = k_default_search_url;
  parameters_ = {{"type", "object"},
                 {"properties",
                  {{"query", {{"type", "string"}, {"description", "What to search for"}, {"maxLength", k_max_query}}},
                   {"max_results",
                    {{"type", "integer"},
                     {"minimum", 1},
                     {"maximum", k_max_results},
                     {"description", "How many results to return (default 5)"}}}}},
                 {"required", {"query"}}};
}

std::string_view WebSearchTool::description() const {
  return "Searches the web and returns the top results as numbered lines: title, URL and a short snippet. Use "
         "web_fetch on a result's URL to read the page.";
}

boost::asio::awaitable<ToolResult> WebSearchTool::invoke(const json::object& arguments, const ToolContext& context) {
  if (options_.api_key.empty())
    co_return failure(
        "web_search needs a search API key: set AOP_SEARCH_API_KEY (or BRAVE_API_KEY) to a Brave Search API key "
        "where AOP runs");
  const auto* query = string_argument(arguments, "query");
  if (!query || query->empty()) co_return failure("web_search needs {\"query\": \"...\"}");
  if (query->size() > k_max_query)
    co_return failure("the query is too long (" + std::to_string(query->size()) + " characters; at most " +
                      std::to_string(k_max_query) + ")");
  int count = k_default_results;
  if (const auto* max = arguments.if_contains("max_results"); max && !max->is_null()) {
    if (!max->is_int64() && !max->is_uint64()) co_return failure("\"max_results\" must be a whole number from 1 to 20");
    auto wanted = max->is_int64() ? max->get_int64()
                                  : static_cast<std::int64_t>(std::min<std::uint64_t>(max->get_uint64(), 1000));
    count = static_cast<int>(std::clamp<std::int64_t>(wanted, 1, k_max_results));
  }

  auto base = boost::urls::parse_uri(options_.url);
  if (!base) co_return failure("the configured search URL \"" + options_.url + "\" is not a valid URL");
  boost::urls::url url(*base);
  url.params().set("q", std::string(*query));
  url.params().set("count", std::to_string(count));

  FetchRequest request;
  request.url = std::string(url.buffer());
  request.headers = {{"Accept", "application/json"}, {"X-Subscription-Token", options_.api_key}};
  FetchLimits limits;
  limits.check_addresses = false;  // an administrator chose this endpoint
  limits.max_body_bytes = options_.max_response_bytes;
  limits.max_redirects = 0;
  auto result = co_await fetcher_->fetch(request, limits, context);
  if (!result.response) co_return failure("web_search could not reach the search API: " + result.error);
  const auto& response = *result.response;
  if (response.status != 200) {
    std::string detail = valid_utf8(utf8_prefix(response.body, 300));
    std::string hint = response.status == 401 || response.status == 403 ? " (is the API key right?)"
                       : response.status == 429                         ? " (rate limited; try again later)"
                                                                        : "";
    co_return failure("the search API answered HTTP " + std::to_string(response.status) + hint +
                      (detail.empty() ? "" : ": " + detail));
  }
  boost::system::error_code ec;
  auto answer = json::parse(response.body, ec);
  if (ec) co_return failure("the search API's answer is not JSON (" + ec.message() + ")");
  co_return ToolResult{format_results(answer, std::string(*query)), false};
}

}  // namespace aop::engine::tools
