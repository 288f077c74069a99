#include "crews/demo_crews.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "core/resources.hpp"
#include "crews/crew_parser.hpp"
#include "crews/crew_service.hpp"
#include "crews/crew_store.hpp"

namespace aop::crews {

namespace {
constexpr std::string_view k_demo_prefix = "src/crews/demo/";
}

std::vector<std::string_view> demo_crew_documents() {
  std::vector<std::pair<std::string_view, std::string_view>> found;
  for (const auto& r : resources::all())
    if (r.path.starts_with(k_demo_prefix) && r.path.ends_with(".yaml")) found.emplace_back(r.path, r.data);
  std::sort(found.begin(), found.end());
  std::vector<std::string_view> out;
  for (const auto& [path, data] : found) out.push_back(data);
  return out;
}

int seed_demo_crews(store::Connection& c, const std::string& team_id, std::int64_t now_ms) {
  if (count_all_crews(c, team_id) > 0) return 0;
  int created = 0;
  for (auto text : demo_crew_documents()) {
    auto parsed = parse_crew(text, Format::yaml);
    // The demo documents are tested to be valid; a broken one is a build defect, not user input.
    if (!parsed.ok()) throw std::runtime_error("a demo crew does not parse: " + to_string(parsed.errors.front()));
    create_crew(c, team_id, *parsed.spec, std::string(text), {std::nullopt, "Demo crew"}, now_ms);
    ++created;
  }
  return created;
}

}  // namespace aop::crews
