// Export a crew as YAML, JSON or a CrewAI project's two files; import any of those back.
#include <cctype>
#include <charconv>

#include <boost/json.hpp>

#include "api/crew_common.hpp"
#include "api/crew_json.hpp"
#include "api/crew_routes.hpp"
#include "app/services.hpp"
#include "core/clock.hpp"
#include "core/problem.hpp"
#include "crews/crew_document.hpp"
#include "crews/crew_service.hpp"
#include "crews/crew_writer.hpp"
#include "http/router.hpp"

namespace aop::api {

namespace asio = boost::asio;
namespace json = boost::json;
using core::Problem;
using http::Reply;
using http::RequestContext;

namespace {

// "Research & Write crew" -> "research-write-crew": a safe download file name.
std::string file_stem(const std::string& name) {
  std::string out;
  for (unsigned char ch : name) {
    if (std::isalnum(ch)) out += static_cast<char>(std::tolower(ch));
    else if (!out.empty() && out.back() != '-') out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "crew" : out.substr(0, 80);
}

struct ExportSource {
  std::string config;
  std::optional<std::string> source_yaml;
  std::int64_t version = 0;
};

}  // namespace

void register_crew_transfer_routes(http::Router& router, app::Services& services) {
  // ---- GET /api/crews/{id}/export ---------------------------------------------------------
  router.add("GET", "/api/crews/{id}/export", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    auto format = ctx.query_param("format").value_or("yaml");
    if (format != "yaml" && format != "json" && format != "crewai")
      throw Problem::bad_request("format must be yaml, json or crewai.", {{"format", "must be yaml, json or crewai"}});
    std::optional<std::int64_t> version;
    if (auto text = ctx.query_param("version")) {
      std::int64_t n = 0;
      auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
      if (ec != std::errc() || ptr != text->data() + text->size() || n < 1)
        throw Problem::bad_request("version must be a version number.", {{"version", "must be a positive integer"}});
      version = n;
    }
    auto source = co_await services.db.read([&](store::Connection& c) {
      auto crew = require_crew(c, ctx);
      if (!version || *version == crew.version) return ExportSource{crew.config, crew.source_yaml, crew.version};
      auto old = crews::find_version(c, crew.id, *version);
      if (!old) throw Problem::not_found("No version " + std::to_string(*version) + " of crew " + crew.id + ".");
      return ExportSource{old->config, old->source_yaml, old->version};
    });
    auto spec = crews::load_stored(source.config);
    auto stem = file_stem(spec.name);
    Reply reply;
    if (format == "yaml") {
      // The YAML the author wrote (comments and all) when it is still what the config says.
      reply = http::text_reply(200, source.source_yaml ? *source.source_yaml : crews::to_yaml(spec),
                               "application/yaml; charset=utf-8");
      reply.response.set("Content-Disposition", "attachment; filename=\"" + stem + ".yaml\"");
    } else if (format == "json") {
      reply = http::json_reply(200, crews::to_json(spec));
      reply.response.set("Content-Disposition", "attachment; filename=\"" + stem + ".json\"");
    } else {
      auto pair = crews::to_crewai(spec);
      json::array not_exported;
      for (const auto& path : pair.not_exported) not_exported.emplace_back(path);
      reply = http::json_reply(200, {{"name", spec.name},
                                     {"agents_yaml", pair.agents_yaml},
                                     {"tasks_yaml", pair.tasks_yaml},
                                     {"not_exported", std::move(not_exported)}});
    }
    reply.response.set("X-Crew-Version", std::to_string(source.version));
    co_return reply;
  }, {.summary = "Export a crew as YAML, JSON or a CrewAI agents.yaml + tasks.yaml pair", .policy = "crews:read"});

  // ---- POST /api/crews/import -------------------------------------------------------------
  router.add("POST", "/api/crews/import", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    auto body = co_await read_crew_body_async(services, ctx, CrewBodyUse::import);
    // What a user can fix in the editor is saved as a draft with its findings; only a document
    // that cannot be read at all is refused.
    require_readable(body);
    auto now = services.clock.now_ms();
    auto [version, doc] = co_await services.db.write([&](store::Connection& c) {
      auto created = crews::create_crew(c, ctx.team_id, *body.parsed.spec, body.source_yaml,
                                        {author_of(ctx), body.message.empty() ? "Imported" : body.message}, now);
      audit_crew(c, ctx, "crew.import", created, now);
      return std::pair{created.version, crew_with_validation(c, created, &body)};
    });
    co_return crew_reply(201, std::move(doc), version);
  }, {.max_body_bytes = k_max_crew_body_bytes,
      .summary = "Import a crew document (YAML or JSON) or a CrewAI project's agents.yaml + tasks.yaml as a draft",
      .policy = "crews:write"});
}

}  // namespace aop::api
