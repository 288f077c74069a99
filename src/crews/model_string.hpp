#pragma once
// Model strings name an LLM as "provider/model", the way CrewAI (through LiteLLM) does:
// "openai/gpt-4o-mini", "ollama/llama3.1", "openrouter/meta-llama/llama-3-70b".
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace aop::crews {

inline constexpr std::string_view k_known_providers[] = {
    "openai", "anthropic", "ollama", "simulated", "groq", "deepseek",
    "openrouter", "gemini", "mistral", "azure", "lmstudio", "vllm"};

// Why `model` is not a usable model string, or nullopt when it is. The provider must be
// known (or listed in `extra_providers`) and the model part non-empty; for a bare name the
// message suggests the likely provider ("gpt-4o" -> "openai/gpt-4o").
std::optional<std::string> model_string_problem(
    std::string_view model, const std::set<std::string, std::less<>>& extra_providers);

}  // namespace aop::crews
