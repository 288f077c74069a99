#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <charconv>
#include <cmath>

#include "crews/crew_parser.hpp"
#include "crews/source_document.hpp"
#include "crew_test_support.hpp"

using namespace aop::crews;
using aop::crews::test::has;
using aop::crews::test::none;

namespace {

const char* k_full = R"(name: research-crew
description: Research a topic and write a report
process: hierarchical
llm: openai/gpt-4o-mini
manager_llm: anthropic/claude-3-5-sonnet
inputs:
  topic: {type: string, required: true, description: Subject to research}
  depth: {type: integer, default: 3}
  audience:
agents:
  researcher:
    role: "{topic} Senior Data Researcher"
    goal: >
      Uncover cutting-edge developments
      in {topic}
    backstory: |
      Line one.
      Line two.
    llm: ollama/llama3.1
    tools: [web_fetch, http_request]
    allow_delegation: true
    max_iter: 10
    max_rpm: 30
    max_execution_time: 120
    max_retry_limit: 4
    verbose: true
    cache: false
  writer:
    role: Writer
    goal: Write
    backstory: Writes.
tasks:
  research_task:
    description: Research {topic}
    expected_output: 10 bullet points
    agent: researcher
    output_json: {type: object, properties: {score: {type: integer}}, required: [score]}
    async_execution: true
    human_input: true
    max_retry_limit: 1
    output_file: notes.md
  write_task:
    description: Write
    expected_output: Report
    context: []
    condition: tasks.research_task.json.score > 5
  final_task:
    description: Final
    expected_output: Done
    context: [research_task, write_task]
verbose: true
max_rpm: 100
max_execution_time: 3600
hooks: [{on: after_task, webhook: {url: "https://example.com/hook"}}]
memory: true
embedder: {provider: openai}
)";

ParseResult parse_ok(std::string_view text, Format format = Format::automatic) {
  auto r = parse_crew(text, format);
  EXPECT_TRUE(r.spec.has_value());
  EXPECT_TRUE(none(r.errors));
  return r;
}

}  // namespace

TEST(CrewParser, ReadsEveryField) {
  auto r = parse_ok(k_full);
  EXPECT_TRUE(none(r.warnings));
  const CrewSpec& c = *r.spec;
  EXPECT_EQ(c.name, "research-crew");
  EXPECT_EQ(c.description, "Research a topic and write a report");
  EXPECT_EQ(c.process, Process::hierarchical);
  EXPECT_EQ(c.llm, "openai/gpt-4o-mini");
  EXPECT_EQ(c.manager_llm, "anthropic/claude-3-5-sonnet");
  EXPECT_FALSE(c.manager_agent);
  EXPECT_TRUE(c.verbose);
  EXPECT_EQ(c.max_rpm, 100);
  EXPECT_EQ(c.max_execution_time, 3600);
  ASSERT_TRUE(c.hooks);
  EXPECT_EQ(*c.hooks, boost::json::parse(R"([{"on": "after_task", "webhook": {"url": "https://example.com/hook"}}])"));
  EXPECT_EQ(c.extra, boost::json::parse(R"({"memory": true, "embedder": {"provider": "openai"}})").as_object());

  ASSERT_EQ(c.inputs.size(), 3u);
  EXPECT_EQ(c.inputs[0].name, "topic");
  EXPECT_EQ(c.inputs[0].type, "string");
  EXPECT_TRUE(c.inputs[0].required);
  EXPECT_EQ(c.inputs[0].description, "Subject to research");
  EXPECT_EQ(c.inputs[1].type, "integer");
  EXPECT_FALSE(c.inputs[1].required) << "a default makes an input optional";
  EXPECT_EQ(c.inputs[1].default_value, boost::json::value(3));
  EXPECT_EQ(c.inputs[2].name, "audience") << "an empty entry declares a string input";
  EXPECT_EQ(c.inputs[2].type, "string");
  EXPECT_TRUE(c.inputs[2].required);

  ASSERT_EQ(c.agents.size(), 2u);
  const AgentSpec& a = c.agents[0];
  EXPECT_EQ(a.name, "researcher");
  EXPECT_EQ(a.role, "{topic} Senior Data Researcher");
  EXPECT_EQ(a.goal, "Uncover cutting-edge developments in {topic}\n") << "folded scalar, as PyYAML reads it";
  EXPECT_EQ(a.backstory, "Line one.\nLine two.\n");
  EXPECT_EQ(a.llm, "ollama/llama3.1");
  EXPECT_EQ(a.tools, (std::vector<std::string>{"web_fetch", "http_request"}));
  EXPECT_TRUE(a.allow_delegation);
  EXPECT_EQ(a.max_iter, 10);
  EXPECT_EQ(a.max_rpm, 30);
  EXPECT_EQ(a.max_execution_time, 120);
  EXPECT_EQ(a.max_retry_limit, 4);
  EXPECT_TRUE(a.verbose);
  EXPECT_EQ(a.extra, boost::json::parse(R"({"cache": false})").as_object());

  const AgentSpec& w = c.agents[1];
  EXPECT_EQ(w.name, "writer");
  EXPECT_FALSE(w.llm);
  EXPECT_TRUE(w.tools.empty());
  EXPECT_FALSE(w.allow_delegation) << "CrewAI default";
  EXPECT_EQ(w.max_iter, 25) << "CrewAI default";
  EXPECT_EQ(w.max_retry_limit, 2) << "CrewAI default";
  EXPECT_FALSE(w.max_rpm);
  EXPECT_FALSE(w.verbose);

  ASSERT_EQ(c.tasks.size(), 3u);
  const TaskSpec& t = c.tasks[0];
  EXPECT_EQ(t.name, "research_task");
  EXPECT_EQ(t.agent, "researcher");
  EXPECT_FALSE(t.context) << "absent context: all prior outputs";
  EXPECT_EQ(*t.output_json, boost::json::parse(R"({"type":"object","properties":{"score":{"type":"integer"}},"required":["score"]})"));
  EXPECT_TRUE(t.async_execution);
  EXPECT_TRUE(t.human_input);
  EXPECT_EQ(t.max_retry_limit, 1);
  EXPECT_EQ(t.extra, boost::json::parse(R"({"output_file": "notes.md"})").as_object());
  ASSERT_TRUE(c.tasks[1].context);
  EXPECT_TRUE(c.tasks[1].context->empty()) << "present and empty: no context";
  EXPECT_FALSE(c.tasks[1].agent);
  EXPECT_EQ(c.tasks[1].condition, "tasks.research_task.json.score > 5");
  EXPECT_FALSE(c.tasks[1].async_execution);
  EXPECT_EQ(c.tasks[2].context, (std::vector<std::string>{"research_task", "write_task"}));
}

TEST(CrewParser, KeepsDocumentOrderOfAgentsAndTasks) {
  auto r = parse_ok("agents: {zeta: {}, alpha: {}, mid: {}}\ntasks: {z: {}, a: {}}\n");
  EXPECT_EQ(r.spec->agents[0].name, "zeta");
  EXPECT_EQ(r.spec->agents[1].name, "alpha");
  EXPECT_EQ(r.spec->agents[2].name, "mid");
  EXPECT_EQ(r.spec->tasks[0].name, "z");
}

TEST(CrewParser, RecordsLineAndColumnOfKeys) {
  auto r = parse_ok(k_full);
  const auto& loc = r.spec->locations;
  EXPECT_EQ(loc.find_exact("name"), (Location{1, 1}));
  EXPECT_EQ(loc.find_exact("agents.researcher"), (Location{11, 3}));
  EXPECT_EQ(loc.find_exact("agents.researcher.role"), (Location{12, 5}));
  EXPECT_EQ(loc.find_exact("agents.researcher.tools[1]"), (Location{20, 24}));
  EXPECT_EQ(loc.find_exact("tasks.final_task.context[1]"), (Location{50, 30}));
  EXPECT_EQ(loc.find_exact("inputs.topic.type"), (Location{7, 11}));
  EXPECT_EQ(loc.find("agents.writer.llm"), (Location{28, 3})) << "falls back to the nearest ancestor";
  EXPECT_FALSE(loc.find("nothing.here"));
}

TEST(CrewParser, ColumnsCountCharactersNotBytes) {
  auto r = parse_ok("name: 한국어 크루\nagents: {연구원: {role: 역할, goal: g}}\ntasks: {}\n");
  EXPECT_EQ(r.spec->name, "한국어 크루");
  EXPECT_EQ(r.spec->locations.find_exact("agents.연구원.goal"), (Location{2, 26}));
  auto j = parse_ok("{\"name\": \"é\", \"agents\": {\"ü\": {\"role\": \"x\"}}}");
  EXPECT_EQ(j.spec->locations.find_exact("agents.ü.role"), (Location{1, 32}));
}

TEST(CrewParser, TypeErrorsHavePathsAndLeaveDefaults) {
  auto r = parse_crew(R"(name: x
process: parallel
agents:
  researcher:
    role: [not, text]
    goal: 42
    max_iter: "abc"
    max_rpm: 2.5
    max_execution_time: 99999999999
    tools: 5
    allow_delegation: "yes"
  writer:
    tools: [web_fetch, 3]
  broken: just text
tasks:
  t:
    context: research
    async_execution: 1
    output_json: [1]
inputs: [topic]
)");
  ASSERT_TRUE(r.spec) << "type errors still give a spec to validate";
  const auto& e = r.errors;
  EXPECT_TRUE(has(e, "process", "unknown process \"parallel\"; expected sequential or hierarchical"));
  EXPECT_TRUE(has(e, "agents.researcher.role", "expected text, got a list"));
  EXPECT_TRUE(has(e, "agents.researcher.goal", "expected text, got a number"));
  EXPECT_TRUE(has(e, "agents.researcher.max_iter", "expected a whole number, got text"));
  EXPECT_TRUE(has(e, "agents.researcher.max_rpm", "expected a whole number, got 2.5"));
  EXPECT_TRUE(has(e, "agents.researcher.max_execution_time", "number is out of range"));
  EXPECT_TRUE(has(e, "agents.researcher.tools", "expected a list of tool names, got a number"));
  EXPECT_TRUE(has(e, "agents.researcher.allow_delegation", "expected true or false, got text"));
  EXPECT_TRUE(has(e, "agents.writer.tools[1]", "expected a name, got a number"));
  EXPECT_TRUE(has(e, "agents.broken", "expected a mapping of agent settings, got text"));
  EXPECT_TRUE(has(e, "tasks.t.context", "expected a list of task names, got text"));
  EXPECT_TRUE(has(e, "tasks.t.async_execution", "expected true or false, got a number"));
  EXPECT_TRUE(has(e, "inputs", "expected a mapping of input name to settings, got a list; inputs are keyed by name"));
  EXPECT_EQ(e[0].location, (Location{2, 1}));

  const auto& a = r.spec->agents[0];
  EXPECT_EQ(a.max_iter, 25) << "bad values leave the default";
  EXPECT_FALSE(a.max_rpm);
  EXPECT_TRUE(a.tools.empty());
  EXPECT_EQ(r.spec->agents[1].tools, (std::vector<std::string>{"web_fetch"}));
  EXPECT_EQ(r.spec->agents.size(), 2u) << "`broken` is not an agent";
  EXPECT_EQ(r.spec->tasks[0].output_json, boost::json::parse("[1]")) << "kept; the validator reports it";
}

TEST(CrewParser, AcceptsWholeNumbersWrittenAsFloatsAndVerboseLevels) {
  auto r = parse_ok("verbose: 2\nagents: {a: {max_iter: 25.0, verbose: 0}}\ntasks: {}\n");
  EXPECT_TRUE(r.spec->verbose) << "CrewAI's old verbose levels";
  EXPECT_EQ(r.spec->agents[0].max_iter, 25);
  EXPECT_FALSE(r.spec->agents[0].verbose);
}

TEST(CrewParser, NullMeansAbsent) {
  auto r = parse_ok(R"(manager_llm: null
agents:
  a: {llm: ~, max_rpm: null, tools: null}
tasks:
  t: {agent: null, context: null, condition: null, output_json: null}
)");
  EXPECT_FALSE(r.spec->manager_llm);
  EXPECT_FALSE(r.spec->agents[0].llm);
  EXPECT_FALSE(r.spec->tasks[0].context) << "null context = absent = all prior outputs";
  EXPECT_FALSE(r.spec->tasks[0].output_json);
}

TEST(CrewParser, YamlCoreSchemaTypesPlainScalarsOnly) {
  auto r = parse_ok(R"(x-plain: [1, -2, 3.5, 1e3, true, False, ~, null, yes, on, 0x1F, .inf, 007]
x-quoted: ["1", 'true', "null"]
x-tagged: !!str 5
agents: {}
tasks: {}
)");
  EXPECT_EQ(r.spec->extra.at("x-plain"),
            boost::json::parse(R"([1, -2, 3.5, 1000.0, true, false, null, null, "yes", "on", "0x1F", ".inf", 7])"));
  EXPECT_EQ(r.spec->extra.at("x-quoted"), boost::json::parse(R"(["1", "true", "null"])"));
  EXPECT_EQ(r.spec->extra.at("x-tagged"), boost::json::value("5"));
}

TEST(CrewParser, UnknownKeysAreKeptAndTyposWarned) {
  auto r = parse_crew(R"(name: x
proces: sequential
agents:
  a:
    role: r
    goal: g
    backstroy: b
    Tools: [web_fetch]
    cache: true
    memory: true
    max_tokens: 100
tasks:
  t:
    description: d
    expected_ouput: e
    agents: a
    output_file: out.md
    markdown: true
inputs:
  topic: {typ: string}
)");
  ASSERT_TRUE(r.ok()) << test::dump(r.errors);
  const auto& w = r.warnings;
  EXPECT_TRUE(has(w, "proces", "unknown key \"proces\"; did you mean \"process\"? (kept as an extra field)"));
  EXPECT_TRUE(has(w, "agents.a.backstroy", "did you mean \"backstory\"?"));
  EXPECT_TRUE(has(w, "agents.a.Tools", "did you mean \"tools\"?"));
  EXPECT_TRUE(has(w, "tasks.t.expected_ouput", "did you mean \"expected_output\"?"));
  EXPECT_TRUE(has(w, "tasks.t.agents", "did you mean \"agent\"?"));
  EXPECT_TRUE(has(w, "inputs.topic.typ", "did you mean \"type\"?"));
  EXPECT_EQ(w.size(), 6u) << "CrewAI's own fields (cache, memory, max_tokens, output_file, markdown) are not typos:\n"
                          << test::dump(w);
  EXPECT_EQ(w[0].location, (Location{2, 1}));
  const auto& a = r.spec->agents[0];
  EXPECT_TRUE(a.backstory.empty());
  EXPECT_EQ(a.extra.at("backstroy"), boost::json::value("b"));
  EXPECT_EQ(a.extra.size(), 5u);
  EXPECT_EQ(r.spec->tasks[0].extra.at("output_file"), boost::json::value("out.md"));
  EXPECT_EQ(r.spec->extra.at("proces"), boost::json::value("sequential"));
}

TEST(CrewParser, OutputJsonNamingAPythonClassIsKeptWithAWarning) {
  auto r = parse_crew("agents: {}\ntasks:\n  t: {output_json: ReportModel, output_pydantic: Other}\n");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(has(r.warnings, "tasks.t.output_json", "\"ReportModel\" names a Python class (CrewAI)"));
  EXPECT_FALSE(r.spec->tasks[0].output_json);
  EXPECT_EQ(r.spec->tasks[0].extra.at("output_json"), boost::json::value("ReportModel"));
}

TEST(CrewParser, ManagerAgentByNameOrInline) {
  auto by_name = parse_ok("process: hierarchical\nmanager_agent: lead\nagents: {}\ntasks: {}\n");
  ASSERT_TRUE(by_name.spec->manager_agent);
  EXPECT_EQ(std::get<std::string>(*by_name.spec->manager_agent), "lead");

  auto inline_manager = parse_ok(R"(process: hierarchical
manager_agent:
  role: Project Manager
  goal: Coordinate the crew
  backstory: Experienced.
  allow_delegation: true
agents: {}
tasks: {}
)");
  const auto& m = std::get<AgentSpec>(*inline_manager.spec->manager_agent);
  EXPECT_EQ(m.name, "manager") << "default name";
  EXPECT_EQ(m.role, "Project Manager");
  EXPECT_TRUE(m.allow_delegation);

  auto named = parse_ok("manager_agent: {name: boss, role: r}\nagents: {}\ntasks: {}\n");
  EXPECT_EQ(std::get<AgentSpec>(*named.spec->manager_agent).name, "boss");

  auto bad = parse_crew("manager_agent: 5\nagents: {}\ntasks: {}\n");
  EXPECT_TRUE(has(bad.errors, "manager_agent", "expected an agent name or an agent definition, got a number"));
}

TEST(CrewParser, YamlSyntaxErrorHasLineAndColumn) {
  auto r = parse_crew("name: x\nagents:\n  a: [1, 2\ntasks: {}\n");
  EXPECT_FALSE(r.spec);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].path, "");
  EXPECT_NE(r.errors[0].message.find("YAML syntax error"), std::string::npos) << r.errors[0].message;
  ASSERT_TRUE(r.errors[0].location);
  EXPECT_GE(r.errors[0].location->line, 3);

  auto bad_indent = parse_crew("agents:\n  a: b\n    c: d\n");
  ASSERT_FALSE(bad_indent.spec);
  EXPECT_EQ(bad_indent.errors[0].location, (Location{3, 6}));
}

TEST(CrewParser, JsonSyntaxErrorHasLineAndColumn) {
  auto r = parse_crew("{\n  \"name\": \"x\",\n  \"agents\": {\"a\": {\"role\": tru}}\n}");
  EXPECT_FALSE(r.spec);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message, "JSON syntax error: unexpected character");
  EXPECT_EQ(r.errors[0].location, (Location{3, 28}));

  auto trailing = parse_crew("{\"name\": \"x\",}");
  EXPECT_EQ(trailing.errors[0].location, (Location{1, 14}));
  auto incomplete = parse_crew("{\"name\": \"x\"\n");
  EXPECT_EQ(incomplete.errors[0].message, "JSON syntax error: unexpected end of the document");
  EXPECT_EQ(incomplete.errors[0].location, (Location{2, 1}));
  auto extra = parse_crew("{} {}");
  EXPECT_EQ(extra.errors[0].message, "JSON syntax error: unexpected text after the end of the document");
}

TEST(CrewParser, DetectsJsonByFirstCharacterAndHonoursTheHint) {
  EXPECT_EQ(detect_format("  \n {\"a\": 1}"), Format::json);
  EXPECT_EQ(detect_format("\xEF\xBB\xBF{}"), Format::json);
  EXPECT_EQ(detect_format("name: x"), Format::yaml);
  EXPECT_EQ(detect_format("# {comment}\nname: x"), Format::yaml);
  // Flow YAML that starts with '{' but is not JSON: auto-detection says JSON and fails...
  EXPECT_FALSE(parse_crew("{name: x, agents: {}, tasks: {}}").spec);
  // ...and the YAML hint reads it.
  EXPECT_TRUE(parse_crew("{name: x, agents: {}, tasks: {}}", Format::yaml).ok());
  // JSON is YAML: the YAML reader takes it too.
  EXPECT_TRUE(parse_crew(R"({"name": "x", "agents": {}, "tasks": {}})", Format::yaml).ok());
}

TEST(CrewParser, JsonDocumentsReadLikeYaml) {
  auto yaml = parse_ok(k_full);
  auto json = parse_ok(R"({"name": "research-crew", "agents": {"researcher": {"role": "R", "max_iter": 10,
      "tools": ["web_fetch"], "extra_field": {"x": [1, 2]}}}, "tasks": {"t": {"context": [], "description": "d"}}})");
  const auto& a = json.spec->agents[0];
  EXPECT_EQ(a.max_iter, 10);
  EXPECT_EQ(a.extra.at("extra_field"), boost::json::parse(R"({"x": [1, 2]})"));
  EXPECT_EQ(json.spec->locations.find_exact("agents.researcher.tools[0]"), (Location{2, 17}));
  ASSERT_TRUE(json.spec->tasks[0].context);
}

TEST(CrewParser, DuplicateKeysAreErrors) {
  auto y = parse_crew("agents:\n  a: {role: x}\n  a: {role: y}\ntasks: {}\n");
  ASSERT_TRUE(y.spec);
  EXPECT_TRUE(has(y.errors, "agents.a", "duplicate key \"a\""));
  EXPECT_EQ(y.errors[0].location, (Location{3, 3}));
  EXPECT_EQ(y.spec->agents[0].role, "x") << "the first one is kept";

  auto j = parse_crew("{\"agents\": {\"a\": {\"role\": \"x\", \"role\": \"y\"}}, \"tasks\": {}}");
  ASSERT_TRUE(j.spec);
  EXPECT_TRUE(has(j.errors, "agents.a.role", "duplicate key \"role\""));
  EXPECT_EQ(j.errors[0].location, (Location{1, 32}));
}

TEST(CrewParser, RejectsWhatCannotBeACrew) {
  EXPECT_TRUE(has(parse_crew("").errors, "", "the document is empty"));
  EXPECT_TRUE(has(parse_crew("# just a comment\n").errors, "", "the document is empty"));
  EXPECT_TRUE(has(parse_crew("- a\n- b\n").errors, "", "a crew document must be a mapping"));
  EXPECT_TRUE(has(parse_crew("[1]").errors, "", "a crew document must be a mapping"));
  EXPECT_TRUE(has(parse_crew("a: 1\n---\nb: 2\n").errors, "", "a crew is one YAML document"));
  auto not_utf8 = parse_crew("name: \xff\xfe\n");
  EXPECT_FALSE(not_utf8.spec);
  EXPECT_TRUE(has(not_utf8.errors, "", "document is not valid UTF-8"));
  EXPECT_EQ(not_utf8.errors[0].location, (Location{1, 7}));
  auto control = parse_crew("name: a\x01z\n");
  EXPECT_TRUE(has(control.errors, "", "character U+0001 is not allowed in YAML"));
  auto not_utf8_json = parse_crew("{\"name\": \"\xff\"}");
  EXPECT_FALSE(not_utf8_json.spec);
  auto huge = parse_crew("{\"name\": 1e400, \"agents\": {}, \"tasks\": {}}");
  EXPECT_TRUE(has(huge.errors, "name", "number is out of range"));
}

TEST(CrewParser, ByteOrderMarkIsIgnored) {
  EXPECT_TRUE(parse_crew("\xEF\xBB\xBFname: x\nagents: {}\ntasks: {}\n").ok());
  EXPECT_TRUE(parse_crew("\xEF\xBB\xBF{\"name\": \"x\"}").ok());
}

TEST(CrewParser, AliasesExpandWithinLimits) {
  auto r = parse_ok(R"(x-shared: &text Shared backstory.
agents:
  a: {role: A, goal: G, backstory: *text}
  b: &b {role: B, goal: G, backstory: *text}
  c: *b
tasks: {}
)");
  EXPECT_EQ(r.spec->agents[0].backstory, "Shared backstory.");
  EXPECT_EQ(r.spec->agents[2].role, "B");

  // Ten levels of ten aliases each: 10^6 values once expanded ("billion laughs").
  std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 7; ++i) {
    auto prev = "*a" + std::to_string(i - 1);
    bomb += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) bomb += (k ? ", " : "") + prev;
    bomb += "]\n";
  }
  auto b = parse_crew(bomb);
  EXPECT_FALSE(b.spec);
  EXPECT_TRUE(has(b.errors, "", "document is too large once aliases are expanded"));

  auto recursive = parse_crew("x: &r [1, *r]\nagents: {}\ntasks: {}\n");
  EXPECT_TRUE(has(recursive.errors, "x[1]", "an alias cannot refer to a node that contains it"));
}

TEST(CrewParser, NestingDepthIsLimited) {
  std::string deep_yaml = "x: " + std::string(80, '[') + std::string(80, ']') + "\nagents: {}\ntasks: {}\n";
  auto y = parse_crew(deep_yaml);
  ASSERT_TRUE(y.spec);
  EXPECT_TRUE(has(y.errors, "x" + [] {
    std::string p;
    for (int i = 0; i < 63; ++i) p += "[0]";
    return p;
  }(), "nested more than 64 levels deep"));
  std::string deep_json = "{\"x\": " + std::string(80, '[') + std::string(80, ']') + "}";
  auto j = parse_crew(deep_json);
  EXPECT_FALSE(j.spec);
  EXPECT_TRUE(has(j.errors, "", "JSON syntax error: nested more than 64 levels deep"));
}

TEST(CrewParser, ComplexKeysAreRejected) {
  auto r = parse_crew("? [a, b]\n: 1\nagents: {}\ntasks: {}\n");
  ASSERT_TRUE(r.spec);
  EXPECT_TRUE(has(r.errors, "", "keys must be plain text, not lists or mappings"));
  EXPECT_TRUE(r.spec->extra.empty());
}

TEST(CrewParser, DocumentSizeIsLimited) {
  std::string big = "name: x\nx: \"" + std::string(k_max_document_bytes, 'a') + "\"\n";
  auto r = parse_crew(big);
  EXPECT_FALSE(r.spec);
  EXPECT_TRUE(has(r.errors, "", "document is larger than 2048 KiB"));
}

TEST(CrewParser, LongPathsFallBackToAncestorLocations) {
  std::string key(300, 'k');
  auto r = parse_ok("x:\n  " + key + ": {deeper: 1}\nagents: {}\ntasks: {}\n");
  EXPECT_FALSE(r.spec->locations.find_exact("x." + key)) << "too long to record";
  EXPECT_EQ(r.spec->locations.find("x." + key + ".deeper"), (Location{1, 1}));
}

TEST(CrewParser, JsonFloatsAreReadExactly) {
  // Boost.JSON 1.81 parses some of these one unit in the last place off; the reader fixes
  // them so a document equals itself after a round trip.
  std::string json = R"({"agents": {}, "tasks": {}, "x": [)";
  std::vector<double> values;
  for (int i = 0; i < 500; ++i) {
    double v = std::ldexp(1.0 + (i * 7919 % 1000) / 1000.0 + i * 1e-9, (i % 120) - 60);
    values.push_back(v);
    char buf[64];
    auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
    json += (i ? ", " : "") + std::string(buf, end);
  }
  json += R"(], "big": 2.222222222222222E46})";
  auto r = parse_ok(json);
  const auto& x = r.spec->extra.at("x").as_array();
  ASSERT_EQ(x.size(), values.size());
  for (std::size_t i = 0; i < values.size(); ++i) EXPECT_EQ(x[i].to_number<double>(), values[i]) << i;
  EXPECT_EQ(r.spec->extra.at("big").as_double(), 2.222222222222222E46);
}
