#include "engine/tools/builtin_tools.hpp"

#include "engine/tools/calculator.hpp"
#include "engine/tools/file_tools.hpp"
#include "engine/tools/http_fetch.hpp"
#include "engine/tools/http_request_tool.hpp"
#include "engine/tools/web_fetch_tool.hpp"
#include "engine/tools/web_search_tool.hpp"

namespace aop::engine::tools {

BuiltinTools::BuiltinTools(BuiltinToolOptions options) {
  auto fetcher = std::make_shared<HttpFetcher>(options.extra_ca_file);
  FetchLimits limits;
  limits.policy = {options.allow_private_networks, options.allowed_hosts};
  limits.max_body_bytes = options.max_response_bytes;
  std::vector<std::shared_ptr<Tool>> all = {
      std::make_shared<HttpRequestTool>(fetcher, limits),
      std::make_shared<WebFetchTool>(fetcher, limits),
      std::make_shared<FileReadTool>(),
      std::make_shared<FileWriteTool>(),
      std::make_shared<CalculatorTool>(),
      std::make_shared<WebSearchTool>(fetcher,
                                      WebSearchOptions{std::move(options.search_api_key), std::move(options.search_url),
                                                       options.max_response_bytes}),
  };
  for (auto& t : all) tools_.emplace(std::string(t->name()), std::move(t));
}

std::shared_ptr<Tool> BuiltinTools::tool(std::string_view name) {
  auto it = tools_.find(name);
  return it == tools_.end() ? nullptr : it->second;
}

std::vector<std::string> BuiltinTools::names() {
  return {"http_request", "web_fetch", "file_read", "file_write", "calculator", "web_search"};
}

}  // namespace aop::engine::tools
