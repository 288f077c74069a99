#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "crews/crew_check.hpp"
#include "crews/crew_validator.hpp"
#include "crew_test_support.hpp"

using namespace aop::crews;
using aop::crews::test::has;
using aop::crews::test::none;

namespace {

AgentSpec agent(std::string name) {
  AgentSpec a;
  a.name = std::move(name);
  a.role = "Role of " + a.name;
  a.goal = "Goal";
  a.backstory = "Backstory";
  return a;
}

TaskSpec task(std::string name, std::optional<std::string> agent_name) {
  TaskSpec t;
  t.name = std::move(name);
  t.description = "Describe";
  t.expected_output = "Expected";
  t.agent = std::move(agent_name);
  return t;
}

// researcher -> research, writer -> review (review reads research).
CrewSpec valid_crew() {
  CrewSpec c;
  c.name = "demo";
  c.agents = {agent("researcher"), agent("writer")};
  c.tasks = {task("research", "researcher"), task("review", "writer")};
  c.tasks[1].context = std::vector<std::string>{"research"};
  return c;
}

ValidationResult check(const CrewSpec& c, const ValidationOptions& options = {}) { return validate(c, options); }

}  // namespace

TEST(CrewValidator, ValidCrewHasNoProblems) {
  auto r = check(valid_crew());
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(none(r.errors));
  EXPECT_TRUE(none(r.warnings));
}

TEST(CrewValidator, RequiredFields) {
  auto c = valid_crew();
  c.name = "";
  c.agents[0].role = "";
  c.agents[0].goal = "   \n";
  c.agents[1].backstory = "";
  c.tasks[0].description = "";
  c.tasks[1].expected_output = "\t";
  auto r = check(c);
  EXPECT_TRUE(has(r.errors, "name", "required"));
  EXPECT_TRUE(has(r.errors, "agents.researcher.role", "required"));
  EXPECT_TRUE(has(r.errors, "agents.researcher.goal", "required")) << "blank counts as missing";
  EXPECT_TRUE(has(r.errors, "agents.writer.backstory", "required"));
  EXPECT_TRUE(has(r.errors, "tasks.research.description", "required"));
  EXPECT_TRUE(has(r.errors, "tasks.review.expected_output", "required"));
  EXPECT_EQ(r.errors.size(), 6u) << test::dump(r.errors);
}

TEST(CrewValidator, EmptyCrews) {
  CrewSpec c;
  c.name = "empty";
  auto r = check(c);
  EXPECT_TRUE(has(r.errors, "agents", "a crew needs at least one agent"));
  EXPECT_TRUE(has(r.errors, "tasks", "a crew needs at least one task"));
}

TEST(CrewValidator, UnknownAgent) {
  auto c = valid_crew();
  c.tasks[1].agent = "writer2";
  auto r = check(c);
  ASSERT_EQ(r.errors.size(), 1u) << test::dump(r.errors);
  EXPECT_EQ(r.errors[0].path, "tasks.review.agent");
  EXPECT_EQ(r.errors[0].message, "unknown agent \"writer2\"");
}

TEST(CrewValidator, ContextRules) {
  auto c = valid_crew();
  c.tasks.push_back(task("publish", "writer"));
  c.tasks[0].context = std::vector<std::string>{"review"};               // later (and a cycle)
  c.tasks[1].context = std::vector<std::string>{"reserch_task", "review", "research", "research"};
  c.tasks[2].context = std::vector<std::string>{};
  auto r = check(c);
  EXPECT_TRUE(has(r.errors, "tasks.research.context[0]",
                  "context cycle: research -> review -> research; context can only use earlier tasks"));
  EXPECT_TRUE(has(r.errors, "tasks.review.context[0]", "unknown task \"reserch_task\""));
  EXPECT_TRUE(has(r.errors, "tasks.review.context[1]", "context cannot use the task's own output"));
  EXPECT_TRUE(has(r.warnings, "tasks.review.context[3]", "task \"research\" is listed twice"));
  EXPECT_EQ(r.errors.size(), 3u) << test::dump(r.errors);
}

TEST(CrewValidator, ContextOnALaterTaskWithoutCycle) {
  auto c = valid_crew();
  c.tasks[1].context.reset();
  c.tasks[0].context = std::vector<std::string>{"review"};
  auto r = check(c);
  ASSERT_EQ(r.errors.size(), 1u) << test::dump(r.errors);
  EXPECT_EQ(r.errors[0].path, "tasks.research.context[0]");
  EXPECT_EQ(r.errors[0].message, "task \"review\" runs later; context can only use earlier tasks");
}

TEST(CrewValidator, LongerCyclesAreSpelledOut) {
  CrewSpec c;
  c.name = "cycle";
  c.agents = {agent("a")};
  c.tasks = {task("t1", "a"), task("t2", "a"), task("t3", "a")};
  c.tasks[0].context = std::vector<std::string>{"t3"};
  c.tasks[1].context = std::vector<std::string>{"t1"};
  c.tasks[2].context = std::vector<std::string>{"t2"};
  auto r = check(c);
  EXPECT_TRUE(has(r.errors, "tasks.t1.context[0]", "context cycle: t1 -> t3 -> t2 -> t1"));
}

TEST(CrewValidator, HierarchicalNeedsAManager) {
  auto c = valid_crew();
  c.process = Process::hierarchical;
  auto r = check(c);
  EXPECT_TRUE(has(r.errors, "process", "a hierarchical crew needs manager_llm or manager_agent"));
  c.manager_llm = "openai/gpt-4o";
  EXPECT_TRUE(check(c).ok());
  c.manager_llm.reset();
  c.manager_agent = agent("boss");
  EXPECT_TRUE(check(c).ok()) << test::dump(check(c).errors);
  c.manager_llm = "openai/gpt-4o";
  EXPECT_TRUE(has(check(c).warnings, "manager_llm", "ignored: manager_agent is set and takes precedence"));
}

TEST(CrewValidator, ManagerRulesInSequentialCrewsAreWarnings) {
  auto c = valid_crew();
  c.manager_llm = "openai/gpt-4o";
  c.manager_agent = agent("boss");
  auto r = check(c);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(has(r.warnings, "manager_llm", "ignored: only a hierarchical crew has a manager"));
  EXPECT_TRUE(has(r.warnings, "manager_agent", "ignored: only a hierarchical crew has a manager"));
}

TEST(CrewValidator, InlineManagerRules) {
  auto c = valid_crew();
  c.process = Process::hierarchical;
  auto m = agent("writer");
  m.role = "";
  m.tools = {"web_fetch"};
  c.manager_agent = m;
  auto r = check(c);
  EXPECT_TRUE(has(r.errors, "manager_agent",
                  "manager agent \"writer\" is also listed in agents; the manager cannot be a crew member"));
  EXPECT_TRUE(has(r.errors, "manager_agent.role", "required"));
  EXPECT_TRUE(has(r.errors, "manager_agent.tools", "the manager cannot have tools"));
}

TEST(CrewValidator, ManagerByNameRules) {
  auto c = valid_crew();
  c.process = Process::hierarchical;
  c.manager_agent = std::string("boss");
  EXPECT_TRUE(has(check(c).errors, "manager_agent", "unknown agent \"boss\""));

  c.agents.push_back(agent("lead"));
  c.manager_agent = std::string("lead");
  EXPECT_TRUE(check(c).ok()) << test::dump(check(c).errors);
  c.tasks[1].agent = "lead";
  auto r = check(c);
  EXPECT_TRUE(has(r.errors, "tasks.review.agent", "agent \"lead\" is the crew's manager and cannot also take tasks"));
}

TEST(CrewValidator, ToolsAreCheckedAgainstTheKnownSet) {
  auto c = valid_crew();
  c.agents[0].tools = {"web_fetch", "serper_dev_tool", "web_fetch"};
  auto r = check(c);
  EXPECT_TRUE(has(r.errors, "agents.researcher.tools[1]", "unknown tool \"serper_dev_tool\""));
  EXPECT_TRUE(has(r.warnings, "agents.researcher.tools[2]", "tool \"web_fetch\" is listed twice"));
  EXPECT_EQ(builtin_tool_names(), (std::set<std::string, std::less<>>{"calculator", "file_read", "file_write",
                                                                      "http_request", "web_fetch", "web_search"}));
  ValidationOptions options;
  options.known_tools.insert("serper_dev_tool");
  EXPECT_TRUE(check(c, options).ok());
}

TEST(CrewValidator, ModelStrings) {
  auto c = valid_crew();
  c.llm = "gpt-4o";
  c.manager_llm = "OpenAI/gpt-4o";
  c.agents[0].llm = "openai/";
  c.agents[1].llm = "claude-3-5-sonnet";
  auto r = check(c);
  EXPECT_TRUE(has(r.errors, "llm",
                  "model \"gpt-4o\" has no provider; expected \"provider/model\", e.g. \"openai/gpt-4o\""));
  EXPECT_TRUE(has(r.errors, "manager_llm", "unknown provider \"OpenAI\" in model \"OpenAI/gpt-4o\"; known: openai,"));
  EXPECT_TRUE(has(r.errors, "agents.researcher.llm", "model \"openai/\" names no model after the provider"));
  EXPECT_TRUE(has(r.errors, "agents.writer.llm", "e.g. \"anthropic/claude-3-5-sonnet\""));

  for (const char* good : {"openai/gpt-4o-mini", "anthropic/claude-3-5-haiku", "ollama/llama3.1:8b",
                           "simulated/echo", "groq/llama-3.1-70b", "deepseek/deepseek-chat",
                           "openrouter/meta-llama/llama-3-70b", "gemini/gemini-1.5-pro", "mistral/mistral-large",
                           "azure/my-deployment", "lmstudio/qwen2.5", "vllm/served-model"}) {
    auto ok = valid_crew();
    ok.llm = good;
    EXPECT_TRUE(check(ok).ok()) << good << "\n" << test::dump(check(ok).errors);
  }
  auto custom = valid_crew();
  custom.llm = "together/mixtral";
  EXPECT_FALSE(check(custom).ok());
  ValidationOptions options;
  options.extra_providers.insert("together");
  EXPECT_TRUE(check(custom, options).ok());
  custom.llm = "openai/gpt 4o";
  EXPECT_TRUE(has(check(custom).errors, "llm", "contains spaces"));
  custom.llm = "";
  EXPECT_TRUE(has(check(custom).errors, "llm", "model is empty"));
}

TEST(CrewValidator, Conditions) {
  auto c = valid_crew();
  c.tasks.push_back(task("publish", "writer"));
  c.tasks[0].condition = "tasks.review.json.ok";                 // later task
  c.tasks[1].condition = "tasks.review.output != ''";            // itself
  c.tasks[2].condition = "tasks.missing.output == 'x' || (";     // parse error
  auto r = check(c);
  EXPECT_TRUE(has(r.errors, "tasks.research.condition",
                  "task \"review\" runs later; a condition can only use earlier tasks"));
  EXPECT_TRUE(has(r.errors, "tasks.review.condition", "a condition cannot use the task's own output"));
  EXPECT_TRUE(has(r.errors, "tasks.publish.condition",
                  "invalid condition at column 33: expected a value, found end of condition"));

  c.tasks[0].condition.reset();
  c.tasks[1].condition = "tasks.nope.output == 'x'";
  c.tasks[2].condition = "tasks.research.json.score >= 7 && inputs.mode == 'full' && inputs.topic != ''";
  c.tasks[0].description = "About {topic}";
  r = check(c);
  EXPECT_TRUE(has(r.errors, "tasks.review.condition", "unknown task \"nope\""));
  EXPECT_EQ(r.errors.size(), 1u) << test::dump(r.errors);
  EXPECT_TRUE(has(r.warnings, "tasks.publish.condition",
                  "input \"mode\" is not declared; it reads as null when not given"));
  EXPECT_EQ(r.warnings.size(), 1u) << "topic is used as {topic}, so it is known:\n" << test::dump(r.warnings);
}

TEST(CrewValidator, OutputJsonSchema) {
  auto c = valid_crew();
  c.tasks[0].output_json = boost::json::parse("[1, 2]");
  c.tasks[1].output_json = boost::json::parse(R"({
      "type": "objekt",
      "properties": {"score": {"type": "integer"}, "tags": {"type": "array", "items": {"type": "strin"}},
                     "bad": 5, "nested": {"type": "object", "properties": {"a": {}}, "required": ["b"]}},
      "required": ["score", "missing", 3]})");
  auto r = check(c);
  EXPECT_TRUE(has(r.errors, "tasks.research.output_json", "a JSON Schema must be a mapping"));
  EXPECT_TRUE(has(r.errors, "tasks.review.output_json.type",
                  "type must be one of object, array, string, number, integer, boolean, null"));
  EXPECT_TRUE(has(r.errors, "tasks.review.output_json.properties.tags.items.type", "type must be one of"));
  EXPECT_TRUE(has(r.errors, "tasks.review.output_json.properties.bad", "the schema of a property must be a mapping"));
  EXPECT_TRUE(has(r.errors, "tasks.review.output_json.properties.nested.required[0]",
                  "required property \"b\" is not defined in properties"));
  EXPECT_TRUE(has(r.errors, "tasks.review.output_json.required[1]",
                  "required property \"missing\" is not defined in properties"));
  EXPECT_TRUE(has(r.errors, "tasks.review.output_json.required[2]", "required entries must be property names"));
  EXPECT_EQ(r.errors.size(), 7u) << test::dump(r.errors);

  c.tasks[0].output_json = boost::json::parse(R"({"properties": [], "required": "x"})");
  c.tasks[1].output_json = boost::json::parse(R"({"type": ["object", "null"], "properties": {"a": {}}, "required": ["a"]})");
  r = check(c);
  EXPECT_TRUE(has(r.errors, "tasks.research.output_json.properties", "properties must be a mapping"));
  EXPECT_TRUE(has(r.errors, "tasks.research.output_json.required", "required must be a list of property names"));
  EXPECT_EQ(r.errors.size(), 2u) << test::dump(r.errors);
}

TEST(CrewValidator, Inputs) {
  auto c = valid_crew();
  InputSpec topic;
  topic.name = "topic";
  topic.type = "str";
  InputSpec count;
  count.name = "count";
  count.type = "integer";
  count.default_value = 2.5;
  InputSpec bad_name;
  bad_name.name = "bad name";
  InputSpec ok;
  ok.name = "limit";
  ok.type = "number";
  ok.default_value = 3;
  c.inputs = {topic, count, bad_name, ok};
  auto r = check(c);
  EXPECT_TRUE(has(r.errors, "inputs.topic.type",
                  "unknown type \"str\"; expected string, number, integer, boolean, object or array"));
  EXPECT_TRUE(has(r.errors, "inputs.count.default", "default does not match type integer"));
  EXPECT_TRUE(has(r.errors, "inputs.bad name", "invalid name \"bad name\""));
  EXPECT_EQ(r.errors.size(), 3u) << test::dump(r.errors);
}

TEST(CrewValidator, Names) {
  auto c = valid_crew();
  c.agents.push_back(agent("my agent"));
  c.agents.push_back(agent(std::string(65, 'a')));
  c.agents.push_back(agent("9lives"));
  c.tasks.push_back(task("ok-name_2", "researcher"));
  c.tasks.push_back(task("bad.name", "researcher"));
  auto r = check(c);
  EXPECT_TRUE(has(r.errors, "agents.my agent", "invalid name \"my agent\"; use a letter or _ first"));
  EXPECT_TRUE(has(r.errors, "agents." + std::string(65, 'a'), "invalid name"));
  EXPECT_TRUE(has(r.errors, "agents.9lives", "invalid name"));
  EXPECT_TRUE(has(r.errors, "tasks.bad.name", "invalid name \"bad.name\""));
  EXPECT_EQ(r.errors.size(), 4u) << test::dump(r.errors);
  EXPECT_TRUE(is_valid_name("_x"));
  EXPECT_TRUE(is_valid_name(std::string(64, 'a')));
}

TEST(CrewValidator, NumericLimits) {
  auto c = valid_crew();
  c.max_rpm = 0;
  c.max_execution_time = -5;
  c.agents[0].max_iter = 0;
  c.agents[0].max_rpm = 0;
  c.agents[0].max_execution_time = 0;
  c.agents[0].max_retry_limit = -1;
  c.tasks[0].max_retry_limit = -1;
  auto r = check(c);
  EXPECT_TRUE(has(r.errors, "max_rpm", "must be at least 1"));
  EXPECT_TRUE(has(r.errors, "max_execution_time", "must be at least 1"));
  EXPECT_TRUE(has(r.errors, "agents.researcher.max_iter", "must be at least 1"));
  EXPECT_TRUE(has(r.errors, "agents.researcher.max_rpm", "must be at least 1"));
  EXPECT_TRUE(has(r.errors, "agents.researcher.max_execution_time", "must be at least 1"));
  EXPECT_TRUE(has(r.errors, "agents.researcher.max_retry_limit", "must be at least 0"));
  EXPECT_TRUE(has(r.errors, "tasks.research.max_retry_limit", "must be at least 0"));
  EXPECT_EQ(r.errors.size(), 7u) << test::dump(r.errors);
}

TEST(CrewValidator, TasksWithoutAgentsAndIdleAgents) {
  auto c = valid_crew();
  c.agents.push_back(agent("idle"));
  c.tasks[1].agent.reset();
  auto r = check(c);
  EXPECT_TRUE(r.ok()) << "warnings only";
  EXPECT_TRUE(has(r.warnings, "tasks.review.agent", "no agent; CrewAI would need one assigned in code"));
  EXPECT_TRUE(has(r.warnings, "agents.idle", "no task uses this agent"));
  EXPECT_TRUE(has(r.warnings, "agents.writer", "no task uses this agent"));
  EXPECT_EQ(r.warnings.size(), 3u) << test::dump(r.warnings);

  CrewSpec one;
  one.name = "solo";
  one.agents = {agent("only")};
  one.tasks = {task("t", std::nullopt)};
  EXPECT_TRUE(none(check(one).warnings)) << "a single agent takes every task";

  c.process = Process::hierarchical;
  c.manager_llm = "openai/gpt-4o";
  EXPECT_TRUE(none(check(c).warnings)) << "the manager delegates";
}

TEST(CrewValidator, AsynchronousTasks) {
  CrewSpec c;
  c.name = "async";
  c.agents = {agent("a")};
  c.tasks = {task("t1", "a"), task("t2", "a"), task("t3", "a"), task("t4", "a"), task("t5", "a")};
  c.tasks[0].async_execution = true;
  c.tasks[1].async_execution = true;
  c.tasks[1].context = std::vector<std::string>{"t1"};   // same async batch: error
  c.tasks[2].context = std::vector<std::string>{"t1"};   // sync task waits: fine
  c.tasks[3].async_execution = true;
  c.tasks[3].context = std::vector<std::string>{"t2"};   // t3 (sync) ends the batch: fine
  c.tasks[4].async_execution = true;                     // two async tasks at the end
  auto r = check(c);
  EXPECT_TRUE(has(r.errors, "tasks.t2.context[0]",
                  "asynchronous task cannot use the output of \"t1\", which runs asynchronously alongside it"));
  EXPECT_TRUE(has(r.errors, "tasks.t4.async_execution",
                  "the crew can end with at most one asynchronous task; the last 2 are asynchronous"));
  EXPECT_EQ(r.errors.size(), 2u) << test::dump(r.errors);
}

TEST(CrewValidator, ReportsEveryProblemWithLocationsFromTheSource) {
  auto r = check_crew(R"(name: broken
process: hierarchical
agents:
  researcher:
    role: Researcher
    goal: Research
    tools: [web_fetch, serper]
    llm: gpt-4o
tasks:
  research:
    description: Research {topic}
    agent: researcher
    context: [review]
  review:
    description: Review
    expected_output: A review
    agent: writer2
    condition: "tasks.research.json.score >"
)");
  ASSERT_TRUE(r.spec);
  const auto& e = r.errors;
  EXPECT_TRUE(has(e, "process", "a hierarchical crew needs manager_llm or manager_agent"));
  EXPECT_TRUE(has(e, "agents.researcher.backstory", "required"));
  EXPECT_TRUE(has(e, "agents.researcher.tools[1]", "unknown tool \"serper\""));
  EXPECT_TRUE(has(e, "agents.researcher.llm", "has no provider"));
  EXPECT_TRUE(has(e, "tasks.research.expected_output", "required"));
  EXPECT_TRUE(has(e, "tasks.research.context[0]", "task \"review\" runs later"));
  EXPECT_TRUE(has(e, "tasks.review.agent", "unknown agent \"writer2\""));
  EXPECT_TRUE(has(e, "tasks.review.condition", "invalid condition at column 28"));
  EXPECT_EQ(e.size(), 8u) << test::dump(e);

  auto at = [&](std::string_view path) { return test::find_path(e, path)->location; };
  EXPECT_EQ(at("process"), (Location{2, 1}));
  EXPECT_EQ(at("agents.researcher.backstory"), (Location{4, 3})) << "missing key: its parent";
  EXPECT_EQ(at("agents.researcher.tools[1]"), (Location{7, 24}));
  EXPECT_EQ(at("agents.researcher.llm"), (Location{8, 5}));
  EXPECT_EQ(at("tasks.research.context[0]"), (Location{13, 15}));
  EXPECT_EQ(at("tasks.review.agent"), (Location{17, 5}));
  EXPECT_EQ(at("tasks.review.condition"), (Location{18, 5}));
}

TEST(CrewValidator, CheckCombinesParseAndValidationProblems) {
  auto r = check_crew("name: x\nagents:\n  a: {role: r, goal: g, backstory: b, max_iter: lots}\n"
                      "tasks:\n  t: {description: d, expected_output: e, agent: b}\n");
  ASSERT_TRUE(r.spec);
  ASSERT_EQ(r.errors.size(), 2u) << test::dump(r.errors);
  EXPECT_EQ(r.errors[0].path, "agents.a.max_iter") << "parse errors first";
  EXPECT_EQ(r.errors[1].path, "tasks.t.agent");
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(check_crew("a: [").spec);
}

TEST(CrewValidator, LongListsOfProblemsAreCapped) {
  CrewSpec c;
  c.name = "many";
  for (int i = 0; i < 600; ++i) c.agents.push_back(AgentSpec{.name = "a" + std::to_string(i)});
  c.tasks = {task("t", "a0")};
  auto r = check(c);
  ASSERT_EQ(r.errors.size(), k_max_diagnostics + 1);
  EXPECT_EQ(r.errors.back().path, "");
  EXPECT_EQ(r.errors.back().message, "too many problems; only the first 1000 are listed");
}
