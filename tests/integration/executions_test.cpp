// Executions over HTTP: run a crew on the simulated LLM, stream its events (replay, resume,
// live), cancel it (running and before it starts), input checks, kill -9 recovery, stream
// tokens, leak-free disconnects, listing. Runs once per database (AOP_TEST_DB=sqlite|postgres).
#include <gtest/gtest.h>

#include <set>

#include "core/clock.hpp"
#include "support/identity.hpp"
#include "support/sse_client.hpp"

namespace aop::test {
namespace {

// Three sequential tasks on the simulated model: with --simulated-latency-ms L a run takes
// about 3 L. `count` has a default; `topic` is an implicit (required) input.
const char* k_crew_config = R"({
  "name": "exec-crew",
  "inputs": {"count": {"type": "integer", "required": false, "default": 3}},
  "agents": {
    "researcher": {"role": "Researcher of {topic}", "goal": "Find {count} facts", "backstory": "Careful.",
                   "llm": "simulated/default"},
    "writer": {"role": "Writer", "goal": "Write about {topic}", "backstory": "Clear.", "llm": "simulated/default"}
  },
  "tasks": {
    "research": {"description": "Research {topic}", "expected_output": "Facts", "agent": "researcher"},
    "outline": {"description": "Outline the facts", "expected_output": "An outline", "agent": "writer"},
    "write": {"description": "Write about {topic}", "expected_output": "A text", "agent": "writer"}
  }
})";

json::object run_body(const std::string& topic = "rust") { return {{"inputs", {{"topic", topic}}}}; }

struct World {
  explicit World(std::vector<std::string> extra = {}) : server(options(std::move(extra))), api(server) {
    admin = register_account(api, "exec-admin@example.com", "exec-admin-password");
    team = first_team_id(api, admin.access_token);
  }
  static ServerOptions options(std::vector<std::string> extra) {
    std::vector<std::string> args = {"--user-rate-limit", "0"};
    args.insert(args.end(), extra.begin(), extra.end());
    return ServerOptions::with_args(args);
  }
  Headers auth() const { return bearer_in_team(admin.access_token, team); }

  std::string crew(bool deploy = true, const std::string& name = "exec crew") {
    auto r = api.post("/api/crews", json::object{{"name", name}, {"config", json::parse(k_crew_config)}}, auth());
    auto id = str(expect_status(r, 201, "create crew").json(), "id");
    if (deploy) expect_status(api.post("/api/crews/" + id + "/deploy", json::object{}, auth()), 201, "deploy");
    return id;
  }
  std::string run(const std::string& crew_id, const json::object& body = run_body()) {
    auto r = api.post("/api/crews/" + crew_id + "/run", body, auth());
    return str(expect_status(r, 202, "run crew").json(), "execution_id");
  }
  json::value execution(const std::string& id) {
    auto r = api.get("/api/executions/" + id, auth());
    return expect_status(r, 200, "get execution").json();
  }
  // Polls until the execution's status is `status` (or any finished one when empty).
  json::value wait_for(const std::string& id, const std::string& status = {},
                       std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      auto e = execution(id);
      auto s = str(e, "status");
      bool finished = s == "completed" || s == "failed" || s == "cancelled";
      if (status.empty() ? finished : s == status) return e;
      if (std::chrono::steady_clock::now() > deadline)
        throw HarnessError("execution " + id + " is still " + s + " (waited for " +
                           (status.empty() ? std::string("an end") : status) + ")");
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  std::vector<SseMessage> stream(const std::string& id, const Headers& extra = {}, const std::string& query = {}) {
    auto headers = auth();
    headers.insert(headers.end(), extra.begin(), extra.end());
    auto r = http_stream(server.port(), "/api/executions/" + id + "/stream" + query, headers, std::chrono::seconds(20));
    if (r.status != 200) throw HarnessError("stream answered " + std::to_string(r.status) + ": " + r.body);
    return parse_sse(r.body);
  }

  ServerProcess server;
  ApiClient api;
  Account admin;
  std::string team;
};

json::object data_of(const SseMessage& m) { return json::parse(m.data).as_object(); }

std::vector<std::int64_t> ids_of(const std::vector<SseMessage>& events) {
  std::vector<std::int64_t> ids;
  for (const auto& e : events)
    if (e.id) ids.push_back(std::stoll(*e.id));
  return ids;
}

std::vector<std::int64_t> range(std::int64_t from, std::int64_t to) {
  std::vector<std::int64_t> out;
  for (auto i = from; i <= to; ++i) out.push_back(i);
  return out;
}

bool has_event(const std::vector<SseMessage>& events, const std::string& type) {
  for (const auto& e : events)
    if (e.event == type) return true;
  return false;
}

double metric(const ServerProcess& server, const std::string& name) {
  auto r = server.get("/metrics");
  auto pos = r.body.find("\n" + name + " ");
  if (pos == std::string::npos) throw HarnessError("no metric " + name + " in /metrics");
  return std::stod(r.body.substr(pos + name.size() + 2));
}

// ---- run, stream, final row ---------------------------------------------------------------------

TEST(Executions, RunStreamsEveryEventInOrderAndRecordsTheRun) {
  World w;
  auto crew = w.crew();
  auto r = w.api.post("/api/crews/" + crew + "/run", run_body(), w.auth());
  ASSERT_EQ(r.status, 202) << show(r);
  auto accepted = r.json();
  auto id = str(accepted, "execution_id");
  EXPECT_EQ(str(accepted, "status"), "pending");
  EXPECT_EQ(str(accepted, "stream_url"), "/api/executions/" + id + "/stream");
  EXPECT_EQ(r.header("location"), "/api/executions/" + id);
  EXPECT_EQ(accepted.at("is_test"), false);

  // The stream of a finished execution: a replay of what is stored, then the end.
  w.wait_for(id);
  auto events = w.stream(id);
  ASSERT_GE(events.size(), 10u);
  // Stored events: ids 1..N without gaps, each event's JSON in the one schema.
  auto ids = ids_of(events);
  EXPECT_EQ(ids, range(1, static_cast<std::int64_t>(ids.size())));
  EXPECT_EQ(ids.size(), events.size()) << "a replay holds stored events only (no chunks)";
  for (const auto& e : events) {
    auto d = data_of(e);
    for (const char* key : {"seq", "type", "ts", "execution_id", "trace_id", "parent_trace_id", "data"})
      EXPECT_TRUE(d.contains(key)) << key << " missing in " << e.data;
    EXPECT_EQ(d.at("seq").as_int64(), std::stoll(*e.id));
    EXPECT_EQ(d.at("type").as_string(), e.event);
    EXPECT_EQ(d.at("execution_id").as_string(), id);
  }
  EXPECT_EQ(events.front().event, "execution_started");
  EXPECT_EQ(data_of(events.front()).at("data").at("crew_id").as_string(), crew);
  ASSERT_EQ(events.back().event, "execution_completed");
  EXPECT_EQ(data_of(events.back()).at("data").at("status").as_string(), "completed");
  for (const char* type : {"task_started", "agent_started", "llm_call", "agent_completed", "task_completed"})
    EXPECT_TRUE(has_event(events, type)) << type;

  // The row agrees with the events.
  auto e = w.execution(id);
  EXPECT_EQ(str(e, "status"), "completed");
  EXPECT_EQ(str(e, "crew_id"), crew);
  EXPECT_EQ(e.at("crew_version").as_int64(), 1);
  EXPECT_EQ(e.at("is_test"), false);
  EXPECT_EQ(e.at("inputs").at("topic").as_string(), "rust");
  EXPECT_EQ(e.at("inputs").at("count").as_int64(), 3) << "defaults are filled in";
  for (const char* task : {"research", "outline", "write"}) EXPECT_TRUE(e.at("outputs").as_object().contains(task));
  EXPECT_TRUE(e.at("error_message").is_null());
  EXPECT_EQ(str(e.at("triggered_by"), "user_id"), w.admin.id);
  EXPECT_TRUE(e.at("triggered_by").at("api_key_id").is_null());
  std::int64_t in = 0, out = 0;
  for (const auto& ev : events)
    if (ev.event == "llm_call") {
      in += data_of(ev).at("data").at("input_tokens").as_int64();
      out += data_of(ev).at("data").at("output_tokens").as_int64();
    }
  EXPECT_EQ(e.at("input_tokens").as_int64(), in);
  EXPECT_EQ(e.at("output_tokens").as_int64(), out);
  EXPECT_EQ(e.at("total_tokens").as_int64(), in + out);
  EXPECT_EQ(e.at("total_cost").to_number<double>(), 0.0) << "the simulated model is free";
  EXPECT_GE(e.at("duration_ms").as_int64(), 0);
  EXPECT_FALSE(e.at("started_at").is_null());
  EXPECT_FALSE(e.at("completed_at").is_null());
  EXPECT_EQ(e.at("cancel_requested"), false);
}

TEST(Executions, AcceptEventStreamStreamsTheRunLiveWithChunks) {
  World w({"--simulated-latency-ms", "20"});
  auto crew = w.crew();
  SseClient s(w.server.port(), "POST", "/api/crews/" + crew + "/run", to_body(run_body()), w.auth());
  ASSERT_TRUE(s.read_to_end()) << s.head();
  EXPECT_EQ(s.status(), 200);
  const auto& events = s.events();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().event, "execution_completed");
  // Stored events keep 1..N; live chunks carry no id and repeat the seq of the event before them.
  auto ids = ids_of(events);
  EXPECT_EQ(ids, range(1, static_cast<std::int64_t>(ids.size())));
  int chunks = 0;
  std::int64_t last = 0;
  for (const auto& e : events) {
    if (e.id) {
      last = std::stoll(*e.id);
      continue;
    }
    ASSERT_EQ(e.event, "llm_stream_chunk");
    EXPECT_EQ(data_of(e).at("seq").as_int64(), last);
    EXPECT_TRUE(data_of(e).at("data").at("text").is_string());
    ++chunks;
  }
  EXPECT_GT(chunks, 0) << "a live stream shows the model's tokens";
}

TEST(Executions, ResumingWithLastEventIdHasNoGapAndNoDuplicate) {
  World w({"--simulated-latency-ms", "150"});
  auto crew = w.crew();
  auto id = w.run(crew);
  // Disconnect mid-run after a few events, then resume from the last one seen.
  std::vector<SseMessage> first;
  {
    SseClient s(w.server.port(), "GET", "/api/executions/" + id + "/stream", {}, w.auth());
    ASSERT_TRUE(s.read_until([](const auto& ev) { return ids_of(ev).size() >= 3; }));
    for (const auto& e : s.events())
      if (e.id) first.push_back(e);
  }
  auto seen = std::stoll(*first.back().id);
  auto rest_headers = w.auth();
  rest_headers.emplace_back("Last-Event-ID", std::to_string(seen));
  SseClient s2(w.server.port(), "GET", "/api/executions/" + id + "/stream", {}, rest_headers);
  ASSERT_TRUE(s2.read_to_end());
  auto rest = ids_of(s2.events());
  ASSERT_FALSE(rest.empty());
  EXPECT_EQ(rest.front(), seen + 1);
  EXPECT_EQ(rest, range(seen + 1, rest.back()));
  EXPECT_EQ(s2.events().back().event, "execution_completed");

  // After the end: a replay from any point, by header or query, is exactly the tail.
  auto all = w.stream(id);
  auto n = static_cast<std::int64_t>(ids_of(all).size());
  EXPECT_EQ(n, rest.back());
  EXPECT_EQ(ids_of(w.stream(id, {{"Last-Event-ID", "2"}})), range(3, n));
  EXPECT_EQ(ids_of(w.stream(id, {}, "?last_event_id=" + std::to_string(n - 1))), range(n, n));
  EXPECT_TRUE(w.stream(id, {{"Last-Event-ID", std::to_string(n)}}).empty());
  EXPECT_TRUE(is_problem(w.api.get("/api/executions/" + id + "/stream?last_event_id=abc", w.auth()), 400));
  EXPECT_TRUE(is_problem(w.api.get("/api/executions/nope/stream", w.auth()), 404));
  // Replays of a finished run are served from memory: byte for byte the stream read from the
  // log, and still the team's alone.
  auto replayed = http_stream(w.server.port(), "/api/executions/" + id + "/stream", w.auth(), std::chrono::seconds(5));
  auto again = http_stream(w.server.port(), "/api/executions/" + id + "/stream", w.auth(), std::chrono::seconds(5));
  EXPECT_EQ(replayed.body, again.body);
  EXPECT_EQ(ids_of(parse_sse(again.body)), range(1, n));
  auto other_team = create_team(w.api, w.admin.access_token, "Other team");
  EXPECT_TRUE(is_problem(w.api.get("/api/executions/" + id + "/stream", bearer_in_team(w.admin.access_token, other_team)), 404));
}

TEST(Executions, RunsUseTheBuiltinTools) {
  World w;
  auto config = json::parse(R"({
    "agents": {"math": {"role": "Mathematician", "goal": "Compute", "backstory": "Exact.", "llm": "simulated/default",
                        "tools": ["calculator"]}},
    "tasks": {"sum": {"description": "Add 2 and 3", "expected_output": "A number", "agent": "math"}}})");
  auto r = w.api.post("/api/crews", json::object{{"name", "tool crew"}, {"config", config}}, w.auth());
  auto crew = str(expect_status(r, 201, "create crew").json(), "id");
  auto id = w.run(crew, json::object{});
  EXPECT_EQ(str(w.wait_for(id), "status"), "completed");
  auto events = w.stream(id);
  bool called = false;
  for (const auto& e : events)
    if (e.event == "tool_call") called = called || data_of(e).at("data").at("tool_name").as_string() == "calculator";
  EXPECT_TRUE(called) << "the simulated model calls the offered tool once";
}

// ---- cancellation -----------------------------------------------------------------------------

TEST(Executions, CancelMidRunEndsCancelledWithinOneSecond) {
  World w({"--simulated-latency-ms", "400"});
  auto crew = w.crew();
  auto id = w.run(crew);
  SseClient s(w.server.port(), "GET", "/api/executions/" + id + "/stream", {}, w.auth());
  ASSERT_TRUE(s.read_until([](const auto& ev) { return has_event(ev, "agent_started"); }));
  auto asked = std::chrono::steady_clock::now();
  auto r = w.api.post("/api/executions/" + id + "/cancel", json::object{}, w.auth());
  ASSERT_EQ(r.status, 202) << show(r);
  w.wait_for(id, "cancelled", std::chrono::seconds(5));
  auto took = std::chrono::steady_clock::now() - asked;
  EXPECT_LT(took, std::chrono::seconds(1));
  ASSERT_TRUE(s.read_to_end());
  EXPECT_EQ(s.events().back().event, "execution_completed");
  EXPECT_EQ(data_of(s.events().back()).at("data").at("status").as_string(), "cancelled");
  auto e = w.execution(id);
  EXPECT_EQ(e.at("cancel_requested"), true);
  EXPECT_FALSE(e.at("completed_at").is_null());
  // A finished execution cannot be cancelled again.
  EXPECT_TRUE(is_problem(w.api.post("/api/executions/" + id + "/cancel", json::object{}, w.auth()), 409));
  EXPECT_TRUE(is_problem(w.api.post("/api/executions/unknown/cancel", json::object{}, w.auth()), 404));
}

TEST(Executions, CancelBeforeStartWinsAndNoModelIsCalled) {
  // No workers: the run stays queued until the cancel.
  World w({"--workers", "0"});
  auto crew = w.crew();
  auto id = w.run(crew);
  EXPECT_EQ(str(w.execution(id), "status"), "pending");
  SseClient s(w.server.port(), "GET", "/api/executions/" + id + "/stream", {}, w.auth());
  s.read_for(std::chrono::milliseconds(100));
  auto r = w.api.post("/api/executions/" + id + "/cancel", json::object{}, w.auth());
  ASSERT_EQ(r.status, 202) << show(r);
  EXPECT_EQ(str(r.json(), "status"), "cancelled");
  // The open stream ends with the run's final event.
  ASSERT_TRUE(s.read_to_end(std::chrono::seconds(5)));
  ASSERT_EQ(s.events().size(), 1u);
  EXPECT_EQ(s.events()[0].event, "execution_completed");

  // Workers that start later do not run it.
  auto& args = w.server.options_for_restart().args;
  *(std::find(args.begin(), args.end(), "--workers") + 1) = "2";
  w.server.restart();
  auto other = w.run(crew);
  w.wait_for(other, "completed");
  auto e = w.execution(id);
  EXPECT_EQ(str(e, "status"), "cancelled");
  EXPECT_TRUE(e.at("started_at").is_null());
  auto events = w.stream(id);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event, "execution_completed");
  EXPECT_FALSE(has_event(events, "llm_call"));
}

TEST(Executions, ABacklogIsTakenUpByEveryIdleWorker) {
  World w({"--workers", "0", "--simulated-latency-ms", "150"});
  auto crew = w.crew();
  std::vector<std::string> ids;
  for (int i = 0; i < 6; ++i) ids.push_back(w.run(crew));
  // Workers that start with a backlog (no notification from this process) find it by their
  // poll and wake each other: runs overlap.
  auto& args = w.server.options_for_restart().args;
  *(std::find(args.begin(), args.end(), "--workers") + 1) = "3";
  w.server.restart();
  std::vector<std::pair<std::int64_t, std::int64_t>> spans;
  for (const auto& id : ids) {
    auto e = w.wait_for(id, "completed");
    std::int64_t started = 0, completed = 0;
    ASSERT_TRUE(core::parse_iso8601(str(e, "started_at"), started));
    ASSERT_TRUE(core::parse_iso8601(str(e, "completed_at"), completed));
    spans.emplace_back(started, completed);
  }
  int most_at_once = 0;
  for (const auto& [start, end] : spans) {
    int at_once = 0;
    for (const auto& [s2, e2] : spans) at_once += s2 <= start && start < e2;
    most_at_once = std::max(most_at_once, at_once);
  }
  EXPECT_GE(most_at_once, 2);
  EXPECT_LE(most_at_once, 3) << "never more runs at once than workers";
}

// ---- what may run, and with what --------------------------------------------------------------

TEST(Executions, InputsAreCheckedWithEveryProblemAtItsPath) {
  World w({"--workers", "0"});
  auto crew = w.crew();
  auto url = "/api/crews/" + crew + "/run";
  auto missing = w.api.post(url, json::object{{"inputs", json::object{}}}, w.auth());
  EXPECT_TRUE(is_problem(missing, 422));
  EXPECT_TRUE(has_error_path(missing, "inputs.topic"));
  auto mistyped =
      w.api.post(url, json::object{{"inputs", {{"topic", "x"}, {"count", "three"}, {"typo", 1}}}}, w.auth());
  EXPECT_TRUE(is_problem(mistyped, 422));
  EXPECT_TRUE(has_error_path(mistyped, "inputs.count"));
  EXPECT_TRUE(has_error_path(mistyped, "inputs.typo"));
  EXPECT_FALSE(has_error_path(mistyped, "inputs.topic"));
  auto not_object = w.api.post(url, json::object{{"inputs", json::array{"topic"}}}, w.auth());
  EXPECT_TRUE(has_error_path(not_object, "inputs"));
  auto unknown_field = w.api.post(url, json::object{{"inputs", {{"topic", "x"}}}, {"tset", true}}, w.auth());
  EXPECT_TRUE(has_error_path(unknown_field, "tset"));
  EXPECT_TRUE(is_problem(w.api.request("POST", url, "{not json", w.auth()), 400));
  // Nothing was queued by the refused requests.
  auto list = w.api.get("/api/executions", w.auth());
  EXPECT_TRUE(list.json().at("items").as_array().empty()) << show(list);
}

TEST(Executions, WhichVersionRunsAndWhoMayRunIt) {
  World w({"--workers", "0"});
  // A draft runs as a test run of its current document.
  auto draft = w.crew(false, "draft crew");
  auto r = w.api.post("/api/crews/" + draft + "/run", run_body(), w.auth());
  ASSERT_EQ(r.status, 202) << show(r);
  EXPECT_EQ(r.json().at("is_test"), true);
  EXPECT_EQ(w.execution(str(r.json(), "execution_id")).at("is_test"), true);

  // A deployed crew runs its pinned version even after an edit; test: true runs the edit.
  auto crew = w.crew();
  auto edited = json::parse(k_crew_config).as_object();
  edited["description"] = "edited after deployment";
  expect_status(w.api.put("/api/crews/" + crew, json::object{{"config", edited}}, w.auth()), 200, "edit");
  auto pinned = w.api.post("/api/crews/" + crew + "/run", run_body(), w.auth());
  EXPECT_EQ(pinned.json().at("crew_version").as_int64(), 1);
  EXPECT_EQ(pinned.json().at("is_test"), false);
  auto test =
      w.api.post("/api/crews/" + crew + "/run", json::object{{"inputs", {{"topic", "x"}}}, {"test", true}}, w.auth());
  EXPECT_EQ(test.json().at("crew_version").as_int64(), 2);
  EXPECT_EQ(test.json().at("is_test"), true);

  // Stopped: 409. Unknown or another team's crew: 404.
  expect_status(w.api.post("/api/crews/" + crew + "/stop", json::object{}, w.auth()), 200, "stop");
  EXPECT_TRUE(is_problem(w.api.post("/api/crews/" + crew + "/run", run_body(), w.auth()), 409));
  EXPECT_TRUE(is_problem(w.api.post("/api/crews/nope/run", run_body(), w.auth()), 404));
  auto other_team = create_team(w.api, w.admin.access_token, "Other");
  EXPECT_TRUE(is_problem(
      w.api.post("/api/crews/" + draft + "/run", run_body(), bearer_in_team(w.admin.access_token, other_team)), 404));
  auto id = str(pinned.json(), "execution_id");
  EXPECT_TRUE(is_problem(w.api.get("/api/executions/" + id, bearer_in_team(w.admin.access_token, other_team)), 404));

  // An API key with crews:run triggers runs under its own name.
  auto key = create_api_key(w.api, w.admin.access_token, w.team, {"crews:run", "executions:read"}, "runner");
  auto by_key = w.api.post("/api/crews/" + draft + "/run", run_body(), bearer(key.key));
  ASSERT_EQ(by_key.status, 202) << show(by_key);
  auto e = w.execution(str(by_key.json(), "execution_id"));
  EXPECT_EQ(str(e.at("triggered_by"), "api_key_id"), key.id);
  EXPECT_TRUE(e.at("triggered_by").at("user_id").is_null());
}

// ---- a killed server ---------------------------------------------------------------------------

TEST(Executions, KilledServerMarksTheRunInterruptedAndKeepsItsEvents) {
  World w({"--simulated-latency-ms", "600", "--worker-timeout-ms", "1500"});
  auto crew = w.crew();
  auto id = w.run(crew);
  std::vector<SseMessage> before;
  {
    SseClient s(w.server.port(), "GET", "/api/executions/" + id + "/stream", {}, w.auth());
    ASSERT_TRUE(s.read_until([](const auto& ev) { return ids_of(ev).size() >= 4; }));
    for (const auto& e : s.events())
      if (e.id) before.push_back(e);
  }
  w.server.kill9();
  w.server.restart();
  // Within worker_timeout_ms of the last heartbeat (plus a sweep interval); generous for a
  // loaded machine.
  auto e = w.wait_for(id, "failed", std::chrono::seconds(20));
  EXPECT_EQ(str(e, "error_message"), "interrupted");
  EXPECT_FALSE(e.at("completed_at").is_null());

  // Every event delivered before the kill was committed, and is still there, unchanged.
  auto after = w.stream(id);
  auto ids = ids_of(after);
  EXPECT_EQ(ids, range(1, static_cast<std::int64_t>(ids.size())));
  ASSERT_GE(after.size(), before.size() + 2);
  for (std::size_t i = 0; i < before.size(); ++i) {
    EXPECT_EQ(after[i].id, before[i].id);
    EXPECT_EQ(after[i].event, before[i].event);
    EXPECT_EQ(data_of(after[i]), data_of(before[i]));
  }
  auto n = after.size();
  EXPECT_EQ(after[n - 2].event, "error");
  EXPECT_EQ(data_of(after[n - 2]).at("data").at("error_type").as_string(), "interrupted");
  EXPECT_EQ(after[n - 1].event, "execution_completed");
  EXPECT_EQ(data_of(after[n - 1]).at("data").at("status").as_string(), "failed");

  // The restarted server runs new executions as usual.
  w.wait_for(w.run(crew), "completed");
}

// ---- other processes, shutdown ----------------------------------------------------------------

TEST(Executions, AWorkerProcessRunsWhatAnApiOnlyServerQueuesAndTheServerStreamsIt) {
  World w({"--workers", "0"});
  auto crew = w.crew();
  auto id = w.run(crew);
  SpawnOptions spawn;
  spawn.argv = {aop_binary().string(),    "worker", "--data-dir", w.server.data_dir().string(), "--workers", "2",
                "--simulated-latency-ms", "100"};
  for (const auto& a : w.server.database().cli_args()) spawn.argv.push_back(a);
  spawn.cwd = w.server.dir();
  spawn.stdout_path = w.server.dir() / "worker.log";
  spawn.stderr_path = w.server.dir() / "worker.stderr.log";
  ChildProcess worker(spawn);
  // The API server has no worker of its own: it follows the other process's run through the log.
  SseClient s(w.server.port(), "GET", "/api/executions/" + id + "/stream", {}, w.auth());
  ASSERT_TRUE(s.read_to_end(std::chrono::seconds(20))) << read_file(w.server.dir() / "worker.log");
  auto ids = ids_of(s.events());
  EXPECT_EQ(ids, range(1, static_cast<std::int64_t>(ids.size())));
  ASSERT_FALSE(s.events().empty());
  EXPECT_EQ(s.events().front().event, "execution_started");
  EXPECT_EQ(data_of(s.events().back()).at("data").at("status").as_string(), "completed");
  EXPECT_EQ(str(w.execution(id), "status"), "completed");

  worker.signal(SIGTERM);
  auto status = worker.wait(std::chrono::seconds(15));
  ASSERT_TRUE(status) << "aop worker did not stop on SIGTERM";
  EXPECT_TRUE(status->success()) << status->describe() << "\n" << read_file(w.server.dir() / "worker.stderr.log");
  EXPECT_EQ(run_aop({"worker", "--workers", "0"}).exit_code, 2) << "a worker without workers is a mistake";
}

TEST(Executions, ShutdownLetsRunsFinishUntilTheDeadline) {
  World w({"--simulated-latency-ms", "150", "--shutdown-timeout-ms", "10000"});
  auto id = w.run(w.crew());
  w.wait_for(id, "running");
  w.server.terminate(SIGTERM);
  auto status = w.server.wait_exit(std::chrono::seconds(15));
  ASSERT_TRUE(status && status->success()) << w.server.diagnostics();
  w.server.restart();
  EXPECT_EQ(str(w.execution(id), "status"), "completed");
}

TEST(Executions, ShutdownInterruptsRunsThatOutlastTheDeadline) {
  World w({"--simulated-latency-ms", "2000", "--shutdown-timeout-ms", "300"});
  auto id = w.run(w.crew());
  w.wait_for(id, "running");
  auto asked = std::chrono::steady_clock::now();
  w.server.terminate(SIGTERM);
  auto status = w.server.wait_exit(std::chrono::seconds(15));
  ASSERT_TRUE(status && status->success()) << w.server.diagnostics();
  EXPECT_LT(std::chrono::steady_clock::now() - asked, std::chrono::seconds(5));
  w.server.restart();
  auto e = w.execution(id);
  EXPECT_EQ(str(e, "status"), "failed");
  EXPECT_EQ(str(e, "error_message"), "interrupted");
  auto events = w.stream(id);
  ASSERT_FALSE(events.empty());
  auto last = data_of(events.back()).at("data");
  EXPECT_EQ(last.at("status").as_string(), "failed");
  EXPECT_EQ(last.at("error").at("type").as_string(), "interrupted");
}

// ---- streams: leaks, tokens --------------------------------------------------------------------

TEST(Executions, DisconnectedStreamsLeaveNoSubscriber) {
  World w({"--simulated-latency-ms", "300"});
  auto crew = w.crew();
  auto id = w.run(crew);
  EXPECT_EQ(metric(w.server, "aop_sse_subscribers"), 0);
  {
    std::vector<std::unique_ptr<SseClient>> clients;
    for (int i = 0; i < 5; ++i) {
      clients.push_back(
          std::make_unique<SseClient>(w.server.port(), "GET", "/api/executions/" + id + "/stream", "", w.auth()));
      ASSERT_TRUE(clients.back()->read_until([](const auto& ev) { return !ev.empty(); }));
    }
    EXPECT_EQ(metric(w.server, "aop_sse_subscribers"), 5);
  }  // all five disconnect mid-run
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (metric(w.server, "aop_sse_subscribers") != 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(metric(w.server, "aop_sse_subscribers"), 0);
  // Streams that end with the run leave nothing either.
  SseClient last(w.server.port(), "GET", "/api/executions/" + id + "/stream", "", w.auth());
  ASSERT_TRUE(last.read_to_end());
  w.wait_for(id, "completed");
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (metric(w.server, "aop_sse_subscribers") != 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(metric(w.server, "aop_sse_subscribers"), 0);
}

TEST(Executions, ASlowSubscriberIsDroppedWithAFinalEventAndNeverSlowsTheRun) {
  // 64 queued events per client and 8 KiB kernel send buffers: a client that reads nothing
  // (and offers a 4 KiB window) falls behind within a few tasks of the ~150 KB run; one that
  // reads keeps up with the bursts of streamed chunks.
  World w({"--simulated-latency-ms", "100", "--sse-buffer-events", "64", "--sse-send-buffer-bytes", "8192"});
  json::object tasks;
  for (int i = 1; i <= 12; ++i)
    tasks["t" + std::to_string(i)] = {{"description", "Step " + std::to_string(i) + " about {topic}"},
                                      {"expected_output", "A paragraph"}, {"agent", "a"}};
  json::object config{{"name", "long"},
                      {"agents", {{"a", {{"role", "R"}, {"goal", "G"}, {"backstory", "B"}, {"llm", "simulated/default"}}}}},
                      {"tasks", tasks}};
  auto r = w.api.post("/api/crews", json::object{{"name", "long"}, {"config", config}}, w.auth());
  auto crew = str(expect_status(r, 201, "create crew").json(), "id");
  expect_status(w.api.post("/api/crews/" + crew + "/deploy", json::object{}, w.auth()), 201, "deploy");
  auto id = w.run(crew);
  auto path = "/api/executions/" + id + "/stream";
  SseClient slow(w.server.port(), "GET", path, "", w.auth(), 4096);
  SseClient fast(w.server.port(), "GET", path, "", w.auth());
  ASSERT_TRUE(fast.read_to_end());
  EXPECT_EQ(fast.events().back().event, "execution_completed") << "a reading client gets the whole run";
  // The run finished while the slow client read nothing at all.
  EXPECT_EQ(str(w.wait_for(id), "status"), "completed");

  ASSERT_TRUE(slow.read_to_end()) << "the dropped stream ends";
  ASSERT_FALSE(slow.events().empty());
  const auto& last = slow.events().back();
  EXPECT_EQ(last.event, "dropped");
  EXPECT_FALSE(last.id) << "the drop notice is not an event of the run";
  EXPECT_EQ(str(data_of(last), "reason"), "slow_consumer");
  EXPECT_FALSE(has_event(slow.events(), "execution_completed"));
  EXPECT_LT(slow.events().size(), fast.events().size());
  // What it did get is a gap-free prefix: it can resume from its last id.
  auto got = ids_of(slow.events());
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(got, range(1, got.back()));
  auto rest = w.stream(id, {{"Last-Event-ID", std::to_string(got.back())}});
  EXPECT_EQ(ids_of(rest), range(got.back() + 1, ids_of(fast.events()).back()));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (metric(w.server, "aop_sse_subscribers") != 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(metric(w.server, "aop_sse_subscribers"), 0);
}

TEST(Executions, StreamTokenWorksAloneAndOnlyForItsExecution) {
  World w;
  auto crew = w.crew();
  auto id = w.run(crew);
  auto other = w.run(crew);
  w.wait_for(id);
  w.wait_for(other);
  auto r = w.api.post("/api/executions/" + id + "/stream-token", json::object{}, w.auth());
  ASSERT_EQ(r.status, 200) << show(r);
  auto token = str(r.json(), "token");
  ASSERT_FALSE(token.empty());
  std::int64_t expires = 0;
  ASSERT_TRUE(core::parse_iso8601(str(r.json(), "expires_at"), expires));
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
                 .count();
  EXPECT_NEAR(static_cast<double>(expires - now), 60000.0, 5000.0);

  // No Authorization header, no X-Team-Id: the token says who, where and what.
  auto ok = http_stream(w.server.port(), "/api/executions/" + id + "/stream?stream_token=" + token);
  ASSERT_EQ(ok.status, 200) << ok.body;
  auto events = parse_sse(ok.body);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().event, "execution_completed");

  // Another execution, a forged signature, garbage, another route: refused.
  EXPECT_TRUE(is_unauthenticated(w.api.get("/api/executions/" + other + "/stream?stream_token=" + token)));
  auto forged = token;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  EXPECT_TRUE(is_unauthenticated(w.api.get("/api/executions/" + id + "/stream?stream_token=" + forged)));
  EXPECT_TRUE(is_unauthenticated(w.api.get("/api/executions/" + id + "/stream?stream_token=st1.abc.def")));
  EXPECT_TRUE(is_unauthenticated(w.api.get("/api/executions/" + id + "?stream_token=" + token)));
  EXPECT_TRUE(is_unauthenticated(w.api.get("/api/executions/" + id + "/stream?access_token=" + w.admin.access_token)))
      << "access tokens are not accepted in URLs";
  // Unknown execution: 404 before any token is issued.
  EXPECT_TRUE(is_problem(w.api.post("/api/executions/nope/stream-token", json::object{}, w.auth()), 404));
}

// ---- listing -----------------------------------------------------------------------------------

TEST(Executions, ListsFilterAndPageNewestFirst) {
  World w({"--workers", "0"});
  auto crew = w.crew();
  auto other_crew = w.crew(true, "other crew");
  // Apart by a few milliseconds: order within one millisecond is by id, which is random there.
  auto run = [&](const std::string& c) {
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
    return w.run(c);
  };
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(run(crew));
  auto lone = run(other_crew);
  expect_status(w.api.post("/api/executions/" + ids[0] + "/cancel", json::object{}, w.auth()), 202, "cancel");

  auto page1 = w.api.get("/api/executions?limit=2", w.auth());
  ASSERT_EQ(page1.status, 200) << show(page1);
  auto items = page1.json().at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(str(items[0], "id"), lone);
  EXPECT_EQ(str(items[1], "id"), ids[2]);
  auto cursor = str(page1.json(), "next_cursor");
  ASSERT_FALSE(cursor.empty());
  auto page2 = w.api.get("/api/executions?limit=2&cursor=" + cursor, w.auth()).json();
  ASSERT_EQ(page2.at("items").as_array().size(), 2u);
  EXPECT_EQ(str(page2.at("items").as_array()[0], "id"), ids[1]);
  EXPECT_EQ(str(page2.at("items").as_array()[1], "id"), ids[0]);

  auto by_crew = w.api.get("/api/crews/" + crew + "/executions", w.auth()).json().at("items").as_array();
  EXPECT_EQ(by_crew.size(), 3u);
  auto filtered = w.api.get("/api/executions?crew_id=" + other_crew, w.auth()).json().at("items").as_array();
  ASSERT_EQ(filtered.size(), 1u);
  EXPECT_EQ(str(filtered[0], "id"), lone);
  auto cancelled = w.api.get("/api/executions?status=cancelled", w.auth()).json().at("items").as_array();
  ASSERT_EQ(cancelled.size(), 1u);
  EXPECT_EQ(str(cancelled[0], "id"), ids[0]);
  EXPECT_EQ(w.api.get("/api/executions?status=pending", w.auth()).json().at("items").as_array().size(), 3u);
  EXPECT_EQ(w.api.get("/api/executions?to=2000-01-01T00:00:00Z", w.auth()).json().at("items").as_array().size(), 0u);
  EXPECT_EQ(w.api.get("/api/executions?from=2000-01-01T00:00:00Z", w.auth()).json().at("items").as_array().size(), 4u);

  EXPECT_TRUE(has_error_path(w.api.get("/api/executions?status=done", w.auth()), "status"));
  EXPECT_TRUE(has_error_path(w.api.get("/api/executions?from=yesterday", w.auth()), "from"));
  EXPECT_TRUE(has_error_path(w.api.get("/api/executions?limit=0", w.auth()), "limit"));
  EXPECT_TRUE(is_problem(w.api.get("/api/crews/nope/executions", w.auth()), 404));
}

}  // namespace
}  // namespace aop::test
