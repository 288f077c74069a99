#include "crews/crew_check.hpp"

namespace aop::crews {

namespace {

CrewCheck combine(ParseResult parsed, const ValidationOptions& options) {
  CrewCheck out;
  out.errors = std::move(parsed.errors);
  out.warnings = std::move(parsed.warnings);
  if (parsed.spec) {
    auto checked = validate(*parsed.spec, options);
    out.errors.insert(out.errors.end(), std::make_move_iterator(checked.errors.begin()),
                      std::make_move_iterator(checked.errors.end()));
    out.warnings.insert(out.warnings.end(), std::make_move_iterator(checked.warnings.begin()),
                        std::make_move_iterator(checked.warnings.end()));
    out.spec = std::move(parsed.spec);
  }
  return out;
}

}  // namespace

CrewCheck check_crew(std::string_view text, const ValidationOptions& options, Format format) {
  return combine(parse_crew(text, format), options);
}

CrewCheck check_crewai_pair(std::string_view agents_yaml, std::string_view tasks_yaml,
                            std::string_view name, const ValidationOptions& options) {
  return combine(parse_crewai_pair(agents_yaml, tasks_yaml, name), options);
}

}  // namespace aop::crews
