#pragma once
// http_request: {method?, url, headers?, body?} -> "HTTP <status> <reason>", the headers a
// model may need, a blank line and the body (cut at the response cap). A 4xx or 5xx answer
// is a result the model should read, not a tool error; only network and policy failures
// are errors.
#include <memory>

#include "engine/tools/http_fetch.hpp"

namespace aop::engine::tools {

class HttpRequestTool final : public Tool {
 public:
  HttpRequestTool(std::shared_ptr<HttpFetcher> fetcher, FetchLimits limits);
  std::string_view name() const override { return "http_request"; }
  std::string_view description() const override;
  const boost::json::object& parameters() const override { return parameters_; }
  boost::asio::awaitable<ToolResult> invoke(const boost::json::object& arguments, const ToolContext& context) override;

 private:
  std::shared_ptr<HttpFetcher> fetcher_;
  FetchLimits limits_;
  boost::json::object parameters_;
};

// The observation for a response: status line, selected headers, body.
std::string describe_response(const FetchResponse& response, bool head_request, std::size_t max_body_bytes);

}  // namespace aop::engine::tools
