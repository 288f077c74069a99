#include "crews/env_name.hpp"

namespace aop::crews {

bool is_env_name(std::string_view name) {
  if (name.empty() || name.size() > k_max_env_name) return false;
  auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  if (!letter(name.front())) return false;
  for (char c : name)
    if (!letter(c) && !(c >= '0' && c <= '9')) return false;
  return true;
}

}  // namespace aop::crews
