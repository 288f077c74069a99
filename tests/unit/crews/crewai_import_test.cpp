// A CrewAI project's config files import unchanged and export back to the same spec.
#include <gtest/gtest.h>

#include "crews/crew_check.hpp"
#include "crews/crew_inputs.hpp"
#include "crews/crew_writer.hpp"
#include "crew_test_support.hpp"

using namespace aop::crews;
using aop::crews::test::has;
using aop::crews::test::none;

namespace {

struct Project {
  std::string agents = test::read_source_file("tests/fixtures/crewai/research_crew/config/agents.yaml");
  std::string tasks = test::read_source_file("tests/fixtures/crewai/research_crew/config/tasks.yaml");
};

}  // namespace

TEST(CrewAiImport, ResearchCrewImportsWithoutProblems) {
  Project p;
  ASSERT_FALSE(p.agents.empty());
  ASSERT_FALSE(p.tasks.empty());
  auto check = check_crewai_pair(p.agents, p.tasks, "research_crew");
  ASSERT_TRUE(check.spec);
  EXPECT_TRUE(none(check.errors));
  EXPECT_TRUE(none(check.warnings));

  const CrewSpec& c = *check.spec;
  EXPECT_EQ(c.name, "research_crew");
  EXPECT_EQ(c.process, Process::sequential);
  ASSERT_EQ(c.agents.size(), 2u);
  EXPECT_EQ(c.agents[0].name, "researcher");
  EXPECT_EQ(c.agents[0].role, "{topic} Lead Research Analyst\n");
  EXPECT_EQ(c.agents[0].goal,
            "Find the newest and most significant work on {topic} and separate real progress from hype\n");
  EXPECT_TRUE(c.agents[1].verbose);
  ASSERT_EQ(c.tasks.size(), 2u);
  EXPECT_EQ(c.tasks[0].name, "research_task");
  EXPECT_EQ(c.tasks[0].agent, "researcher");
  EXPECT_FALSE(c.tasks[1].context) << "CrewAI passes all earlier outputs";
  EXPECT_EQ(c.tasks[1].extra.at("output_file"), boost::json::value("report.md"));
  EXPECT_EQ(referenced_inputs(c), (std::vector<std::string>{"topic", "current_year"}));
}

TEST(CrewAiImport, LocationsNameTheFileThroughThePathPrefix) {
  Project p;
  auto r = parse_crewai_pair(p.agents, p.tasks, "research_crew");
  ASSERT_TRUE(r.spec);
  EXPECT_EQ(r.spec->locations.find_exact("agents.reporting_analyst"), (Location{14, 1}));
  EXPECT_EQ(r.spec->locations.find_exact("tasks.reporting_task.output_file"), (Location{16, 3}));
}

TEST(CrewAiImport, ErrorsPointIntoTheRightFile) {
  auto r = check_crewai_pair("writer:\n  role: W\n  goal: G\n  backstory: B\n",
                             "write:\n  description: d\n  expected_output: e\n  agent: writr\n", "c");
  EXPECT_TRUE(has(r.errors, "tasks.write.agent", "unknown agent \"writr\""));
  EXPECT_EQ(r.errors[0].location, (Location{4, 3}));

  auto syntax = parse_crewai_pair("a: [\n", "t: {}\n", "c");
  EXPECT_FALSE(syntax.spec);
  EXPECT_EQ(syntax.errors[0].path, "agents");
  auto wrong_shape = parse_crewai_pair("- researcher\n", "{}", "c");
  EXPECT_TRUE(has(wrong_shape.errors, "agents", "agents are keyed by name"));
}

TEST(CrewAiImport, EmptyFilesGiveAnEmptyCrew) {
  auto r = check_crewai_pair("", "# nothing yet\n", "empty");
  ASSERT_TRUE(r.spec);
  EXPECT_TRUE(has(r.errors, "agents", "a crew needs at least one agent"));
  EXPECT_TRUE(has(r.errors, "tasks", "a crew needs at least one task"));
}

TEST(CrewAiImport, ExportGivesBackTheSameSpec) {
  Project p;
  auto original = parse_crewai_pair(p.agents, p.tasks, "research_crew");
  ASSERT_TRUE(original.ok());
  auto pair = to_crewai(*original.spec);
  EXPECT_TRUE(pair.not_exported.empty());
  auto again = parse_crewai_pair(pair.agents_yaml, pair.tasks_yaml, "research_crew");
  ASSERT_TRUE(again.ok()) << test::dump(again.errors);
  EXPECT_EQ(*again.spec, *original.spec);
  EXPECT_NE(pair.agents_yaml.find("# Exported by AOP from crew \"research_crew\"."), std::string::npos);
  EXPECT_NE(pair.agents_yaml.find("researcher:\n  role: |\n    {topic} Lead Research Analyst\n"), std::string::npos)
      << pair.agents_yaml;
  EXPECT_NE(pair.tasks_yaml.find("  output_file: report.md\n"), std::string::npos) << pair.tasks_yaml;
}

TEST(CrewAiImport, ExportListsWhatCrewAiYamlCannotHold) {
  auto r = parse_crew(R"(name: c
description: d
process: hierarchical
manager_llm: openai/gpt-4o
inputs: {topic: {}}
max_rpm: 10
memory: true
agents: {a: {role: r, goal: g, backstory: b}}
tasks:
  t1: {description: d, expected_output: e, agent: a, output_json: {type: object}, max_retry_limit: 1}
  t2: {description: d, expected_output: e, condition: "tasks.t1.json.ok"}
)");
  ASSERT_TRUE(r.ok()) << test::dump(r.errors);
  auto pair = to_crewai(*r.spec);
  EXPECT_EQ(pair.not_exported,
            (std::vector<std::string>{"description", "process", "manager_llm", "inputs", "max_rpm", "memory",
                                      "tasks.t1.output_json", "tasks.t1.max_retry_limit", "tasks.t2.condition"}));
  EXPECT_EQ(pair.tasks_yaml.find("condition"), std::string::npos);
  EXPECT_EQ(pair.tasks_yaml.find("output_json"), std::string::npos);
}
