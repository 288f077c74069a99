#include "crews/model_string.hpp"

#include <algorithm>

namespace aop::crews {

namespace {

std::string guess_provider(std::string_view model) {
  constexpr std::pair<std::string_view, std::string_view> prefixes[] = {
      {"gpt-", "openai"}, {"o1", "openai"}, {"o3", "openai"}, {"o4", "openai"},
      {"chatgpt", "openai"}, {"claude", "anthropic"}, {"gemini", "gemini"},
      {"deepseek", "deepseek"}, {"mistral", "mistral"}, {"llama", "ollama"}};
  for (auto [prefix, provider] : prefixes)
    if (model.starts_with(prefix)) return std::string(provider);
  return {};
}

bool has_space(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

}  // namespace

std::optional<std::string> model_string_problem(
    std::string_view model, const std::set<std::string, std::less<>>& extra_providers) {
  auto quoted = [&] {  // appended, not "\"" + ...: GCC 12 -O3 warns falsely (-Wrestrict) on that
    std::string q(1, '"');
    q += model;
    q += '"';
    return q;
  };
  if (model.empty()) return "model is empty; expected \"provider/model\", e.g. \"openai/gpt-4o-mini\"";
  if (has_space(model)) return "model " + quoted() + " contains spaces";
  auto slash = model.find('/');
  if (slash == std::string_view::npos) {
    std::string message = "model " + quoted() + " has no provider; expected \"provider/model\"";
    if (auto provider = guess_provider(model); !provider.empty())
      message += ", e.g. \"" + provider + "/" + std::string(model) + "\"";
    return message;
  }
  auto provider = model.substr(0, slash);
  auto name = model.substr(slash + 1);
  bool known = std::find(std::begin(k_known_providers), std::end(k_known_providers), provider) !=
                   std::end(k_known_providers) ||
               extra_providers.contains(provider);
  if (!known) {
    std::string list;
    for (auto p : k_known_providers) list += (list.empty() ? "" : ", ") + std::string(p);
    return "unknown provider \"" + std::string(provider) + "\" in model " + quoted() + "; known: " + list;
  }
  if (name.empty() || name.find_first_not_of('/') == std::string_view::npos)
    return "model " + quoted() + " names no model after the provider";
  return std::nullopt;
}

}  // namespace aop::crews
