#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "crews/crew_inputs.hpp"
#include "crews/crew_parser.hpp"
#include "crews/crew_writer.hpp"
#include "crews/yaml_writer.hpp"
#include "crew_test_support.hpp"

using namespace aop::crews;

namespace {

const char* k_crew = R"(name: research-crew
description: Research a topic and write a report
process: hierarchical
llm: openai/gpt-4o-mini
manager_agent:
  name: boss
  role: Lead
  goal: Coordinate
  backstory: |
    Ran many teams.
inputs:
  topic: {type: string, description: Subject}
  depth: {type: integer, default: 3}
  strict: {type: boolean, default: false, required: true}
  tags: {type: array, x-ui: chips}
agents:
  researcher:
    role: "{topic} Senior Data Researcher"
    goal: >
      Uncover cutting-edge developments in {topic}
    backstory: "Two lines,\nno trailing break"
    llm: ollama/llama3.1
    tools: [web_fetch, http_request]
    allow_delegation: true
    max_iter: 10
    max_rpm: 30
    max_execution_time: 120
    max_retry_limit: 0
    verbose: true
    cache: false
    name: shadowed
tasks:
  research_task:
    description: |
      Research {topic}.
        Indented line.

      After a blank line.
    expected_output: "  leading blanks"
    agent: researcher
    output_json:
      type: object
      properties: {score: {type: number, minimum: 0.5}}
      required: [score]
    async_execution: true
    human_input: true
    max_retry_limit: 1
    output_file: notes.md
  write_task:
    description: "true"
    expected_output: "123"
    context: []
    condition: "tasks.research_task.json.score > 0.5 && inputs.topic != 'x: y'"
  final_task:
    description: "null"
    expected_output: "#hash: and - dash"
    context: [research_task, write_task]
    output_json: Pydantic
verbose: true
max_rpm: 100
max_execution_time: 3600
hooks: [{on: after_task, webhook: {url: "https://example.com/hook", headers: null}}]
memory: true
x-numbers: [0, -1, 2.5, 1.0e+20, 18446744073709551615, -9223372036854775808, 1e-7]
x-strings: ["", " ", "~", "null", "True", "1.5", "0x1F", ".inf", "- item", "a: b", "{x}", "[y]", "'q'", "\"dq\"", "tab\there", "é ü 한", "\u2028", "\u0085", "\ufeff", "\x7f", "\ufdd0", "ends with space ", "multi\nline\n\n", "\n", "trailing\n"]
)";

CrewSpec parsed(std::string_view text) {
  auto r = parse_crew(text);
  EXPECT_TRUE(r.spec) << test::dump(r.errors);
  return r.spec.value_or(CrewSpec{});
}

}  // namespace

TEST(CrewWriter, YamlRoundTrip) {
  auto spec = parsed(k_crew);
  auto yaml = to_yaml(spec);
  auto again = parse_crew(yaml, Format::yaml);
  ASSERT_TRUE(again.spec) << test::dump(again.errors) << yaml;
  EXPECT_EQ(*again.spec, spec) << yaml;
  EXPECT_EQ(to_yaml(*again.spec), yaml) << "stable";
}

TEST(CrewWriter, JsonRoundTrip) {
  auto spec = parsed(k_crew);
  auto json = boost::json::serialize(to_json(spec));
  auto again = parse_crew(json);
  ASSERT_TRUE(again.spec) << test::dump(again.errors) << json;
  EXPECT_EQ(*again.spec, spec) << json;
}

TEST(CrewWriter, RoundTripsKeepExtrasEverywhere) {
  auto spec = parsed(k_crew);
  auto again = *parse_crew(to_yaml(spec)).spec;
  EXPECT_EQ(again.extra.at("memory"), boost::json::value(true));
  EXPECT_EQ(again.agents[0].extra.at("cache"), boost::json::value(false));
  EXPECT_EQ(again.agents[0].extra.at("name"), boost::json::value("shadowed"));
  EXPECT_EQ(again.tasks[0].extra.at("output_file"), boost::json::value("notes.md"));
  EXPECT_EQ(again.tasks[2].extra.at("output_json"), boost::json::value("Pydantic"));
  EXPECT_EQ(again.inputs[3].extra.at("x-ui"), boost::json::value("chips"));
}

TEST(CrewWriter, JsonHasKnownKeysInOrderAndOmitsDefaults) {
  auto spec = parsed("name: c\nagents:\n  a: {role: r, goal: g, backstory: b}\n"
                     "tasks:\n  t: {description: d, expected_output: e, agent: a}\nzzz: 1\n");
  EXPECT_EQ(boost::json::serialize(to_json(spec)),
            R"({"name":"c","process":"sequential","agents":{"a":{"role":"r","goal":"g","backstory":"b"}},)"
            R"("tasks":{"t":{"description":"d","expected_output":"e","agent":"a"}},"zzz":1})");
}

TEST(CrewWriter, YamlIsReadable) {
  auto spec = parsed(k_crew);
  auto yaml = to_yaml(spec);
  EXPECT_NE(yaml.find("name: research-crew\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("    tools: [web_fetch, http_request]\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("    goal: |\n      Uncover cutting-edge developments in {topic}\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("    role: \"{topic} Senior Data Researcher\"\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("    context: []\n"), std::string::npos) << "empty context is kept:\n" << yaml;
  EXPECT_NE(yaml.find("    description: \"true\"\n"), std::string::npos) << "text that reads as a boolean is quoted";
  EXPECT_NE(yaml.find("    expected_output: \"123\"\n"), std::string::npos);
  EXPECT_EQ(yaml.find("max_iter: 25"), std::string::npos) << "defaults are not written";
}

TEST(CrewWriter, ScalarStylesReadBackExactly) {
  for (const char* s : {"", " ", "a", "true", "NULL", "~", "12", "-1.5e3", "1_000", "yes", "- x", "? x", ": x", "a: b",
                        "a #b", "#c", "!tag", "&anchor", "*alias", "|", ">", "%", "@", "`", "'", "\"", "[", "]",
                        "{", "}", ",", "a,b", "x\ty", "\t", " lead", "trail ", "line\n", "two\nlines\n", "a\nb",
                        "a\n\nb\n", "a\n  b\n", " a\nb\n", "a\n \nb\n", "a\r\nb", "\n", "\n\n", "x\n\n",
                        "\xc2\x85", "\xe2\x80\xa8", "\xef\xbb\xbf", "\x7f", "\x01", "\xef\xb7\x90", "\xef\xbf\xbe",
                        "\xf0\x9f\x98\x80 emoji", "---", "...", "--- x", "=", "<<"}) {
    boost::json::object o;
    o["k"] = s;
    o[s] = "as a key";
    auto yaml = write_yaml(o);
    auto r = parse_crew(yaml, Format::yaml);
    ASSERT_TRUE(r.spec) << "text: [" << s << "]\n" << yaml << test::dump(r.errors);
    EXPECT_EQ(r.spec->extra.at("k"), boost::json::value(s)) << "[" << s << "]\n" << yaml;
    EXPECT_EQ(r.spec->extra.size(), 2u);
    EXPECT_EQ(r.spec->extra.at(s), boost::json::value("as a key")) << "[" << s << "]\n" << yaml;
  }
}

TEST(CrewWriter, LongKeysReadBackWhateverTheirEscapes) {
  // YAML caps an implicit key at 1024 characters as written, so escapes count: 300 control
  // characters are 1200 once written as \x01.
  for (const std::string& key : {std::string(300, '\x01'), std::string(600, '"'), std::string(1024, 'k'),
                                 std::string(3000, 'k')}) {
    boost::json::object o;
    o[key] = "v";
    o["after"] = "w";
    auto yaml = write_yaml(o);
    auto r = parse_crew(yaml, Format::yaml);
    ASSERT_TRUE(r.spec) << key.size() << test::dump(r.errors);
    EXPECT_EQ(r.spec->extra.at(key), boost::json::value("v")) << key.size();
    EXPECT_EQ(r.spec->extra.at("after"), boost::json::value("w")) << key.size();
  }
}

TEST(CrewWriter, NumbersKeepTheirKind) {
  boost::json::object o;
  o["k"] = boost::json::parse(R"([0, -7, 1.0, 0.1, 2.5e-10, 1e300, 9223372036854775807, 18446744073709551615, -0.0])");
  auto r = parse_crew(write_yaml(o), Format::yaml);
  ASSERT_TRUE(r.spec);
  EXPECT_EQ(r.spec->extra.at("k"), o["k"]) << write_yaml(o);
  EXPECT_TRUE(r.spec->extra.at("k").as_array()[2].is_double()) << "1.0 stays a float";
}

TEST(CrewWriter, ImplicitInputsExportAsDeclared) {
  auto spec = parsed("name: c\nagents: {a: {role: '{x}', goal: g, backstory: b}}\ntasks: {t: {description: d, expected_output: e}}\n");
  add_implicit_inputs(spec);
  auto again = parsed(to_yaml(spec));
  ASSERT_EQ(again.inputs.size(), 1u);
  EXPECT_EQ(again.inputs[0].name, "x");
  EXPECT_EQ(again, spec);
}
