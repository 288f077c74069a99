#include "engine/tools/web_fetch_tool.hpp"

#include <boost/json.hpp>

#include "engine/tools/content_type.hpp"
#include "engine/tools/html_text.hpp"
#include "engine/tools/tool_text.hpp"

namespace aop::engine::tools {

namespace json = boost::json;

WebFetchTool::WebFetchTool(std::shared_ptr<HttpFetcher> fetcher, FetchLimits limits)
    : fetcher_(std::move(fetcher)), limits_(std::move(limits)) {
  parameters_ = {{"type", "object"},
                 {"properties", {{"url", {{"type", "string"}, {"description", "Absolute http or https URL"}}}}},
                 {"required", {"url"}}};
}

std::string_view WebFetchTool::description() const {
  return "Fetches a web page and returns its title and readable text (no markup, scripts or styles). Plain text "
         "and JSON are returned as they are; images and other binary files are not read.";
}

boost::asio::awaitable<ToolResult> WebFetchTool::invoke(const json::object& arguments, const ToolContext& context) {
  const auto* url = string_argument(arguments, "url");
  if (!url) co_return ToolResult{"web_fetch needs {\"url\": \"https://...\"}", true};
  FetchRequest request;
  request.url = std::string(*url);
  request.headers = {{"Accept", "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5"}};
  auto result = co_await fetcher_->fetch(request, limits_, context);
  if (!result.response) co_return ToolResult{result.error, true};
  const auto& response = *result.response;

  std::string type = response.header("content-type");
  auto kind = content_kind(type, response.body);
  std::string text;
  std::string title;
  bool too_deep = false;
  if (kind == ContentKind::binary) {
    co_return ToolResult{response.url + " is " + (type.empty() ? std::string("binary data") : media_type(type)) +
                             " (binary, " + byte_size_text(response.body.size()) +
                             (response.truncated ? " or more" : "") + "); web_fetch reads web pages and text only",
                         true};
  }
  if (kind == ContentKind::html) {
    auto page = html_to_text(response.body, charset_of(type));
    text = valid_utf8(page.text);
    title = valid_utf8(page.title);
    too_deep = page.cut;
  } else {
    text = valid_utf8(response.body);
  }
  if (response.status >= 400) {
    co_return ToolResult{response.url + " answered HTTP " + std::to_string(response.status) + " " + response.reason +
                             (text.empty() ? "" : ":\n" + std::string(utf8_prefix(text, 2000))),
                         true};
  }

  std::string out;
  if (!title.empty()) out += "Title: " + title + "\n";
  out += "URL: " + response.url + "\n\n";
  out += text.empty() ? "(the page has no readable text)" : text;
  if (response.truncated)
    out +=
        "\n[cut: the page is longer than " + byte_size_text(limits_.max_body_bytes) + "; only its beginning was read]";
  if (too_deep) out += "\n[cut: the page is nested too deeply to read further]";
  co_return ToolResult{std::move(out), false};
}

}  // namespace aop::engine::tools
