#include "crews/llm_connection_resolver.hpp"

namespace aop::crews {

namespace {

struct Fallbacks {
  const char* key_var;  // nullptr: the provider has no key variable
  const char* url_var;
  const char* default_url;
  bool needs_key;
};

std::optional<Fallbacks> fallbacks_for(std::string_view provider) {
  if (provider == "openai") return Fallbacks{"OPENAI_API_KEY", "OPENAI_BASE_URL", "https://api.openai.com/v1", true};
  if (provider == "anthropic")
    return Fallbacks{"ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "https://api.anthropic.com", true};
  if (provider == "ollama") return Fallbacks{nullptr, "OLLAMA_HOST", "http://localhost:11434", false};
  return std::nullopt;  // openai_compatible: everything comes from the connection
}

struct Found {
  std::string value;
  std::string source;
};

// The run's environment first, then the server's; empty values count as unset.
std::optional<Found> lookup(const char* var, const std::map<std::string, std::string>& run_env,
                            const ProcessEnv& process_env) {
  if (!var) return std::nullopt;
  if (auto it = run_env.find(var); it != run_env.end() && !it->second.empty()) return Found{it->second, "secret"};
  if (process_env)
    if (const char* v = process_env(var); v && *v) return Found{v, "environment"};
  return std::nullopt;
}

std::string without_trailing_slash(std::string url) {
  while (url.size() > 1 && url.back() == '/') url.pop_back();
  return url;
}

// OLLAMA_HOST is often "host:port" or a bare host; Ollama itself assumes http and port 11434.
// A URL without a path gets "/v1", Ollama's OpenAI-compatible API.
std::string ollama_base_url(std::string url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) {
    auto slash = url.find('/');
    std::string host = url.substr(0, slash);
    auto colon = host.rfind(':'), bracket = host.rfind(']');  // "[::1]" has no port, "[::1]:8080" has
    bool has_port = colon != std::string::npos && (bracket == std::string::npos || colon > bracket);
    url = "http://" + host + (has_port ? "" : ":11434") + (slash == std::string::npos ? "" : url.substr(slash));
    scheme = 4;
  }
  url = without_trailing_slash(std::move(url));
  if (url.find('/', scheme + 3) == std::string::npos) url += "/v1";
  return url;
}

}  // namespace

LlmResolution resolve_llm_connection(std::string_view provider, const std::vector<LlmConnectionCandidate>& connections,
                                     const std::map<std::string, std::string>& run_env, const ProcessEnv& process_env) {
  // A connection named like the model's provider part wins; else the first enabled connection
  // of that provider type.
  const LlmConnectionCandidate* conn = nullptr;
  for (const auto& c : connections)
    if (c.is_enabled && c.name == provider) {
      conn = &c;
      break;
    }
  if (!conn)
    for (const auto& c : connections)
      if (c.is_enabled && c.provider == provider) {
        conn = &c;
        break;
      }

  LlmResolution out;
  std::string kind = conn ? conn->provider : std::string(provider);
  auto fb = fallbacks_for(kind);
  if (!conn && !fb) {
    out.error = "unknown LLM provider \"" + std::string(provider) +
                "\": use openai, anthropic or ollama, or add an enabled LLM connection with that name";
    return out;
  }

  LlmEndpoint e;
  e.provider = kind;
  if (conn) {
    e.connection = conn->name;
    e.default_model = conn->default_model;
  }

  if (conn && conn->base_url && !conn->base_url->empty()) {
    e.base_url = *conn->base_url;
    e.base_url_source = "connection";
  } else if (auto found = fb ? lookup(fb->url_var, run_env, process_env) : std::nullopt) {
    e.base_url = found->value;
    e.base_url_source = found->source;
  } else if (fb) {
    e.base_url = fb->default_url;
    e.base_url_source = "default";
  } else {
    out.error = "the LLM connection \"" + conn->name + "\" has no base URL";
    return out;
  }
  e.base_url = kind == "ollama" ? ollama_base_url(e.base_url) : without_trailing_slash(e.base_url);

  bool server_url = e.base_url_source == "environment" || e.base_url_source == "default";
  if (conn && conn->api_key && !conn->api_key->empty()) {
    e.api_key = *conn->api_key;
    e.api_key_source = "connection";
  } else if (auto found = fb ? lookup(fb->key_var, run_env, process_env) : std::nullopt) {
    if (found->source == "secret" || server_url) {
      e.api_key = found->value;
      e.api_key_source = found->source;
    } else if (fb->needs_key) {
      out.error = std::string("no API key for ") + kind + ": the base URL is set by the team (" + e.base_url_source +
                  "), so the server's " + fb->key_var + " is not sent there; give the connection an API key or set " +
                  fb->key_var + " as a team or crew variable";
      return out;
    }
  }
  if (e.api_key.empty()) {
    if (fb && fb->needs_key) {
      out.error = std::string("no API key for ") + kind + ": add an LLM connection with a key, or set " + fb->key_var +
                  " as a team or crew variable or in the server's environment";
      return out;
    }
    e.api_key_source = "none";
  }
  out.endpoint = std::move(e);
  return out;
}

}  // namespace aop::crews
