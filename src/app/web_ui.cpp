#include "app/web_ui.hpp"

#include "core/problem.hpp"

namespace aop::app {

namespace {
constexpr const char* k_not_built = R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>AOP</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>AOP is running</h1>
<p>The API is up, but the web UI has not been built into <code>web/dist</code>.
Run <code>make run</code> from the repository, or set <code>AOP_WEB_DIR</code>.</p>
<p>API reference: <a href="/api/docs">/api/docs</a> · health: <a href="/healthz">/healthz</a></p>
</body></html>
)";
}  // namespace

http::Handler web_ui_handler(const http::StaticFiles& files) {
  return [&files](http::RequestContext& ctx) -> boost::asio::awaitable<http::Reply> {
    std::string rel = ctx.path.size() > 1 ? ctx.path.substr(1) : "index.html";
    if (rel.find("..") != std::string::npos) throw core::Problem::not_found();
    if (files.empty() && (rel == "index.html" || rel.find('.') == std::string::npos))
      co_return http::text_reply(200, k_not_built, "text/html; charset=utf-8");
    if (auto reply = files.serve(rel, ctx.request)) co_return std::move(*reply);
    // Client-side routes (no file extension in the last segment) get the app shell.
    auto last = rel.substr(rel.find_last_of('/') == std::string::npos ? 0 : rel.find_last_of('/') + 1);
    if (last.find('.') == std::string::npos) {
      if (auto reply = files.serve("index.html", ctx.request)) co_return std::move(*reply);
    }
    throw core::Problem::not_found("No file " + ctx.path + " in the web UI.");
  };
}

}  // namespace aop::app
