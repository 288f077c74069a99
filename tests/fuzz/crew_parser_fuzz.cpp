// libFuzzer target: any bytes through the crew parser and validator. Whenever a document
// parses, writing it back (YAML, JSON and CrewAI's pair) and parsing that must give the
// same spec; a difference is a writer/reader mismatch and aborts.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include <boost/json/serialize.hpp>

#include "crews/crew_check.hpp"
#include "crews/crew_writer.hpp"

namespace {

using namespace aop::crews;

[[noreturn]] void mismatch(const char* what, const std::string& text) {
  std::fprintf(stderr, "round trip through %s changed the spec; written text:\n%s\n", what, text.c_str());
  std::abort();
}

// The part of a spec CrewAI's two files carry.
CrewSpec crewai_view(CrewSpec spec) {
  CrewSpec view;
  view.name = spec.name;
  view.agents = std::move(spec.agents);
  view.tasks = std::move(spec.tasks);
  for (auto& t : view.tasks) {
    t.condition.reset();
    t.output_json.reset();
    t.max_retry_limit.reset();
  }
  return view;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto checked = check_crew(text);
  if (!checked.spec) return 0;
  const CrewSpec& spec = *checked.spec;

  auto crew = spec;
  add_implicit_inputs(crew);
  (void)validate(crew);

  auto yaml = to_yaml(spec);
  auto from_yaml = parse_crew(yaml, Format::yaml);
  if (!from_yaml.spec || !(*from_yaml.spec == spec)) mismatch("YAML", yaml);

  auto json = boost::json::serialize(to_json(spec));
  auto from_json = parse_crew(json, Format::json);
  if (!from_json.spec || !(*from_json.spec == spec)) mismatch("JSON", json);

  auto pair = to_crewai(spec);
  auto from_pair = parse_crewai_pair(pair.agents_yaml, pair.tasks_yaml, spec.name);
  if (!from_pair.spec || !(crewai_view(*from_pair.spec) == crewai_view(spec)))
    mismatch("CrewAI files", pair.agents_yaml + "\n---\n" + pair.tasks_yaml);
  return 0;
}
