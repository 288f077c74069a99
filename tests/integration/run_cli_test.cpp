// `aop run`: a crew file run in the CLI process with the simulated provider — the live view,
// JSON-lines events, exit codes. (Runs once per database like every integration test; it
// needs none.)
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <boost/json.hpp>

#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

namespace aop::test {
namespace {

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

}  // namespace
}  // namespace aop::test
