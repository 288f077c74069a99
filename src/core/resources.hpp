#pragma once
// Files compiled into the binary at build time (migrations, the OpenAPI document).
#include <optional>
#include <span>
#include <string_view>

namespace aop::resources {

struct Resource {
  std::string_view path;  // relative to the source root, e.g. "docs/openapi.yaml"
  std::string_view data;
};

std::span<const Resource> all();

inline std::optional<std::string_view> find(std::string_view path) {
  for (const auto& r : all())
    if (r.path == path) return r.data;
  return std::nullopt;
}

}  // namespace aop::resources
