#include "crews/crew_document.hpp"

#include <stdexcept>

#include <boost/json/serialize.hpp>

#include "crews/crew_inputs.hpp"
#include "crews/crew_parser.hpp"
#include "crews/crew_writer.hpp"

namespace aop::crews {

StoredDocument to_stored(const CrewSpec& spec, std::optional<std::string> source_yaml) {
  StoredDocument out;
  out.config_json = boost::json::serialize(to_json(spec));
  out.inputs_json = boost::json::serialize(effective_inputs(spec));
  if (source_yaml) {
    auto reparsed = parse_crew(*source_yaml, Format::yaml);
    if (reparsed.ok() && *reparsed.spec == spec) out.source_yaml = std::move(source_yaml);
  }
  return out;
}

boost::json::array effective_inputs(const CrewSpec& spec) {
  CrewSpec with_implicit;
  with_implicit.inputs = spec.inputs;
  with_implicit.agents = spec.agents;
  with_implicit.manager_agent = spec.manager_agent;
  with_implicit.tasks = spec.tasks;
  add_implicit_inputs(with_implicit);
  boost::json::array out;
  out.reserve(with_implicit.inputs.size());
  for (const auto& in : with_implicit.inputs) {
    boost::json::object item{{"name", in.name},
                             {"type", in.type},
                             {"required", in.required},
                             {"description", in.description}};
    if (in.default_value) item["default"] = *in.default_value;
    out.push_back(std::move(item));
  }
  return out;
}

CrewSpec load_stored(const std::string& config_json) {
  auto parsed = parse_crew(config_json, Format::json);
  if (!parsed.spec) throw std::runtime_error("stored crew config does not parse");
  return std::move(*parsed.spec);
}

}  // namespace aop::crews
