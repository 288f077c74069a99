#pragma once
// web_fetch: {url} -> the page as readable text (title, URL, text). HTML is turned into
// text (html_text.hpp); other text types come back as they are; binary types are refused.
#include <memory>

#include "engine/tools/http_fetch.hpp"

namespace aop::engine::tools {

class WebFetchTool final : public Tool {
 public:
  WebFetchTool(std::shared_ptr<HttpFetcher> fetcher, FetchLimits limits);
  std::string_view name() const override { return "web_fetch"; }
  std::string_view description() const override;
  const boost::json::object& parameters() const override { return parameters_; }
  boost::asio::awaitable<ToolResult> invoke(const boost::json::object& arguments, const ToolContext& context) override;

 private:
  std::shared_ptr<HttpFetcher> fetcher_;
  FetchLimits limits_;
  boost::json::object parameters_;
};

}  // namespace aop::engine::tools
