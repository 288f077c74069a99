#pragma once
// Names of environment variables a team or crew may set: [A-Za-z_][A-Za-z0-9_]{0,127}, the
// portable shell form, so every value can be exported to a tool's process as is.
#include <cstddef>
#include <string_view>

namespace aop::crews {

inline constexpr std::size_t k_max_env_name = 128;
inline constexpr std::size_t k_max_env_value_bytes = 64 * 1024;

bool is_env_name(std::string_view name);

}  // namespace aop::crews
