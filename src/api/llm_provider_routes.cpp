#include "api/llm_provider_routes.hpp"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>

#include "api/body_reader.hpp"
#include "app/services.hpp"
#include "auth/audit.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/problem.hpp"
#include "crews/llm_provider_store.hpp"
#include "crews/secret_store.hpp"
#include "engine/llm/pricing.hpp"
#include "http/router.hpp"
#include "store/database.hpp"

namespace aop::api {

namespace asio = boost::asio;
namespace json = boost::json;
using core::Problem;
using http::Reply;
using http::RequestContext;

namespace {

constexpr std::size_t k_max_name = 100;
constexpr std::size_t k_max_model = 200;
constexpr std::size_t k_max_models = 500;
constexpr std::size_t k_max_prices = 500;
constexpr std::size_t k_max_url = 2000;
constexpr std::size_t k_max_api_key_bytes = 8 * 1024;
constexpr int k_write_attempts = 2;  // a lost insert race on PostgreSQL is retried once
const std::vector<std::string> k_providers = {"openai", "anthropic", "ollama", "openai_compatible"};

json::value nullable(const std::optional<std::string>& s) {
  if (!s) return nullptr;
  return json::string(*s);
}

// Never the key: only whether there is one.
json::object provider_json(const crews::LlmProvider& p) {
  json::array models;
  for (const auto& m : p.models) models.emplace_back(m);
  return {{"id", p.id},
          {"name", p.name},
          {"provider", p.provider},
          {"base_url", nullable(p.base_url)},
          {"default_model", nullable(p.default_model)},
          {"models", std::move(models)},
          {"is_enabled", p.is_enabled},
          {"pricing", p.pricing},
          {"has_api_key", p.api_key_secret_id.has_value()},
          {"created_at", timestamp(p.created_at)},
          {"updated_at", timestamp(p.updated_at)}};
}

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

bool has_control_characters(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

// An absolute http(s) URL with a host, no credentials and no fragment. Messages do not repeat
// the URL: someone may have pasted a token into it.
std::optional<std::string> url_problem(std::string_view text) {
  if (count_characters(text) > k_max_url) return "must be at most " + std::to_string(k_max_url) + " characters";
  auto url = boost::urls::parse_absolute_uri(text);
  if (!url) return "must be an absolute http:// or https:// URL";
  if (url->scheme() != "http" && url->scheme() != "https") return "must use http or https";
  if (!url->has_authority() || url->host().empty()) return "must name a host";
  if (url->has_userinfo()) return "must not contain a user name or password; put the key in api_key";
  if (url->has_fragment()) return "must not have a #fragment";
  return std::nullopt;
}

std::optional<std::string> model_problem(std::string_view name) {
  if (name.empty()) return "must not be empty";
  if (count_characters(name) > k_max_model) return "must be at most " + std::to_string(k_max_model) + " characters";
  if (has_control_characters(name) || trim(name).size() != name.size())
    return "must not contain control characters or surrounding spaces";
  return std::nullopt;
}

enum class KeyChange { keep, set, clear };

// The fields a POST or PUT body sets. std::optional<std::optional<T>>: outer = present,
// inner = null (clear).
struct ProviderInput {
  std::optional<std::string> name;
  std::optional<std::string> provider;
  std::optional<std::optional<std::string>> base_url;
  std::optional<std::optional<std::string>> default_model;
  std::optional<std::vector<std::string>> models;
  std::optional<json::object> pricing;
  std::optional<bool> is_enabled;
  KeyChange key_change = KeyChange::keep;
  std::string api_key;
};

// Reads and checks the body's shape. `creating`: name and provider are required and null means
// "none". No message repeats a submitted value.
ProviderInput read_input(const RequestContext& ctx, bool creating) {
  BodyReader body(ctx.json_body());
  body.allow_only({"name", "provider", "base_url", "api_key", "default_model", "models", "pricing", "is_enabled"});
  ProviderInput in;
  auto not_null = [&](std::string_view key) {
    const auto* v = body.raw(key);
    if (v && v->is_null() && !creating) body.error(std::string(key), "must not be null");
  };

  not_null("name");
  if (auto name = body.string("name", creating, 1, k_max_name)) {
    auto trimmed = trim(*name);
    if (trimmed.empty()) body.error("name", "must not be blank");
    else if (has_control_characters(trimmed)) body.error("name", "must not contain control characters");
    else in.name = trimmed;
  }

  not_null("provider");
  if (const auto* v = body.raw("provider"); v && v->is_string()) {
    std::string provider(v->as_string());
    if (std::find(k_providers.begin(), k_providers.end(), provider) == k_providers.end())
      body.error("provider", "must be one of openai, anthropic, ollama, openai_compatible");
    else in.provider = provider;
  } else if (v && !v->is_null()) {
    body.error("provider", "must be one of openai, anthropic, ollama, openai_compatible");
  } else if (creating) {
    body.error("provider", "is required");
  }

  if (const auto* v = body.raw("base_url")) {
    if (v->is_null()) in.base_url = std::optional<std::string>();
    else if (!v->is_string()) body.error("base_url", "must be a URL string or null");
    else if (auto problem = url_problem(v->as_string())) body.error("base_url", *problem);
    else in.base_url = std::optional<std::string>(std::string(v->as_string()));
  }

  if (const auto* v = body.raw("api_key")) {
    if (v->is_null()) {
      in.key_change = KeyChange::clear;
    } else if (!v->is_string()) {
      body.error("api_key", "must be a string, or null to remove the key");
    } else if (v->as_string().empty()) {
      body.error("api_key", "must not be empty; send null to remove the key");
    } else if (v->as_string().size() > k_max_api_key_bytes) {
      body.error("api_key", "must be at most " + std::to_string(k_max_api_key_bytes) + " bytes");
    } else if (has_control_characters(v->as_string())) {
      body.error("api_key", "must not contain control characters");  // it goes into an HTTP header
    } else {
      in.key_change = KeyChange::set;
      in.api_key = v->as_string();
    }
  }

  if (const auto* v = body.raw("default_model")) {
    if (v->is_null()) in.default_model = std::optional<std::string>();
    else if (!v->is_string()) body.error("default_model", "must be a model name or null");
    else if (auto problem = model_problem(v->as_string())) body.error("default_model", *problem);
    else in.default_model = std::optional<std::string>(std::string(v->as_string()));
  }

  if (const auto* v = body.raw("models")) {
    if (!v->is_array()) {
      body.error("models", "must be an array of model names");
    } else if (v->as_array().size() > k_max_models) {
      body.error("models", "must list at most " + std::to_string(k_max_models) + " models");
    } else {
      std::vector<std::string> models;
      const auto& arr = v->as_array();
      for (std::size_t i = 0; i < arr.size(); ++i) {
        std::string path = "models[" + std::to_string(i) + "]";
        if (!arr[i].is_string()) body.error(path, "must be a model name");
        else if (auto problem = model_problem(arr[i].as_string())) body.error(path, *problem);
        else if (std::find(models.begin(), models.end(), arr[i].as_string()) == models.end())
          models.emplace_back(arr[i].as_string());  // a repeated name is kept once
      }
      in.models = std::move(models);
    }
  }

  not_null("pricing");
  if (const auto* v = body.raw("pricing"); v && !v->is_null()) {
    if (!v->is_object()) {
      body.error("pricing", "must be an object of model name -> {input, output, cached_input?}");
    } else if (v->as_object().size() > k_max_prices) {
      body.error("pricing", "must price at most " + std::to_string(k_max_prices) + " models");
    } else {
      for (const auto& [model, price] : v->as_object()) {
        std::string path = "pricing." + std::string(model);
        if (auto problem = model_problem(model)) {
          body.error(path, *problem);
          continue;
        }
        try {
          engine::parse_model_price(model, price);
        } catch (const std::invalid_argument& e) {
          body.error(path, "must be {\"input\": n, \"output\": n, \"cached_input\": n?} with non-negative "
                           "USD per million tokens");
        }
      }
      in.pricing = v->as_object();
    }
  }

  not_null("is_enabled");
  in.is_enabled = body.boolean("is_enabled", false);
  body.finish();
  return in;
}

// Applies the input to a connection and checks the combination (also against what a PUT keeps).
void apply(const ProviderInput& in, crews::LlmProvider& p) {
  if (in.name) p.name = *in.name;
  if (in.provider) p.provider = *in.provider;
  if (in.base_url) p.base_url = *in.base_url;
  if (in.default_model) p.default_model = *in.default_model;
  if (in.models) p.models = *in.models;
  if (in.pricing) p.pricing = *in.pricing;
  if (in.is_enabled) p.is_enabled = *in.is_enabled;
  std::vector<core::FieldError> errors;
  if (p.provider == "openai_compatible" && !p.base_url)
    errors.push_back({"base_url", "is required for an openai_compatible connection"});
  if (p.default_model && !p.models.empty() &&
      std::find(p.models.begin(), p.models.end(), *p.default_model) == p.models.end())
    errors.push_back({"default_model", "must be one of models"});
  if (errors.empty()) return;
  std::string detail = errors.size() == 1 ? "1 field is invalid: " + errors[0].path + " " + errors[0].message + "."
                                          : std::to_string(errors.size()) + " fields are invalid.";
  throw Problem::unprocessable(detail, errors);
}

Problem concurrent_change() { return Problem::conflict("The LLM connection changed concurrently; try again."); }

Problem duplicate_name(const std::string& name) {
  return Problem::conflict("This team already has an LLM connection named \"" + name + "\".");
}

const char* key_change_name(KeyChange k) {
  switch (k) {
    case KeyChange::keep: return "unchanged";
    case KeyChange::set: return "set";
    case KeyChange::clear: return "removed";
  }
  return "unchanged";
}

auth::AuditEntry audit_entry(const RequestContext& ctx, std::string action, const crews::LlmProvider& p,
                             KeyChange key) {
  auto entry = auth::audit_by(ctx.principal.get(), std::move(action), ctx.remote_address);
  entry.team_id = p.team_id;
  entry.target_type = "llm_provider";
  entry.target_id = p.id;
  entry.details = {{"name", p.name}, {"provider", p.provider}, {"api_key", key_change_name(key)}};
  return entry;
}

crews::LlmProvider load(store::Connection& c, const std::string& team_id, const std::string& id) {
  auto p = crews::find_llm_provider(c, team_id, id);
  if (!p) throw Problem::not_found("No LLM connection " + id + ".");
  return std::move(*p);
}

// For changes: locks the connection before its key is touched (see lock_llm_provider).
crews::LlmProvider load_for_change(store::Connection& c, const std::string& team_id, const std::string& id) {
  auto p = crews::lock_llm_provider(c, team_id, id);
  if (!p) throw Problem::not_found("No LLM connection " + id + ".");
  return std::move(*p);
}

}  // namespace

void register_llm_provider_routes(http::Router& router, app::Services& services) {
  // Handlers copy their captures into the coroutine frame before the first suspension.

  // ---- GET /api/llm-providers -----------------------------------------------------------
  router.add("GET", "/api/llm-providers", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    app::Services& svc = services;
    auto list = co_await svc.db.read([&](store::Connection& c) { return crews::list_llm_providers(c, ctx.team_id); });
    json::array items;
    for (const auto& p : list) items.push_back(provider_json(p));
    co_return http::json_reply(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
  }, {.summary = "List the team's LLM connections", .policy = "crews:read"});

  // ---- GET /api/llm-providers/{id} ------------------------------------------------------
  router.add("GET", "/api/llm-providers/{id}", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    app::Services& svc = services;
    std::string id(ctx.param("id"));
    auto p = co_await svc.db.read([&](store::Connection& c) { return load(c, ctx.team_id, id); });
    co_return http::json_reply(200, provider_json(p));
  }, {.summary = "Read an LLM connection", .policy = "crews:read"});

  // ---- POST /api/llm-providers ----------------------------------------------------------
  router.add("POST", "/api/llm-providers", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    app::Services& svc = services;
    auto in = read_input(ctx, true);
    auto now = svc.clock.now_ms();
    crews::LlmProvider p;
    p.id = core::new_id();
    p.team_id = ctx.team_id;
    p.created_at = p.updated_at = now;
    apply(in, p);
    for (int attempt = 1;; ++attempt) {
      try {
        co_await svc.db.write([&](store::Connection& c) {
          if (crews::llm_provider_name_taken(c, p.team_id, p.name)) throw duplicate_name(p.name);
          p.api_key_secret_id.reset();
          if (in.key_change == KeyChange::set)
            p.api_key_secret_id = crews::put_secret(c, svc.secret_box, crews::llm_api_key_owner(p.team_id, p.id),
                                                    in.api_key, ctx.principal->user_id, now)
                                      .row.id;
          crews::insert_llm_provider(c, p);
          auth::record_audit(c, audit_entry(ctx, "llm_provider.create", p, in.key_change), now);
        });
        break;
      } catch (const store::DatabaseError& e) {
        // A concurrent create with the same name won: the retry's check answers 409.
        if (!e.is_constraint_violation()) throw;
        if (attempt >= k_write_attempts) throw concurrent_change();
      }
    }
    co_return http::json_reply(201, provider_json(p));
  }, {.max_body_bytes = 64 * 1024, .summary = "Add an LLM connection", .policy = "secrets:write"});

  // ---- PUT /api/llm-providers/{id} ------------------------------------------------------
  router.add("PUT", "/api/llm-providers/{id}", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    app::Services& svc = services;
    std::string id(ctx.param("id"));
    auto in = read_input(ctx, false);
    auto now = svc.clock.now_ms();
    crews::LlmProvider p;
    for (int attempt = 1;; ++attempt) {
      try {
        p = co_await svc.db.write([&](store::Connection& c) {
          auto current = load_for_change(c, ctx.team_id, id);
          apply(in, current);
          if (in.name && crews::llm_provider_name_taken(c, current.team_id, current.name, current.id))
            throw duplicate_name(current.name);
          auto owner = crews::llm_api_key_owner(current.team_id, current.id);
          if (in.key_change == KeyChange::set) {
            current.api_key_secret_id =
                crews::put_secret(c, svc.secret_box, owner, in.api_key, ctx.principal->user_id, now).row.id;
          } else if (in.key_change == KeyChange::clear) {
            crews::delete_secret(c, owner);
            current.api_key_secret_id.reset();
          }
          current.updated_at = now;
          crews::update_llm_provider(c, current);
          auth::record_audit(c, audit_entry(ctx, "llm_provider.update", current, in.key_change), now);
          return current;
        });
        break;
      } catch (const store::DatabaseError& e) {
        // A concurrent rename to the same name won: the retry's check answers 409.
        if (!e.is_constraint_violation()) throw;
        if (attempt >= k_write_attempts) throw concurrent_change();
      }
    }
    co_return http::json_reply(200, provider_json(p));
  }, {.max_body_bytes = 64 * 1024, .summary = "Change an LLM connection (fields left out are kept)",
      .policy = "secrets:write"});

  // ---- DELETE /api/llm-providers/{id} ---------------------------------------------------
  router.add("DELETE", "/api/llm-providers/{id}", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    app::Services& svc = services;
    std::string id(ctx.param("id"));
    auto now = svc.clock.now_ms();
    co_await svc.db.write([&](store::Connection& c) {
      auto p = load_for_change(c, ctx.team_id, id);
      crews::delete_llm_provider(c, p.team_id, p.id);
      crews::delete_secret(c, crews::llm_api_key_owner(p.team_id, p.id));
      auto key = p.api_key_secret_id ? KeyChange::clear : KeyChange::keep;
      auth::record_audit(c, audit_entry(ctx, "llm_provider.delete", p, key), now);
    });
    co_return http::empty_reply(204);
  }, {.summary = "Delete an LLM connection and its API key", .policy = "secrets:write"});
}

}  // namespace aop::api
