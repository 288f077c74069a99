// Cost of checking a crew document, which the editor does on every keystroke: parse
// (YAML and JSON) and validate a 20-agent, 20-task crew. Target: well under 1 ms.
#include <benchmark/benchmark.h>

#include <string>

#include <boost/json/serialize.hpp>

#include "crews/crew_check.hpp"
#include "crews/crew_writer.hpp"

namespace {

// A realistic document: folded texts with {placeholders}, tools, models, context lists,
// a few conditions and output schemas.
std::string twenty_agent_crew() {
  std::string y = "name: big-crew\ndescription: Twenty agents, twenty tasks\nprocess: sequential\n"
                  "llm: openai/gpt-4o-mini\ninputs:\n  topic: {type: string, description: Subject}\n"
                  "agents:\n";
  for (int i = 0; i < 20; ++i) {
    auto n = std::to_string(i);
    y += "  agent_" + n + ":\n"
         "    role: >\n      {topic} specialist number " + n + "\n"
         "    goal: >\n      Find and explain what matters about {topic} from angle " + n + ",\n"
         "      with sources and a short summary for the team\n"
         "    backstory: >\n      Years of experience with {topic}; careful, precise and quick.\n"
         "      Known for clear notes that other agents can build on.\n"
         "    llm: anthropic/claude-3-5-haiku\n"
         "    tools: [web_fetch, http_request, calculator]\n"
         "    max_iter: 15\n";
  }
  y += "tasks:\n";
  for (int i = 0; i < 20; ++i) {
    auto n = std::to_string(i);
    y += "  task_" + n + ":\n"
         "    description: >\n      Step " + n + " of the study of {topic}: collect facts, check them\n"
         "      against at least two sources and write them down.\n"
         "    expected_output: A list of verified facts about {topic}\n"
         "    agent: agent_" + n + "\n";
    if (i > 0) y += "    context: [task_" + std::to_string(i - 1) + "]\n";
    if (i % 5 == 4)
      y += "    condition: tasks.task_" + std::to_string(i - 1) +
           ".json.score >= 5 && !contains(lower(tasks.task_0.output), \"nothing found\")\n";
    if (i % 5 == 3)
      y += "    output_json:\n      type: object\n      properties:\n        score: {type: integer}\n"
           "        facts: {type: array, items: {type: string}}\n      required: [score, facts]\n";
  }
  return y;
}

const std::string& crew_yaml() {
  static const std::string text = twenty_agent_crew();
  return text;
}

}  // namespace

static void BM_CrewParseAndValidateYaml(benchmark::State& state) {
  aop::crews::ValidationOptions options;
  auto check = aop::crews::check_crew(crew_yaml(), options);
  if (!check.ok()) state.SkipWithError("benchmark crew does not validate");
  for (auto _ : state) benchmark::DoNotOptimize(aop::crews::check_crew(crew_yaml(), options));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * crew_yaml().size()));
}
BENCHMARK(BM_CrewParseAndValidateYaml)->Unit(benchmark::kMicrosecond);

static void BM_CrewParseAndValidateJson(benchmark::State& state) {
  aop::crews::ValidationOptions options;
  auto spec = aop::crews::parse_crew(crew_yaml()).spec;
  const auto json = boost::json::serialize(aop::crews::to_json(*spec));
  for (auto _ : state) benchmark::DoNotOptimize(aop::crews::check_crew(json, options));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * json.size()));
}
BENCHMARK(BM_CrewParseAndValidateJson)->Unit(benchmark::kMicrosecond);

static void BM_CrewValidateOnly(benchmark::State& state) {
  aop::crews::ValidationOptions options;
  auto spec = *aop::crews::parse_crew(crew_yaml()).spec;
  for (auto _ : state) benchmark::DoNotOptimize(aop::crews::validate(spec, options));
}
BENCHMARK(BM_CrewValidateOnly)->Unit(benchmark::kMicrosecond);

static void BM_CrewToYaml(benchmark::State& state) {
  auto spec = *aop::crews::parse_crew(crew_yaml()).spec;
  for (auto _ : state) benchmark::DoNotOptimize(aop::crews::to_yaml(spec));
}
BENCHMARK(BM_CrewToYaml)->Unit(benchmark::kMicrosecond);
