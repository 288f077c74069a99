#pragma once
// Helpers the crew endpoint files share: loading the crew a path names, parsing bodies off
// the I/O thread when they are large, checking a document, auditing a change.
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "api/crew_body.hpp"
#include "core/problem.hpp"
#include "crews/crew_spec.hpp"
#include "crews/crew_store.hpp"
#include "crews/crew_validator.hpp"
#include "http/types.hpp"
#include "store/database.hpp"

namespace aop::app {
struct Services;
}

namespace aop::api {

// The crew {id} of the active team; 404 when it does not exist there (never leaks other teams').
// `for_change`: the caller is about to change it in this write transaction (locks the row).
crews::CrewRecord require_crew(store::Connection& c, const http::RequestContext& ctx, bool for_change = false);

// services.db.write(fn) for changes to an existing crew: a concurrent change that beat this
// one (crews::CrewChanged) becomes 409, like a stale If-Match.
template <class F>
boost::asio::awaitable<std::invoke_result_t<F, store::Connection&>> write_crew(store::Database& db, F fn) {
  try {
    co_return co_await db.write(std::move(fn));
  } catch (const crews::CrewChanged&) {
  }
  throw core::Problem::conflict("The crew was changed by someone else at the same time. Reload it and try again.");
}

// read_crew_body, run on the blocking pool for large bodies so parsing never stalls an I/O thread.
boost::asio::awaitable<CrewBody> read_crew_body_async(app::Services& services, const http::RequestContext& ctx,
                                                      CrewBodyUse use);

// What the validator accepts in this team: the builtin tools, and as model providers the
// built-in ones plus the names of the team's LLM connections (`<connection>/<model>`).
crews::ValidationOptions validation_options(store::Connection& c, const std::string& team_id);

// Parse warnings of the document plus the validator's findings.
crews::ValidationResult check_spec(const crews::CrewSpec& spec, const crews::ValidationOptions& options,
                                   const crews::Diagnostics& parse_warnings = {});

// The crew plus the findings on its document: what the editor shows after a save. With the
// body the document came in, positions refer to the text the user sent. Blocking (reads the
// team's connections): call inside Database::read/write.
boost::json::object crew_with_validation(store::Connection& c, const crews::CrewRecord& crew,
                                         const CrewBody* body = nullptr);

// 409 unless `expected` is absent or the crew's current version.
void check_version(const crews::CrewRecord& crew, std::optional<std::int64_t> expected);

// Records `action` on the crew in the audit log (inside the caller's transaction).
void audit_crew(store::Connection& c, const http::RequestContext& ctx, const std::string& action,
                const crews::CrewRecord& crew, std::int64_t now_ms);

// The principal's user id (nullopt for API keys acting without a user).
std::optional<std::string> author_of(const http::RequestContext& ctx);

}  // namespace aop::api
