// `aop run`: a crew file run in the CLI process with the simulated provider — the live view,
// JSON-lines events, exit codes. (Runs once per database like every integration test; it
// needs none.)
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <boost/json.hpp>

#include "fixtures/fake_llm_server.hpp"
#include "fixtures/webhook_test_server.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

namespace aop::test {
namespace {

namespace json = boost::json;

std::string demo(const std::string& file) { return (source_dir() / "src/crews/demo" / file).string(); }

TEST(RunCli, RunsADemoCrewWithALiveViewAndASummary) {
  auto r = run_aop({"run", demo("review_escalation.yaml"), "-i", "review=It broke after one day", "-i", "product=Kettle"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  for (const char* expected : {"==> Task analyse_review", "==> Task public_answer", "(simulated)",
                               "Execution completed"})
    EXPECT_NE(r.stdout_text.find(expected), std::string::npos) << expected << "\n" << r.describe();
  // The closing table names every task with its status.
  EXPECT_NE(r.stderr_text.find("analyse_review"), std::string::npos) << r.describe();
  EXPECT_NE(r.stderr_text.find("completed"), std::string::npos) << r.describe();
}

// Every shipped demo crew runs to the end offline: the simulated model calls the builtin tools
// with schema-valid arguments (web_search without a key answers with an explanatory error,
// which the agent sees as an observation) and the hierarchical crew delegates.
TEST(RunCli, EveryDemoCrewRunsToTheEndOnTheSimulatedProvider) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> demos = {
      {"research_and_write.yaml", {"-i", "topic=heat pumps"}},
      {"support_triage.yaml", {"-i", "ticket=I was charged twice this month"}},
      {"review_escalation.yaml", {"-i", "review=Broke after a day", "-i", "product=Kettle"}}};
  for (const auto& [file, inputs] : demos) {
    std::vector<std::string> args = {"run", demo(file), "--json"};
    args.insert(args.end(), inputs.begin(), inputs.end());
    auto r = run_aop(args, {{"AOP_SEARCH_API_KEY", ""}, {"BRAVE_API_KEY", ""}});
    ASSERT_EQ(r.exit_code, 0) << file << "\n" << r.describe();
    EXPECT_NE(r.stdout_text.find("\"status\":\"completed\""), std::string::npos) << file;
    if (file != "review_escalation.yaml") {  // the only demo whose agents have no tools
      EXPECT_NE(r.stdout_text.find("\"type\":\"tool_call\""), std::string::npos) << file << ": no tool was used";
    }
  }
}

TEST(RunCli, JsonModePrintsOnlyEventLinesInOrder) {
  auto r = run_aop({"run", demo("review_escalation.yaml"), "--input", "review=Great", "--input", "product=Kettle", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  std::istringstream lines(r.stdout_text);
  std::string line;
  std::vector<boost::json::object> events;
  while (std::getline(lines, line)) {
    boost::system::error_code ec;
    auto v = boost::json::parse(line, ec);
    ASSERT_FALSE(ec) << "not a JSON line: " << line;
    events.push_back(v.as_object());
  }
  ASSERT_GE(events.size(), 8u);
  EXPECT_EQ(events.front().at("type"), "execution_started");
  EXPECT_EQ(events.back().at("type"), "execution_completed");
  EXPECT_EQ(events.back().at("data").at("status"), "completed");
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].at("seq").as_int64(), static_cast<std::int64_t>(i + 1));
    for (const char* key : {"ts", "execution_id", "trace_id", "parent_trace_id", "data"})
      EXPECT_TRUE(events[i].contains(key)) << key << " missing in " << boost::json::serialize(events[i]);
  }
}

TEST(RunCli, ExitCodesSayWhatWentWrong) {
  // A required input is missing: the run fails (1) and says which.
  auto missing = run_aop({"run", demo("review_escalation.yaml"), "-i", "product=Kettle"});
  EXPECT_EQ(missing.exit_code, 1) << missing.describe();
  EXPECT_NE(missing.stdout_text.find("\"review\" is required"), std::string::npos) << missing.describe();
  // A crew that cannot run as written: 2, with the path of the problem.
  TempDir dir("aop-run-");
  auto bad = dir / "bad.yaml";
  std::ofstream(bad) << "name: bad\nagents:\n  a: {role: R, goal: G, backstory: B}\ntasks:\n  t: {description: D, "
                        "expected_output: O, agent: nobody}\n";
  auto invalid = run_aop({"run", bad.string()});
  EXPECT_EQ(invalid.exit_code, 2) << invalid.describe();
  EXPECT_NE(invalid.stderr_text.find("tasks.t.agent"), std::string::npos) << invalid.describe();
  EXPECT_EQ(run_aop({"run", (dir / "nothing-here").string()}).exit_code, 2);
  // A provider this build cannot reach fails the run with a clear message, not a crash.
  auto real = run_aop({"run", demo("review_escalation.yaml"), "-i", "review=x", "-i", "product=y", "--model",
                       "nosuchprovider/model-x"});
  EXPECT_NE(real.exit_code, 0) << real.describe();
}

// The same demo crew against fake OpenAI and Anthropic servers speaking the real wire
// formats: three calls, the JSON answer drives the condition, the key goes where it should.
void script_review_crew(FakeLlmServer& fake) {
  fake.enqueue(FakeReply::text(R"({"sentiment": "negative", "score": 1, "issues": ["broke after a day"]})", 3));
  fake.enqueue(FakeReply::text("Escalation: call the customer today and offer a replacement.", 4));
  fake.enqueue(FakeReply::text("We are sorry the kettle failed; a replacement is on its way.", 4));
}

TEST(RunCli, RunsAgainstAFakeOpenAiServer) {
  FakeLlmServer fake;
  script_review_crew(fake);
  auto r = run_aop({"run", demo("review_escalation.yaml"), "-i", "review=Broke after a day", "-i", "product=Kettle",
                    "--model", "openai/gpt-4o-mini"},
                   {{"OPENAI_BASE_URL", fake.openai_url()}, {"OPENAI_API_KEY", "sk-test-fake"}});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  auto requests = fake.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].header("authorization"), "Bearer sk-test-fake");
  EXPECT_EQ(requests[0].json.at("model"), "gpt-4o-mini");
  EXPECT_NE(r.stdout_text.find("Escalation: call the customer"), std::string::npos) << "the condition held (score 1)";
  EXPECT_EQ(r.stdout_text.find("(simulated)"), std::string::npos);
}

TEST(RunCli, RunsAgainstAFakeAnthropicServer) {
  FakeLlmServer fake;
  script_review_crew(fake);
  auto r = run_aop({"run", demo("review_escalation.yaml"), "-i", "review=Broke", "-i", "product=Kettle", "--model",
                    "anthropic/claude-3-5-haiku-20241022", "--json"},
                   {{"ANTHROPIC_BASE_URL", fake.url()}, {"ANTHROPIC_API_KEY", "sk-ant-fake"}});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  auto requests = fake.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].header("x-api-key"), "sk-ant-fake");
  EXPECT_EQ(requests[0].target, "/v1/messages");
  EXPECT_NE(r.stdout_text.find("\"type\":\"execution_completed\""), std::string::npos);
}

TEST(RunCli, TheResearchDemoRunsAgainstAFakeOpenAiServerWithItsToolsOffered) {
  FakeLlmServer fake;
  fake.enqueue(FakeReply::text("- Rust 2024 edition shipped (source: blog.rust-lang.org)", 3));
  fake.enqueue(FakeReply::text("# Rust report\n\n## The 2024 edition\nIt shipped.", 3));
  auto r = run_aop({"run", demo("research_and_write.yaml"), "-i", "topic=Rust", "--model", "openai/gpt-4o-mini"},
                   {{"OPENAI_BASE_URL", fake.openai_url()}, {"OPENAI_API_KEY", "sk-test-fake"}});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  auto requests = fake.requests();
  ASSERT_EQ(requests.size(), 2u);
  // The researcher is offered its two tools natively; the analyst has none and sees the research.
  std::vector<std::string> offered;
  for (const auto& tool : requests[0].json.at("tools").as_array())
    offered.emplace_back(tool.at("function").at("name").as_string());
  EXPECT_EQ(offered, (std::vector<std::string>{"web_search", "web_fetch"}));
  EXPECT_EQ(requests[1].json.as_object().if_contains("tools"), nullptr);
  EXPECT_NE(requests[1].body.find("Rust 2024 edition shipped"), std::string::npos) << "task context was passed on";
  EXPECT_NE(r.stdout_text.find("The 2024 edition"), std::string::npos) << r.stdout_text;
}

TEST(RunCli, TheHierarchicalDemoDelegatesThroughAFakeAnthropicServer) {
  FakeLlmServer fake;
  // Each of the three tasks: the manager delegates, the coworker answers, the manager concludes.
  const std::vector<std::pair<std::string, std::string>> steps = {
      {"Billing Specialist", "Billing: the customer was charged twice for March."},
      {"Billing Specialist", "Refund the duplicate charge of $49 under the double-billing rule."},
      {"Customer Communications Writer", "Dear customer, we refunded the duplicate $49 charge."}};
  int n = 0;
  for (const auto& [coworker, answer] : steps) {
    ++n;
    json::object args{{"task", "Handle step " + std::to_string(n)}, {"context", "Charged twice"}, {"coworker", coworker}};
    fake.enqueue(FakeReply::tools({{"toolu_" + std::to_string(n), "delegate_work_to_coworker",
                                    {json::serialize(args).substr(0, 10), json::serialize(args).substr(10)}}}));
    fake.enqueue(FakeReply::text("From the " + coworker + ": " + answer, 2));
    fake.enqueue(FakeReply::text(answer, 2));
  }
  auto r = run_aop({"run", demo("support_triage.yaml"), "-i", "ticket=I was charged twice in March", "--model",
                    "anthropic/claude-3-5-haiku-20241022", "--json"},
                   {{"ANTHROPIC_BASE_URL", fake.url()}, {"ANTHROPIC_API_KEY", "sk-ant-fake"}});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  auto requests = fake.requests();
  ASSERT_EQ(requests.size(), 9u);
  // The manager is offered the two delegation tools; the delegated request is the coworker's own.
  std::vector<std::string> offered;
  for (const auto& tool : requests[0].json.at("tools").as_array()) offered.emplace_back(tool.at("name").as_string());
  EXPECT_EQ(offered, (std::vector<std::string>{"delegate_work_to_coworker", "ask_question_to_coworker"}));
  EXPECT_NE(json::serialize(requests[1].json.at("system")).find("Billing Specialist"), std::string::npos);
  EXPECT_NE(requests[1].body.find("Handle step 1"), std::string::npos);
  // The manager's next turn carries the coworker's answer as the tool result.
  EXPECT_NE(requests[2].body.find("tool_result"), std::string::npos);
  EXPECT_NE(requests[2].body.find("charged twice for March"), std::string::npos);
  EXPECT_NE(r.stdout_text.find("\"type\":\"execution_completed\""), std::string::npos);
  EXPECT_NE(r.stdout_text.find("we refunded the duplicate $49 charge"), std::string::npos);
}

// Hooks in `aop run`: webhooks reach loopback only when the tools may
// (AOP_TOOLS_ALLOW_PRIVATE_NETWORKS), commands run unless AOP_HOOKS_ALLOW_COMMANDS=false.
TEST(RunCli, HooksFollowTheEnvironment) {
  WebhookTestServer receiver;
  TempDir dir("aop-run-hooks-");
  auto crew = dir / "hooked.yaml";
  write_file(crew, R"(name: hooked
agents:
  a: {role: Clerk, goal: File things, backstory: Careful}
tasks:
  t: {description: File the report, expected_output: A receipt, agent: a}
hooks:
  - name: notify
    on: after_task
    webhook: {url: ")" + receiver.url("/done") + R"("}
  - name: gate
    on: before_task
    command: {argv: [/bin/sh, -c, "cat >/dev/null; echo '{\"action\":\"abort\",\"reason\":\"closed today\"}'"]}
)");
  auto aborted = run_aop({"run", crew.string(), "--json"}, {{"AOP_TOOLS_ALLOW_PRIVATE_NETWORKS", "true"}});
  EXPECT_EQ(aborted.exit_code, 1) << aborted.describe();
  EXPECT_NE(aborted.stdout_text.find("\"error_type\":\"hook_aborted\""), std::string::npos) << aborted.describe();
  EXPECT_NE(aborted.stdout_text.find("closed today"), std::string::npos) << aborted.describe();
  EXPECT_TRUE(receiver.requests().empty()) << "the task never completed";

  auto completed = run_aop({"run", crew.string(), "--json"},
                           {{"AOP_TOOLS_ALLOW_PRIVATE_NETWORKS", "true"}, {"AOP_HOOKS_ALLOW_COMMANDS", "false"}});
  ASSERT_EQ(completed.exit_code, 0) << completed.describe();
  EXPECT_NE(completed.stdout_text.find("command hooks are turned off"), std::string::npos) << completed.describe();
  auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].json.at("type"), "task_completed");
  EXPECT_EQ(requests[0].json.at("hook").at("name"), "notify");

  auto refused = run_aop({"run", crew.string(), "--json"},
                         {{"AOP_TOOLS_ALLOW_PRIVATE_NETWORKS", "false"}, {"AOP_HOOKS_ALLOW_COMMANDS", "false"}});
  ASSERT_EQ(refused.exit_code, 0) << refused.describe();
  EXPECT_NE(refused.stdout_text.find("loopback address"), std::string::npos) << refused.describe();
  EXPECT_EQ(receiver.requests().size(), 1u) << "loopback is refused by default";
}

}  // namespace
}  // namespace aop::test
