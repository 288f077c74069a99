#include "crews/diagnostic.hpp"

namespace aop::crews {

std::optional<Location> SourceMap::find_exact(std::string_view path) const {
  auto it = entries_.find(path);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

std::optional<Location> SourceMap::find(std::string_view path) const {
  while (!path.empty()) {
    if (auto found = find_exact(path)) return found;
    auto cut = path.find_last_of(".[");
    if (cut == std::string_view::npos) break;
    path = path.substr(0, cut);
  }
  return std::nullopt;
}

void add_diagnostic(Diagnostics& list, Diagnostic diagnostic) {
  if (list.size() < k_max_diagnostics) {
    list.push_back(std::move(diagnostic));
  } else if (list.size() == k_max_diagnostics) {
    list.push_back({"", "too many problems; only the first " + std::to_string(k_max_diagnostics) +
                            " are listed", std::nullopt});
  }
}

std::string to_string(const Diagnostic& d) {
  std::string out = d.path.empty() ? std::string("(document)") : d.path;
  out += ": ";
  out += d.message;
  if (d.location) {
    out += " (line " + std::to_string(d.location->line) + ", column " +
           std::to_string(d.location->column) + ")";
  }
  return out;
}

}  // namespace aop::crews
