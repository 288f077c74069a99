// Traces, logs and metrics of executions over HTTP: a crew run on the simulated LLM, then its
// span tree, its log lines (levels, search, paging, bad parameters), its metrics against its
// events and its row, team scoping, and the trace of a run interrupted by kill -9.
// Runs once per database (AOP_TEST_DB=sqlite|postgres).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/clock.hpp"
#include "support/identity.hpp"
#include "support/sse_client.hpp"

namespace aop::test {
namespace {

// Two agents, three tasks on the simulated model; the researcher has the calculator, which the
// simulated model calls once before answering.
const char* k_traced_crew = R"({
  "name": "traced-crew",
  "agents": {
    "researcher": {"role": "Researcher", "goal": "Find facts", "backstory": "Careful.", "llm": "simulated/default",
                   "tools": ["calculator"]},
    "writer": {"role": "Writer", "goal": "Write", "backstory": "Clear.", "llm": "simulated/default"}
  },
  "tasks": {
    "research": {"description": "Research {topic}", "expected_output": "Facts", "agent": "researcher"},
    "outline": {"description": "Outline the facts", "expected_output": "An outline", "agent": "writer"},
    "write": {"description": "Write about {topic}", "expected_output": "A text", "agent": "writer"}
  }
})";

// Two tasks that log a warning (human_input is not supported yet), then one whose model has no
// connection: the run fails there with an `error` event.
const char* k_logging_crew = R"({
  "name": "logging-crew",
  "agents": {
    "sim": {"role": "Sim", "goal": "Answer", "backstory": "B.", "llm": "simulated/default"},
    "remote": {"role": "Remote", "goal": "Answer", "backstory": "B.", "llm": "anthropic/claude-3-5-haiku-latest"}
  },
  "tasks": {
    "first": {"description": "One about {topic}", "expected_output": "O", "agent": "sim", "human_input": true},
    "second": {"description": "Two", "expected_output": "O", "agent": "sim", "human_input": true},
    "third": {"description": "Three", "expected_output": "O", "agent": "remote"}
  }
})";

struct World {
  explicit World(std::vector<std::string> extra = {}, EnvVars env = {})
      : server(options(std::move(extra), std::move(env))), api(server) {
    admin = register_account(api, "obs-admin@example.com", "obs-admin-password");
    team = first_team_id(api, admin.access_token);
  }
  static ServerOptions options(std::vector<std::string> extra, EnvVars env) {
    std::vector<std::string> args = {"--user-rate-limit", "0"};
    args.insert(args.end(), extra.begin(), extra.end());
    return ServerOptions::with_args(args, std::move(env));
  }
  Headers auth() const { return bearer_in_team(admin.access_token, team); }

  std::string crew(const char* config) {
    auto r = api.post("/api/crews", json::object{{"name", "obs crew"}, {"config", json::parse(config)}}, auth());
    auto id = str(expect_status(r, 201, "create crew").json(), "id");
    expect_status(api.post("/api/crews/" + id + "/deploy", json::object{}, auth()), 201, "deploy");
    return id;
  }
  std::string run(const std::string& crew_id) {
    auto r = api.post("/api/crews/" + crew_id + "/run", json::object{{"inputs", {{"topic", "rust"}}}}, auth());
    return str(expect_status(r, 202, "run crew").json(), "execution_id");
  }
  json::value get(const std::string& target) { return expect_status(api.get(target, auth()), 200, target).json(); }
  json::value wait_for(const std::string& id, const std::string& status = {}) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (true) {
      auto e = get("/api/executions/" + id);
      auto s = str(e, "status");
      bool finished = s == "completed" || s == "failed" || s == "cancelled";
      if (status.empty() ? finished : s == status) return e;
      if (std::chrono::steady_clock::now() > deadline) throw HarnessError("execution " + id + " is still " + s);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  // The stored events, from the stream's replay.
  std::vector<json::object> events(const std::string& id) {
    auto r = http_stream(server.port(), "/api/executions/" + id + "/stream", auth(), std::chrono::seconds(20));
    if (r.status != 200) throw HarnessError("stream answered " + std::to_string(r.status));
    std::vector<json::object> out;
    for (const auto& m : parse_sse(r.body)) out.push_back(json::parse(m.data).as_object());
    return out;
  }

  ServerProcess server;
  ApiClient api;
  Account admin;
  std::string team;
};

std::vector<json::object> spans_of(const json::value& trace) {
  std::vector<json::object> out;
  for (const auto& s : trace.at("spans").as_array()) out.push_back(s.as_object());
  return out;
}

std::int64_t ms_of(const json::value& iso) {
  std::int64_t ms = 0;
  if (!core::parse_iso8601(iso.as_string(), ms)) throw HarnessError("not ISO 8601: " + json::serialize(iso));
  return ms;
}

std::string type_of(const json::object& event) { return std::string(event.at("type").as_string()); }

// ---- traces ------------------------------------------------------------------------------------

TEST(Observability, TraceOfACompletedRunIsCrewTaskAgentCallTree) {
  World w;
  auto id = w.run(w.crew(k_traced_crew));
  auto execution = w.wait_for(id);
  ASSERT_EQ(str(execution, "status"), "completed");
  auto events = w.events(id);
  auto trace = w.get("/api/executions/" + id + "/traces");
  EXPECT_EQ(str(trace, "execution_id"), id);
  auto spans = spans_of(trace);

  std::map<std::string, json::object> by_id;
  std::map<std::string, int> kinds;
  const std::set<std::string> keys = {"id",           "parent_id",     "kind",  "name",   "status",  "started_at",
                                      "ended_at",     "duration_ms",   "model", "input_tokens", "output_tokens",
                                      "cost",         "inputs",        "outputs", "error", "metadata"};
  for (const auto& s : spans) {
    std::set<std::string> have;
    for (const auto& kv : s) have.insert(std::string(kv.key()));
    EXPECT_EQ(have, keys) << json::serialize(s);
    by_id[str(s, "id")] = s;
    ++kinds[str(s, "kind")];
    // A tool answering with an error is a failed span; everything else finished normally.
    if (str(s, "kind") == "tool") {
      EXPECT_NE(str(s, "status"), "running") << json::serialize(s);
    } else {
      EXPECT_EQ(str(s, "status"), "completed") << json::serialize(s);
    }
    EXPECT_EQ(s.at("duration_ms").as_int64(), ms_of(s.at("ended_at")) - ms_of(s.at("started_at")));
    EXPECT_TRUE(str(s, "started_at").ends_with("Z"));
  }
  EXPECT_EQ(kinds["crew"], 1);
  EXPECT_EQ(kinds["task"], 3);
  EXPECT_EQ(kinds["agent"], 3);
  EXPECT_GE(kinds["tool"], 1) << "the researcher called the calculator";

  // The tree: one root; tasks under it, agents under tasks, calls and tools under agents; every
  // parent listed before its children.
  std::set<std::string> seen;
  std::string root;
  for (const auto& s : spans) {
    auto kind = str(s, "kind");
    if (kind == "crew") {
      EXPECT_TRUE(s.at("parent_id").is_null());
      EXPECT_EQ(str(s, "name"), "obs crew") << "the crew's name, as stored";
      root = str(s, "id");
    } else {
      ASSERT_TRUE(s.at("parent_id").is_string()) << json::serialize(s);
      auto parent = str(s, "parent_id");
      ASSERT_TRUE(by_id.count(parent)) << kind << " has an unknown parent";
      EXPECT_TRUE(seen.count(parent)) << kind << " listed before its parent";
      auto parent_kind = str(by_id[parent], "kind");
      if (kind == "task") {
        EXPECT_EQ(parent, root);
      } else if (kind == "agent") {
        EXPECT_EQ(parent_kind, "task");
      } else if (kind == "llm_call" || kind == "tool") {
        EXPECT_EQ(parent_kind, "agent");
      }
    }
    seen.insert(str(s, "id"));
  }
  EXPECT_EQ(spans.front().at("id"), json::value(root));

  // Tokens and cost: the calls add up to the execution's totals, and the root carries them.
  std::int64_t in = 0, out = 0;
  int calls = 0;
  for (const auto& s : spans)
    if (str(s, "kind") == "llm_call") {
      ++calls;
      in += s.at("input_tokens").as_int64();
      out += s.at("output_tokens").as_int64();
      EXPECT_EQ(str(s, "model"), "simulated/default");
      EXPECT_EQ(s.at("cost").to_number<double>(), 0.0);
      EXPECT_EQ(s.at("metadata").at("simulated"), true);
    }
  int call_events = 0;
  for (const auto& e : events) call_events += type_of(e) == "llm_call";
  EXPECT_EQ(calls, call_events);
  EXPECT_EQ(in, execution.at("input_tokens").as_int64());
  EXPECT_EQ(out, execution.at("output_tokens").as_int64());
  const auto& crew = spans.front();
  EXPECT_EQ(crew.at("input_tokens").as_int64(), in);
  EXPECT_EQ(crew.at("output_tokens").as_int64(), out);
  EXPECT_EQ(crew.at("cost").to_number<double>(), execution.at("total_cost").to_number<double>());
  EXPECT_EQ(crew.at("inputs").at("topic"), "rust");
  for (const char* task : {"research", "outline", "write"}) EXPECT_TRUE(crew.at("outputs").as_object().contains(task));
}

TEST(Observability, TracesMetricsAndLogsAreScopedToTheTeam) {
  World w({"--workers", "0"});
  auto id = w.run(w.crew(k_traced_crew));
  // The same user, acting in another team of theirs: the execution is not found there.
  auto other_team = create_team(w.api, w.admin.access_token, "Other");
  for (const char* part : {"/traces", "/logs", "/metrics"}) {
    EXPECT_TRUE(is_problem(w.api.get("/api/executions/" + id + part, bearer_in_team(w.admin.access_token, other_team)),
                           404))
        << part;
    EXPECT_TRUE(is_problem(w.api.get(std::string("/api/executions/no-such-id") + part, w.auth()), 404)) << part;
  }
  // A queued execution has nothing to show yet, in the same shapes.
  auto trace = w.get("/api/executions/" + id + "/traces");
  EXPECT_TRUE(trace.at("spans").as_array().empty());
  auto logs = w.get("/api/executions/" + id + "/logs");
  EXPECT_TRUE(logs.at("items").as_array().empty());
  EXPECT_TRUE(logs.at("next_cursor").is_null());
  auto metrics = w.get("/api/executions/" + id + "/metrics");
  EXPECT_EQ(metrics.at("totals").at("llm_calls").as_int64(), 0);
  EXPECT_TRUE(metrics.at("totals").at("duration_ms").is_null());
  EXPECT_TRUE(metrics.at("llm_calls").at("latency_ms_p50").is_null());
  // Cancelled before it started: its trace is the crew span alone, cancelled.
  expect_status(w.api.post("/api/executions/" + id + "/cancel", json::object{}, w.auth()), 202, "cancel");
  auto cancelled = spans_of(w.get("/api/executions/" + id + "/traces"));
  ASSERT_EQ(cancelled.size(), 1u);
  EXPECT_EQ(str(cancelled[0], "kind"), "crew");
  EXPECT_EQ(str(cancelled[0], "status"), "cancelled");
}

// ---- logs --------------------------------------------------------------------------------------

TEST(Observability, LogsFilterByLevelSearchAndPageBySeq) {
  World w;
  auto id = w.run(w.crew(k_logging_crew));
  ASSERT_EQ(str(w.wait_for(id), "status"), "failed");
  auto base = "/api/executions/" + id + "/logs";

  auto all = w.get(base);
  const auto& items = all.at("items").as_array();
  ASSERT_EQ(items.size(), 3u) << json::serialize(all);
  EXPECT_TRUE(all.at("next_cursor").is_null());
  EXPECT_EQ(str(items[0], "level"), "warning");
  EXPECT_EQ(str(items[1], "level"), "warning");
  EXPECT_EQ(str(items[2], "level"), "error");
  EXPECT_LT(items[0].at("seq").as_int64(), items[1].at("seq").as_int64());
  EXPECT_LT(items[1].at("seq").as_int64(), items[2].at("seq").as_int64());
  for (const auto& item : items) EXPECT_GT(ms_of(item.at("timestamp")), 0);

  // Level is "that level and above".
  EXPECT_EQ(w.get(base + "?level=warning").at("items").as_array().size(), 3u);
  EXPECT_EQ(w.get(base + "?level=debug").at("items").as_array().size(), 3u);
  auto errors = w.get(base + "?level=error").at("items").as_array();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(str(errors[0], "message").find("anthropic"), std::string::npos) << str(errors[0], "message");

  // The error belongs to the failed task's span, which shows it with its type and context.
  auto spans = spans_of(w.get("/api/executions/" + id + "/traces"));
  const json::object* failed = nullptr;
  for (const auto& s : spans)
    if (str(s, "id") == str(errors[0], "trace_id")) failed = &s;
  ASSERT_NE(failed, nullptr) << "the error's trace_id names no span";
  EXPECT_EQ(str(*failed, "kind"), "task");
  EXPECT_EQ(str(*failed, "name"), "third");
  EXPECT_EQ(str(*failed, "status"), "failed");
  EXPECT_EQ(str(*failed, "error"), str(errors[0], "message"));
  EXPECT_EQ(str(failed->at("metadata"), "error_type"), "llm_provider");
  EXPECT_EQ(str(failed->at("metadata").at("error_context"), "task_name"), "third");
  EXPECT_EQ(str(failed->at("metadata").at("error_context"), "agent_name"), "remote");
  // The event itself carries type, message, trace and context.
  for (const auto& e : w.events(id))
    if (type_of(e) == "error") {
      const auto& d = e.at("data").as_object();
      EXPECT_EQ(str(d, "error_type"), "llm_provider");
      EXPECT_EQ(str(d, "trace_id"), str(errors[0], "trace_id"));
      EXPECT_TRUE(d.contains("stack_trace"));
      EXPECT_EQ(str(d.at("context"), "execution_id"), id);
    }

  // Search is a case-insensitive substring of the message.
  auto found = w.get(base + "?q=HUMAN_INPUT").at("items").as_array();
  EXPECT_EQ(found.size(), 2u);
  EXPECT_TRUE(w.get(base + "?q=no-such-text").at("items").as_array().empty());
  EXPECT_EQ(w.get(base + "?q=human_input&level=error").at("items").as_array().size(), 0u);

  // Pages of one, joined by next_cursor, give the same lines in the same order.
  std::vector<std::int64_t> seqs;
  std::string cursor;
  for (int page = 0; page < 5; ++page) {
    auto doc = w.get(base + "?limit=1" + (cursor.empty() ? "" : "&cursor=" + cursor));
    for (const auto& item : doc.at("items").as_array()) seqs.push_back(item.at("seq").as_int64());
    if (doc.at("next_cursor").is_null()) break;
    cursor = str(doc, "next_cursor");
  }
  EXPECT_EQ(seqs, (std::vector<std::int64_t>{items[0].at("seq").as_int64(), items[1].at("seq").as_int64(),
                                            items[2].at("seq").as_int64()}));

  // Bad parameters: 400 problems naming the parameter (as on every list).
  for (const auto& [query, path] : std::vector<std::pair<std::string, std::string>>{
           {"level=loud", "level"}, {"limit=0", "limit"}, {"limit=201", "limit"}, {"limit=x", "limit"},
           {"cursor=abc", "cursor"}, {"cursor=-4", "cursor"}}) {
    auto r = w.api.get(base + "?" + query, w.auth());
    ASSERT_TRUE(is_problem(r, 400)) << query << ": " << show(r);
    EXPECT_EQ(str(r.json().at("errors").at(0), "path"), path) << query;
  }
}

// ---- metrics -----------------------------------------------------------------------------------

TEST(Observability, MetricsMatchTheEventsAndTheExecution) {
  World w;
  auto id = w.run(w.crew(k_traced_crew));
  auto execution = w.wait_for(id);
  ASSERT_EQ(str(execution, "status"), "completed");
  auto events = w.events(id);
  auto m = w.get("/api/executions/" + id + "/metrics");

  // What the events say, by model, agent and task.
  std::int64_t in = 0, out = 0, calls = 0, tools = 0;
  std::map<std::string, std::int64_t> agent_in, agent_calls;
  std::vector<std::int64_t> latencies;
  for (const auto& e : events) {
    const auto& d = e.at("data").as_object();
    if (type_of(e) == "tool_call") ++tools;
    if (type_of(e) != "llm_call") continue;
    ++calls;
    in += d.at("input_tokens").as_int64();
    out += d.at("output_tokens").as_int64();
    agent_in[str(d, "agent_name")] += d.at("input_tokens").as_int64();
    ++agent_calls[str(d, "agent_name")];
    latencies.push_back(std::llround(d.at("duration").to_number<double>() * 1000));
  }
  const auto& totals = m.at("totals");
  EXPECT_EQ(totals.at("input_tokens").as_int64(), in);
  EXPECT_EQ(totals.at("output_tokens").as_int64(), out);
  EXPECT_EQ(totals.at("total_tokens").as_int64(), execution.at("total_tokens").as_int64());
  EXPECT_EQ(totals.at("input_tokens").as_int64(), execution.at("input_tokens").as_int64());
  EXPECT_EQ(totals.at("cost").to_number<double>(), execution.at("total_cost").to_number<double>());
  EXPECT_EQ(totals.at("duration_ms").as_int64(), execution.at("duration_ms").as_int64());
  EXPECT_EQ(totals.at("llm_calls").as_int64(), calls);
  EXPECT_EQ(totals.at("tool_calls").as_int64(), tools);
  EXPECT_GE(tools, 1);

  const auto& by_model = m.at("by_model").as_array();
  ASSERT_EQ(by_model.size(), 1u);
  EXPECT_EQ(str(by_model[0], "model"), "simulated/default");
  EXPECT_EQ(by_model[0].at("llm_calls").as_int64(), calls);
  EXPECT_EQ(by_model[0].at("input_tokens").as_int64(), in);

  const auto& by_agent = m.at("by_agent").as_array();
  ASSERT_EQ(by_agent.size(), 2u);
  EXPECT_EQ(str(by_agent[0], "agent_name"), "researcher");
  EXPECT_EQ(str(by_agent[1], "agent_name"), "writer");
  for (const auto& a : by_agent) {
    EXPECT_EQ(a.at("input_tokens").as_int64(), agent_in[str(a, "agent_name")]);
    EXPECT_EQ(a.at("llm_calls").as_int64(), agent_calls[str(a, "agent_name")]);
    EXPECT_GE(a.at("duration_ms").as_int64(), 0);
  }

  const auto& by_task = m.at("by_task").as_array();
  ASSERT_EQ(by_task.size(), 3u);
  std::vector<std::string> names;
  std::int64_t task_in = 0, task_calls = 0;
  for (const auto& t : by_task) {
    names.emplace_back(t.at("task_name").as_string());
    EXPECT_EQ(str(t, "status"), "completed");
    task_in += t.at("input_tokens").as_int64();
    task_calls += t.at("llm_calls").as_int64();
  }
  EXPECT_EQ(names, (std::vector<std::string>{"research", "outline", "write"}));
  EXPECT_EQ(str(by_task[0], "agent_name"), "researcher");
  EXPECT_EQ(task_in, in);
  EXPECT_EQ(task_calls, calls);

  // Latencies are the calls' durations (nearest-rank percentiles).
  std::sort(latencies.begin(), latencies.end());
  const auto& lc = m.at("llm_calls");
  EXPECT_EQ(lc.at("count").as_int64(), calls);
  EXPECT_EQ(lc.at("latency_ms_max").as_int64(), latencies.back());
  EXPECT_LE(lc.at("latency_ms_p50").as_int64(), lc.at("latency_ms_p95").as_int64());
  EXPECT_LE(lc.at("latency_ms_p95").as_int64(), lc.at("latency_ms_max").as_int64());
}

// ---- recovery ----------------------------------------------------------------------------------

TEST(Observability, TraceOfAnInterruptedRunIsClosedAfterRecovery) {
  World w({"--simulated-latency-ms", "600", "--worker-timeout-ms", "1500"});
  auto id = w.run(w.crew(k_traced_crew));
  {
    SseClient s(w.server.port(), "GET", "/api/executions/" + id + "/stream", {}, w.auth());
    ASSERT_TRUE(s.read_until([](const auto& ev) {
      for (const auto& e : ev)
        if (e.event == "llm_call") return true;
      return false;
    }));
  }
  // While it runs: built from the events so far, with open spans.
  auto running = spans_of(w.get("/api/executions/" + id + "/traces"));
  ASSERT_FALSE(running.empty());
  EXPECT_EQ(str(running.front(), "status"), "running");
  EXPECT_TRUE(running.front().at("ended_at").is_null());

  w.server.kill9();
  w.server.restart();
  w.wait_for(id, "failed");
  auto spans = spans_of(w.get("/api/executions/" + id + "/traces"));
  ASSERT_GE(spans.size(), running.size());
  EXPECT_EQ(str(spans.front(), "kind"), "crew");
  EXPECT_EQ(str(spans.front(), "status"), "failed");
  EXPECT_EQ(str(spans.front().at("metadata"), "error_type"), "interrupted");
  for (const auto& s : spans) {
    EXPECT_NE(str(s, "status"), "running") << json::serialize(s);
    EXPECT_FALSE(s.at("ended_at").is_null()) << json::serialize(s);
  }
  auto errors = w.get("/api/executions/" + id + "/logs?level=error").at("items").as_array();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(str(errors[0], "trace_id"), str(spans.front(), "id"));
}

// ---- hooks on the server path ---------------------------------------------------------------

// Hooks run in the server's workers as in `aop run`: a log hook writes into the run's log, a
// before_task abort fails the run with hook_aborted, and a command hook is refused (commands
// are off on a server unless AOP_HOOKS_ALLOW_COMMANDS=true) with a warning, not a failure.
TEST(Observability, CrewHooksRunInServerWorkers) {
  World w;
  const char* hooked = R"({
    "name": "hooked",
    "agents": {"a": {"role": "R", "goal": "G", "backstory": "B.", "llm": "simulated/default"}},
    "tasks": {"one": {"description": "One about {topic}", "expected_output": "O", "agent": "a"},
              "two": {"description": "Two", "expected_output": "O", "agent": "a"}},
    "hooks": [{"on": "before_task", "log": "starting {task_name} for {agent_name}"},
              {"on": "after_execution", "command": {"argv": ["/bin/cat"]}}]
  })";
  auto id = w.run(w.crew(hooked));
  auto done = w.wait_for(id);
  ASSERT_EQ(str(done, "status"), "completed") << json::serialize(done);
  auto logs = w.get("/api/executions/" + id + "/logs?limit=200").at("items").as_array();
  std::vector<std::string> lines;
  for (const auto& l : logs) lines.emplace_back(l.at("message").as_string());
  EXPECT_NE(std::find(lines.begin(), lines.end(), "starting one for a"), lines.end()) << json::serialize(logs);
  EXPECT_NE(std::find(lines.begin(), lines.end(), "starting two for a"), lines.end());
  auto warnings = w.get("/api/executions/" + id + "/logs?level=warning").at("items").as_array();
  ASSERT_EQ(warnings.size(), 1u) << json::serialize(warnings);
  EXPECT_NE(std::string(warnings[0].at("message").as_string()).find("AOP_HOOKS_ALLOW_COMMANDS"), std::string::npos)
      << json::serialize(warnings);

  const char* aborting = R"({
    "name": "aborting",
    "agents": {"a": {"role": "R", "goal": "G", "backstory": "B.", "llm": "simulated/default"}},
    "tasks": {"one": {"description": "One about {topic}", "expected_output": "O", "agent": "a"}},
    "hooks": [{"on": "before_task", "command": {"argv": ["/bin/sh", "-c", "echo '{\"action\":\"abort\",\"reason\":\"not today\"}'"]}}]
  })";
  World allowed({}, {{"AOP_HOOKS_ALLOW_COMMANDS", "true"}});
  auto stopped = allowed.wait_for(allowed.run(allowed.crew(aborting)));
  EXPECT_EQ(str(stopped, "status"), "failed");
  EXPECT_NE(str(stopped, "error_message").find("not today"), std::string::npos) << json::serialize(stopped);
}

}  // namespace
}  // namespace aop::test
