#pragma once
// The builtin tools a crew can name: http_request, web_fetch, file_read, file_write,
// calculator, web_search. One shared instance of each, made from the options.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/run_context.hpp"
#include "engine/tools/tool.hpp"

namespace aop::engine::tools {

struct BuiltinToolOptions {
  bool allow_private_networks = false;               // http_request and web_fetch may reach private addresses
  std::vector<std::string> allowed_hosts;            // ... or just these hosts
  std::string search_api_key;                        // Brave Search API key; web_search explains when it is missing
  std::string search_url;                            // empty: the Brave Search API
  std::size_t max_response_bytes = 2 * 1024 * 1024;  // response bodies are cut here
  std::string extra_ca_file;                         // PEM CA certificates trusted besides the system store
};

class BuiltinTools final : public ToolSource {
 public:
  explicit BuiltinTools(BuiltinToolOptions options = {});
  std::shared_ptr<Tool> tool(std::string_view name) override;  // nullptr for other names

  // The names, in a stable order (must match crews::builtin_tool_names()).
  static std::vector<std::string> names();

 private:
  std::map<std::string, std::shared_ptr<Tool>, std::less<>> tools_;
};

}  // namespace aop::engine::tools
