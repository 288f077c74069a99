#pragma once
// Where a run's LLM calls go and with which key. Pure logic: the caller passes the team's
// connections (keys decrypted), the run's environment (team values overridden by the crew's)
// and the process environment. The model string's provider part ("openai" in
// "openai/gpt-4o-mini") names either a connection or a provider.
//
// Precedence, field by field: an enabled team connection > the run's environment secrets >
// the server's process environment > the provider's default. The fallbacks are the variables
// CrewAI users already set:
//   openai     OPENAI_API_KEY, OPENAI_BASE_URL        (default https://api.openai.com/v1)
//   anthropic  ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL  (default https://api.anthropic.com)
//   ollama     OLLAMA_HOST                             (default http://localhost:11434; /v1 is the
//                                                      OpenAI-compatible path)
// openai_compatible connections have no fallbacks. A key from the server's own environment is
// only ever sent to a base URL that also comes from the server (its environment or the
// default): otherwise a team could point OPENAI_BASE_URL elsewhere and collect it.
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aop::crews {

// A team's connection as the resolver needs it.
struct LlmConnectionCandidate {
  std::string name;
  std::string provider;  // openai | anthropic | ollama | openai_compatible
  std::optional<std::string> base_url;
  std::optional<std::string> api_key;  // decrypted
  std::optional<std::string> default_model;
  bool is_enabled = true;
};

struct LlmEndpoint {
  std::string provider;  // the wire protocol: anthropic (Messages API), else OpenAI-compatible
  std::string base_url;  // without a trailing '/'
  std::string api_key;   // empty when none was found and the provider does not need one
  std::optional<std::string> default_model;
  std::string connection;  // the connection used, or empty
  // Where each value came from: connection | secret (the run's environment) | environment
  // (the server's) | default | none. Names only, never values, so they may be logged.
  std::string api_key_source;
  std::string base_url_source;
};

struct LlmResolution {
  std::optional<LlmEndpoint> endpoint;
  std::string error;  // why there is no endpoint; names variables, never values
};

using ProcessEnv = std::function<const char*(const char*)>;

LlmResolution resolve_llm_connection(std::string_view provider, const std::vector<LlmConnectionCandidate>& connections,
                                     const std::map<std::string, std::string>& run_env,
                                     const ProcessEnv& process_env = ::getenv);

}  // namespace aop::crews
