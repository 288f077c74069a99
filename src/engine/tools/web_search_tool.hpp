#pragma once
// web_search: {query, max_results?} through the Brave Search API
// (GET <url>?q=...&count=N with the X-Subscription-Token header). The endpoint and key are
// an administrator's configuration, so the endpoint is not subject to the private-address
// policy. Without a key every call is an error that says how to set one.
#include <memory>
#include <string>

#include "engine/tools/http_fetch.hpp"

namespace aop::engine::tools {

constexpr std::string_view k_default_search_url = "https://api.search.brave.com/res/v1/web/search";

struct WebSearchOptions {
  std::string api_key;
  std::string url{k_default_search_url};
  std::size_t max_response_bytes = 2 * 1024 * 1024;
};

class WebSearchTool final : public Tool {
 public:
  WebSearchTool(std::shared_ptr<HttpFetcher> fetcher, WebSearchOptions options);
  std::string_view name() const override { return "web_search"; }
  std::string_view description() const override;
  const boost::json::object& parameters() const override { return parameters_; }
  boost::asio::awaitable<ToolResult> invoke(const boost::json::object& arguments, const ToolContext& context) override;

 private:
  std::shared_ptr<HttpFetcher> fetcher_;
  WebSearchOptions options_;
  boost::json::object parameters_;
};

}  // namespace aop::engine::tools
