#include "api/crew_common.hpp"

#include "api/crew_json.hpp"
#include "crews/crew_document.hpp"

#include <boost/json.hpp>

#include "app/services.hpp"
#include "auth/audit.hpp"
#include "core/blocking_pool.hpp"
#include "core/problem.hpp"
#include "crews/llm_provider_store.hpp"

namespace aop::api {

using core::Problem;

namespace {
// Below this a parse takes well under a millisecond; above it, it goes to the blocking pool.
constexpr std::size_t k_inline_parse_bytes = 64 * 1024;
}  // namespace

crews::CrewRecord require_crew(store::Connection& c, const http::RequestContext& ctx, bool for_change) {
  std::string id(ctx.param("id"));
  auto crew = crews::find_crew(c, ctx.team_id, id, for_change);
  if (!crew) throw Problem::not_found("No crew " + id + ".");
  return std::move(*crew);
}

boost::asio::awaitable<CrewBody> read_crew_body_async(app::Services& services, const http::RequestContext& ctx,
                                                      CrewBodyUse use) {
  if (ctx.request.body().size() <= k_inline_parse_bytes) co_return read_crew_body(ctx, use);
  co_return co_await services.blocking.run([&] { return read_crew_body(ctx, use); });
}

crews::ValidationOptions validation_options(store::Connection& c, const std::string& team_id) {
  crews::ValidationOptions options;
  for (auto& name : crews::llm_provider_names(c, team_id)) options.extra_providers.insert(std::move(name));
  return options;
}

crews::ValidationResult check_spec(const crews::CrewSpec& spec, const crews::ValidationOptions& options,
                                   const crews::Diagnostics& parse_warnings) {
  auto result = crews::validate(spec, options);
  result.warnings.insert(result.warnings.begin(), parse_warnings.begin(), parse_warnings.end());
  return result;
}

boost::json::object crew_with_validation(store::Connection& c, const crews::CrewRecord& crew, const CrewBody* body) {
  crews::ValidationResult checked;
  auto options = validation_options(c, crew.team_id);
  if (body && body->has_document && body->parsed.spec) {
    checked = check_spec(*body->parsed.spec, options, body->parsed.warnings);
  } else {
    // The stored JSON is our own serialization: its positions mean nothing to the user.
    auto parsed = crews::parse_crew(crew.config, crews::Format::json);
    if (!parsed.spec) throw std::runtime_error("stored config of crew " + crew.id + " does not parse");
    parsed.spec->locations.clear();
    for (auto& w : parsed.warnings) w.location.reset();
    checked = check_spec(*parsed.spec, options, parsed.warnings);
  }
  auto out = crew_json(crew);
  out["validation"] = validation_json(checked.errors, checked.warnings);
  return out;
}

void check_version(const crews::CrewRecord& crew, std::optional<std::int64_t> expected) {
  if (!expected || *expected == crew.version) return;
  throw Problem::conflict("This edit is based on version " + std::to_string(*expected) + " of the crew, but it is at " +
                          "version " + std::to_string(crew.version) +
                          " now. Reload it, reapply your change and save again.")
      .with_header("ETag", "\"" + std::to_string(crew.version) + "\"");
}

void audit_crew(store::Connection& c, const http::RequestContext& ctx, const std::string& action,
                const crews::CrewRecord& crew, std::int64_t now_ms) {
  auto entry = auth::audit_by(ctx.principal.get(), action, ctx.remote_address);
  entry.team_id = crew.team_id;
  entry.target_type = "crew";
  entry.target_id = crew.id;
  entry.details = {{"name", crew.name}, {"version", crew.version}};
  auth::record_audit(c, std::move(entry), now_ms);
}

std::optional<std::string> author_of(const http::RequestContext& ctx) {
  if (!ctx.principal || ctx.principal->user_id.empty()) return std::nullopt;
  return ctx.principal->user_id;
}

}  // namespace aop::api
