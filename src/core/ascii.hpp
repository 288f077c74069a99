#pragma once
// ASCII case folding for protocol tokens (header names, levels, content types), where
// locale-aware or Unicode folding would be wrong.
#include <string>
#include <string_view>

namespace aop::core {

inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace aop::core
