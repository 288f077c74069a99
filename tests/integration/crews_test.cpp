// Crews over HTTP: create (YAML or JSON), validate, update with stale-edit protection,
// versions and restore, deploy and stop, export and import, team isolation. Runs once per
// database (AOP_TEST_DB=sqlite|postgres).
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "support/identity.hpp"

namespace aop::test {
namespace {

const std::string k_research_yaml = R"(# A crew written by hand; this comment must survive an export.
name: research-crew
description: Research a topic and write a report
inputs:
  audience: {type: string, required: false, default: engineers}
agents:
  researcher:
    role: "{topic} Senior Data Researcher"
    goal: Uncover cutting-edge developments in {topic}
    backstory: >
      You're a seasoned researcher with a knack for
      uncovering the latest developments.
    llm: openai/gpt-4o-mini
  writer:
    role: Reporting Analyst
    goal: Write clear reports for {audience}
    backstory: You turn research into readable reports.
tasks:
  research_task:
    description: Conduct thorough research about {topic}
    expected_output: A list with 10 bullet points
    agent: researcher
  report_task:
    description: Expand each bullet into a section
    expected_output: A markdown report
    agent: writer
    context: [research_task]
)";

// A document with mistakes the editor must name, each at its path.
const std::string k_broken_yaml = R"(name: broken
process: hierarchical
agents:
  researcher:
    role: Researcher
    goal: Find things
  writer:
    role: Writer
    goal: Write
    backstory: Writes
    llm: not a model
    tools: [web_fetch, teleport]
tasks:
  write:
    description: Write it up
    expected_output: A report
    agent: writr
    context: [research]
  research:
    description: Research
    expected_output: Notes
    agent: researcher
    condition: "tasks.write.output ==="
)";

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Headers yaml_type(Headers h) {
  h.emplace_back("Content-Type", "application/yaml");
  return h;
}
Headers if_match(Headers h, const std::string& version) {
  h.emplace_back("If-Match", "\"" + version + "\"");
  return h;
}

std::set<std::string> paths_of(const json::value& list) {
  std::set<std::string> out;
  for (const auto& d : list.as_array()) out.insert(str(d, "path"));
  return out;
}

struct World {
  World() : server(ServerOptions::with_args({"--user-rate-limit", "0"})), api(server) {
    admin = register_account(api, "crew-admin@example.com", "crew-admin-password");
    team = first_team_id(api, admin.access_token);
  }
  Headers auth() const { return bearer_in_team(admin.access_token, team); }
  json::value create_yaml(const std::string& yaml, int expect = 201) {
    auto r = api.request("POST", "/api/crews", yaml, yaml_type(auth()));
    expect_status(r, expect, "create crew from YAML");
    return r.json();
  }
  json::value get(const std::string& id) {
    auto r = api.get("/api/crews/" + id, auth());
    expect_status(r, 200, "get crew " + id);
    return r.json();
  }
  std::size_t crew_count() {
    auto r = api.get("/api/crews?limit=200", auth());
    expect_status(r, 200, "list crews");
    return r.json().at("items").as_array().size();
  }
  ServerProcess server;
  ApiClient api;
  Account admin;
  std::string team;
};

// ---- create, read, list -----------------------------------------------------------------------

TEST(Crews, YamlCrewIsStoredWithItsSourceAndImplicitInputs) {
  World w;
  auto crew = w.create_yaml(k_research_yaml);
  std::string id = str(crew, "id");
  EXPECT_EQ(str(crew, "name"), "research-crew");
  EXPECT_EQ(str(crew, "status"), "draft");
  EXPECT_EQ(crew.at("version").as_int64(), 1);
  EXPECT_TRUE(crew.at("validation").at("valid").as_bool()) << json::serialize(crew);
  EXPECT_TRUE(crew.at("validation").at("warnings").as_array().empty()) << json::serialize(crew);
  // The folded scalar is read the way CrewAI reads it.
  EXPECT_EQ(str(crew.at("config").at("agents").at("researcher"), "backstory"),
            "You're a seasoned researcher with a knack for uncovering the latest developments.\n");
  // Declared input first, then {topic}, found in the text, as a required string.
  const auto& inputs = crew.at("inputs").as_array();
  ASSERT_EQ(inputs.size(), 2u) << json::serialize(crew.at("inputs"));
  EXPECT_EQ(str(inputs[0], "name"), "audience");
  EXPECT_FALSE(inputs[0].at("required").as_bool());
  EXPECT_EQ(str(inputs[0], "default"), "engineers");
  EXPECT_EQ(str(inputs[1], "name"), "topic");
  EXPECT_EQ(str(inputs[1], "type"), "string");
  EXPECT_TRUE(inputs[1].at("required").as_bool());

  auto got = w.api.get("/api/crews/" + id, w.auth());
  ASSERT_EQ(got.status, 200) << show(got);
  EXPECT_EQ(got.header("etag"), "\"1\"");
  EXPECT_EQ(got.json().at("config"), crew.at("config"));

  // The YAML export is the text the author wrote, comment included.
  auto exported = w.api.get("/api/crews/" + id + "/export?format=yaml", w.auth());
  ASSERT_EQ(exported.status, 200) << show(exported);
  EXPECT_EQ(exported.body, k_research_yaml);
  EXPECT_NE(exported.header("content-type").find("yaml"), std::string::npos);
}

TEST(Crews, JsonWrapperNameOverridesAndListFilters) {
  World w;
  json::object config = json::parse(R"({
    "name": "ignored-name",
    "agents": {"a": {"role": "R", "goal": "G", "backstory": "B"}},
    "tasks": {"t": {"description": "D", "expected_output": "O", "agent": "a"}}})").as_object();
  auto r = w.api.post("/api/crews", json::object{{"name", "Alpha 100% crew"}, {"description", "first"}, {"config", config}},
                      w.auth());
  ASSERT_EQ(r.status, 201) << show(r);
  auto alpha = r.json();
  EXPECT_EQ(str(alpha, "name"), "Alpha 100% crew");
  EXPECT_EQ(str(alpha.at("config"), "name"), "Alpha 100% crew");
  EXPECT_EQ(str(alpha, "description"), "first");
  // config may also be the document's text.
  r = w.api.post("/api/crews", json::object{{"name", "Beta crew"}, {"config", k_research_yaml}}, w.auth());
  ASSERT_EQ(r.status, 201) << show(r);
  auto beta = r.json();
  ASSERT_EQ(w.api.post("/api/crews/" + str(beta, "id") + "/deploy", json::object{}, w.auth()).status, 201);

  auto names = [&](const std::string& query) {
    auto list = w.api.get("/api/crews" + query, w.auth());
    EXPECT_EQ(list.status, 200) << show(list);
    std::vector<std::string> out;
    auto doc = list.json();
    for (const auto& c : doc.at("items").as_array()) out.push_back(str(c, "name"));
    return out;
  };
  EXPECT_EQ(names(""), (std::vector<std::string>{"Beta crew", "Alpha 100% crew"}));  // newest change first
  EXPECT_EQ(names("?status=deployed"), std::vector<std::string>{"Beta crew"});
  EXPECT_EQ(names("?status=draft"), std::vector<std::string>{"Alpha 100% crew"});
  EXPECT_EQ(names("?q=ALPHA"), std::vector<std::string>{"Alpha 100% crew"});
  EXPECT_EQ(names("?q=report"), std::vector<std::string>{"Beta crew"});  // description of the YAML
  EXPECT_EQ(names("?q=100%25"), std::vector<std::string>{"Alpha 100% crew"});
  EXPECT_TRUE(names("?q=1_0").empty()) << "LIKE wildcards in q must match literally";
  // Pagination walks every crew once.
  auto page1 = w.api.get("/api/crews?limit=1", w.auth()).json();
  ASSERT_EQ(page1.at("items").as_array().size(), 1u);
  auto cursor = str(page1, "next_cursor");
  auto page2 = w.api.get("/api/crews?limit=1&cursor=" + cursor, w.auth()).json();
  ASSERT_EQ(page2.at("items").as_array().size(), 1u);
  EXPECT_EQ(str(page2.at("items").at(0), "name"), "Alpha 100% crew");
  EXPECT_TRUE(is_problem(w.api.get("/api/crews?status=running", w.auth()), 400));
  EXPECT_TRUE(has_error_path(w.api.get("/api/crews?status=running", w.auth()), "status"));
}

TEST(Crews, UnreadableDocumentIsRefusedWithPathsAndNothingIsSaved) {
  World w;
  // YAML syntax error: the position is reported.
  auto r = w.api.request("POST", "/api/crews", "name: x\nagents: [\n", yaml_type(w.auth()));
  ASSERT_TRUE(is_problem(r, 422)) << show(r);
  auto errors = r.json().at("errors").as_array();
  ASSERT_FALSE(errors.empty());
  EXPECT_GT(errors[0].at("line").as_int64(), 0) << show(r);
  // Wrong types name the field.
  r = w.api.request("POST", "/api/crews", "name: x\nagents:\n  a:\n    role: R\n    max_iter: many\ntasks: {}\n",
                    yaml_type(w.auth()));
  ASSERT_TRUE(is_problem(r, 422)) << show(r);
  EXPECT_TRUE(has_error_path(r, "agents.a.max_iter")) << show(r);
  // Wrapper mistakes.
  r = w.api.post("/api/crews", json::object{{"name", 5}, {"config", 7}, {"colour", "red"}}, w.auth());
  ASSERT_TRUE(is_problem(r, 422)) << show(r);
  EXPECT_TRUE(has_error_path(r, "name"));
  EXPECT_TRUE(has_error_path(r, "config"));
  EXPECT_TRUE(has_error_path(r, "colour"));
  // No name anywhere.
  r = w.api.request("POST", "/api/crews", "agents: {}\ntasks: {}\n", yaml_type(w.auth()));
  ASSERT_TRUE(is_problem(r, 422)) << show(r);
  EXPECT_TRUE(has_error_path(r, "name"));
  // Neither JSON nor YAML.
  r = w.api.request("POST", "/api/crews", "hello", {{"Authorization", "Bearer " + w.admin.access_token},
                                                     {"Content-Type", "text/plain"}});
  EXPECT_TRUE(is_problem(r, 415)) << show(r);
  EXPECT_EQ(w.crew_count(), 0u);
}

TEST(Crews, ValidateNamesEveryProblemWithoutSaving) {
  World w;
  auto r = w.api.request("POST", "/api/crews/validate", k_broken_yaml, yaml_type(w.auth()));
  ASSERT_EQ(r.status, 200) << show(r);
  auto doc = r.json();
  EXPECT_FALSE(doc.at("valid").as_bool());
  auto errors = paths_of(doc.at("errors"));
  for (const char* path : {"agents.researcher.backstory", "agents.writer.llm", "agents.writer.tools[1]",
                           "tasks.write.agent", "tasks.write.context[0]", "tasks.research.condition", "process"})
    EXPECT_TRUE(errors.count(path)) << "no error at " << path << " in " << json::serialize(doc.at("errors"));
  // Each error says where it is in the text.
  for (const auto& e : doc.at("errors").as_array())
    if (str(e, "path") == "tasks.write.agent") {
      EXPECT_EQ(e.at("line").as_int64(), 17) << json::serialize(e);
    }

  // A valid document with a warning: a task without an agent among several agents.
  std::string warned = k_research_yaml;
  warned.replace(warned.find("    agent: writer\n"), std::strlen("    agent: writer\n"), "");
  r = w.api.request("POST", "/api/crews/validate", warned, yaml_type(w.auth()));
  ASSERT_EQ(r.status, 200) << show(r);
  doc = r.json();
  EXPECT_TRUE(doc.at("valid").as_bool()) << show(r);
  EXPECT_TRUE(paths_of(doc.at("warnings")).count("tasks.report_task.agent")) << show(r);

  // Unreadable text is a finding too, not an HTTP error: the editor calls this as the user types.
  r = w.api.request("POST", "/api/crews/validate", "name: [unclosed\n", yaml_type(w.auth()));
  ASSERT_EQ(r.status, 200) << show(r);
  EXPECT_FALSE(r.json().at("valid").as_bool());
  EXPECT_EQ(w.crew_count(), 0u);
}

// ---- updates, versions ------------------------------------------------------------------------

TEST(Crews, UpdatesMakeVersionsAndStaleEditsGet409) {
  World w;
  std::string id = str(w.create_yaml(k_research_yaml), "id");
  std::string url = "/api/crews/" + id;

  auto r = w.api.put(url, json::object{{"name", "Renamed crew"}}, if_match(w.auth(), "1"));
  ASSERT_EQ(r.status, 200) << show(r);
  EXPECT_EQ(r.json().at("version").as_int64(), 2);
  EXPECT_EQ(r.header("etag"), "\"2\"");
  // The YAML source no longer says the same name, so the export is regenerated from the config.
  auto exported = w.api.get(url + "/export", w.auth());
  EXPECT_NE(exported.body.find("name: Renamed crew"), std::string::npos) << exported.body;

  // A second editor still on version 1 is refused, and nothing changes.
  r = w.api.put(url, json::object{{"name", "Lost update"}}, if_match(w.auth(), "1"));
  ASSERT_TRUE(is_problem(r, 409)) << show(r);
  EXPECT_EQ(r.header("etag"), "\"2\"");
  auto now = w.get(id);
  EXPECT_EQ(str(now, "name"), "Renamed crew");
  EXPECT_EQ(now.at("version").as_int64(), 2);
  // The same with the body's version field; both given and different is a mistake.
  r = w.api.put(url, json::object{{"version", 1}, {"description", "x"}}, w.auth());
  EXPECT_TRUE(is_problem(r, 409)) << show(r);
  r = w.api.put(url, json::object{{"version", 1}, {"description", "x"}}, if_match(w.auth(), "2"));
  EXPECT_TRUE(is_problem(r, 422)) << show(r);
  r = w.api.request("PUT", url, to_body(json::object{{"description", "x"}}),
                    [&] { auto h = w.auth(); h.emplace_back("If-Match", "banana"); return h; }());
  EXPECT_TRUE(is_problem(r, 400)) << show(r);

  // A new YAML document as the update, guarded by its version field.
  std::string edited = k_research_yaml;
  edited.replace(edited.find("10 bullet points"), 16, "12 bullet points");
  r = w.api.put(url, json::object{{"config", edited}, {"version", 2}, {"message", "two more bullets"}}, w.auth());
  ASSERT_EQ(r.status, 200) << show(r);
  EXPECT_EQ(r.json().at("version").as_int64(), 3);
  EXPECT_EQ(str(r.json(), "name"), "research-crew");
  // Saving the identical document again makes no version.
  r = w.api.put(url, json::object{{"config", edited}}, w.auth());
  ASSERT_EQ(r.status, 200) << show(r);
  EXPECT_EQ(r.json().at("version").as_int64(), 3);
  // A raw YAML body with If-Match.
  r = w.api.request("PUT", url, k_research_yaml, if_match(yaml_type(w.auth()), "3"));
  ASSERT_EQ(r.status, 200) << show(r);
  EXPECT_EQ(r.json().at("version").as_int64(), 4);

  // Concurrent editors of the same version: exactly one wins.
  auto results = concurrently(6, [&](int i) {
    return w.api.put(url, json::object{{"description", "editor " + std::to_string(i)}}, if_match(w.auth(), "4"));
  });
  int ok = 0, conflicts = 0;
  for (const auto& res : results) {
    if (res.status == 200) ++ok;
    else if (res.status == 409) ++conflicts;
    else ADD_FAILURE() << show(res);
  }
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(conflicts, 5);
  EXPECT_EQ(w.get(id).at("version").as_int64(), 5);
}

TEST(Crews, VersionsCanBeListedReadAndRestored) {
  World w;
  std::string id = str(w.create_yaml(k_research_yaml), "id");
  std::string url = "/api/crews/" + id;
  auto v1 = w.get(id).at("config");
  ASSERT_EQ(w.api.put(url, json::object{{"description", "second"}, {"message", "describe"}}, w.auth()).status, 200);
  ASSERT_EQ(w.api.put(url, json::object{{"description", "third"}}, w.auth()).status, 200);

  auto list = w.api.get(url + "/versions", w.auth());
  ASSERT_EQ(list.status, 200) << show(list);
  auto items = list.json().at("items").as_array();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].at("version").as_int64(), 3);
  EXPECT_EQ(items[1].at("version").as_int64(), 2);
  EXPECT_EQ(str(items[1], "message"), "describe");
  EXPECT_EQ(str(items[2], "author_id"), w.admin.id);
  // Pages of one.
  auto page = w.api.get(url + "/versions?limit=2", w.auth()).json();
  ASSERT_EQ(page.at("items").as_array().size(), 2u);
  auto rest = w.api.get(url + "/versions?limit=2&cursor=" + str(page, "next_cursor"), w.auth()).json();
  ASSERT_EQ(rest.at("items").as_array().size(), 1u);
  EXPECT_EQ(rest.at("items").at(0).at("version").as_int64(), 1);

  auto one = w.api.get(url + "/versions/1", w.auth());
  ASSERT_EQ(one.status, 200) << show(one);
  EXPECT_EQ(one.json().at("config"), v1);
  EXPECT_EQ(str(one.json(), "source_yaml"), k_research_yaml);
  EXPECT_TRUE(is_problem(w.api.get(url + "/versions/9", w.auth()), 404));
  EXPECT_TRUE(is_problem(w.api.get(url + "/versions/abc", w.auth()), 404));

  // Restoring makes a new version with the old document; a stale restore is refused.
  auto stale = w.api.request("POST", url + "/versions/1/restore", "", if_match(w.auth(), "2"));
  EXPECT_TRUE(is_problem(stale, 409)) << show(stale);
  auto restored = w.api.request("POST", url + "/versions/1/restore", "", if_match(w.auth(), "3"));
  ASSERT_EQ(restored.status, 200) << show(restored);
  EXPECT_EQ(restored.json().at("version").as_int64(), 4);
  EXPECT_EQ(restored.json().at("config"), v1);
  EXPECT_EQ(w.api.get(url + "/export", w.auth()).body, k_research_yaml);
  auto latest = w.api.get(url + "/versions?limit=1", w.auth()).json().at("items").at(0);
  EXPECT_EQ(str(latest, "message"), "Restored version 1");
}

// ---- deployment -------------------------------------------------------------------------------

TEST(Crews, OnlyAValidCrewDeploysAndRedeployPinsTheNewVersion) {
  World w;
  // A draft with errors saves...
  auto draft = w.create_yaml(k_broken_yaml);
  EXPECT_FALSE(draft.at("validation").at("valid").as_bool());
  std::string url = "/api/crews/" + str(draft, "id");
  // ...but does not deploy, and the refusal lists the problems.
  auto r = w.api.post(url + "/deploy", json::object{}, w.auth());
  ASSERT_TRUE(is_problem(r, 422)) << show(r);
  EXPECT_TRUE(has_error_path(r, "tasks.write.agent")) << show(r);
  EXPECT_EQ(str(w.get(str(draft, "id")), "status"), "draft");

  // Warnings block a deployment too.
  std::string warned = k_research_yaml;
  warned.replace(warned.find("    agent: writer\n"), std::strlen("    agent: writer\n"), "");
  r = w.api.request("PUT", url, warned, if_match(yaml_type(w.auth()), "1"));
  ASSERT_EQ(r.status, 200) << show(r);
  r = w.api.post(url + "/deploy", json::object{}, w.auth());
  ASSERT_TRUE(is_problem(r, 422)) << show(r);
  EXPECT_TRUE(has_error_path(r, "tasks.report_task.agent")) << show(r);

  r = w.api.request("PUT", url, k_research_yaml, yaml_type(w.auth()));
  ASSERT_EQ(r.status, 200) << show(r);
  ASSERT_EQ(r.json().at("version").as_int64(), 3);
  r = w.api.post(url + "/deploy", json::object{}, w.auth());
  ASSERT_EQ(r.status, 201) << show(r);
  auto first = r.json();
  EXPECT_EQ(first.at("version").as_int64(), 3);
  EXPECT_EQ(str(first, "status"), "active");
  EXPECT_EQ(str(first, "endpoint"), url + "/run");
  EXPECT_EQ(str(first.at("crew"), "status"), "deployed");
  EXPECT_EQ(first.at("crew").at("deployed_version").as_int64(), 3);
  // Deploying the same version again changes nothing.
  r = w.api.post(url + "/deploy", json::object{}, w.auth());
  ASSERT_EQ(r.status, 200) << show(r);
  EXPECT_EQ(str(r.json(), "id"), str(first, "id"));

  // An edit leaves the deployment pinned; deploying again pins the new version.
  ASSERT_EQ(w.api.put(url, json::object{{"description", "v4"}}, w.auth()).status, 200);
  auto crew = w.get(str(draft, "id"));
  EXPECT_EQ(str(crew, "status"), "deployed");
  EXPECT_EQ(crew.at("version").as_int64(), 4);
  EXPECT_EQ(crew.at("deployed_version").as_int64(), 3);
  r = w.api.post(url + "/deploy", json::object{}, w.auth());
  ASSERT_EQ(r.status, 201) << show(r);
  EXPECT_EQ(r.json().at("version").as_int64(), 4);
  EXPECT_NE(str(r.json(), "id"), str(first, "id"));

  r = w.api.post(url + "/stop", json::object{}, w.auth());
  ASSERT_EQ(r.status, 200) << show(r);
  EXPECT_EQ(str(r.json(), "status"), "stopped");
  EXPECT_TRUE(is_problem(w.api.post(url + "/stop", json::object{}, w.auth()), 409));
  // The history of deployments is in the audit log, in order.
  auto audit = w.api.get("/api/audit?action=crew.", w.auth()).json();
  std::vector<std::string> actions;
  for (const auto& e : audit.at("items").as_array()) actions.push_back(str(e, "action"));
  EXPECT_EQ(actions, (std::vector<std::string>{"crew.stop", "crew.deploy", "crew.update", "crew.deploy", "crew.update",
                                               "crew.update", "crew.create"}));
}

TEST(Crews, DeleteHidesTheCrewAndStopsItsDeployment) {
  World w;
  auto crew = w.create_yaml(k_research_yaml);
  std::string url = "/api/crews/" + str(crew, "id");
  ASSERT_EQ(w.api.post(url + "/deploy", json::object{}, w.auth()).status, 201);
  ASSERT_EQ(w.api.del(url, w.auth()).status, 204);
  for (const auto& target : {url, url + "/versions", url + "/export", url + "/versions/1"})
    EXPECT_TRUE(is_problem(w.api.get(target, w.auth()), 404)) << target;
  EXPECT_TRUE(is_problem(w.api.post(url + "/deploy", json::object{}, w.auth()), 404));
  EXPECT_TRUE(is_problem(w.api.del(url, w.auth()), 404));
  EXPECT_EQ(w.crew_count(), 0u);
}

TEST(Crews, AnotherTeamsCrewDoesNotExist) {
  World w;
  std::string url = "/api/crews/" + str(w.create_yaml(k_research_yaml), "id");
  // A developer who owns a team of their own and is not in the admin's team.
  auto parking = create_team(w.api, w.admin.access_token, "Parking");
  auto other = create_user(w.api, w.admin.access_token, "crew-outsider@example.com", "crew-outsider-password",
                           "developer", parking);
  auto own_team = create_team(w.api, other.access_token, "Outsider team");
  auto as_other = bearer_in_team(other.access_token, own_team);
  for (const auto& target : {url, url + "/versions", url + "/versions/1", url + "/export"})
    EXPECT_TRUE(is_problem(w.api.get(target, as_other), 404)) << target;
  EXPECT_TRUE(is_problem(w.api.put(url, json::object{{"description", "mine"}}, as_other), 404));
  EXPECT_TRUE(is_problem(w.api.post(url + "/deploy", json::object{}, as_other), 404));
  EXPECT_TRUE(is_problem(w.api.del(url, as_other), 404));
  EXPECT_TRUE(w.api.get("/api/crews", as_other).json().at("items").as_array().empty());
  EXPECT_EQ(w.get(url.substr(url.rfind('/') + 1)).at("version").as_int64(), 1);
}

// ---- export and import ------------------------------------------------------------------------

TEST(Crews, ExportThenImportGivesBackTheSameCrew) {
  World w;
  const std::string rich = R"(name: analysis-crew
description: A hierarchical crew with a condition and structured output
process: hierarchical
manager_llm: anthropic/claude-3-5-sonnet-20241022
agents:
  analyst:
    role: Data Analyst
    goal: Analyse {dataset}
    backstory: Careful with numbers.
    tools: [calculator, http_request]
    max_iter: 10
  critic:
    role: Critic
    goal: Find flaws
    backstory: Skeptical.
    allow_delegation: true
tasks:
  analyse:
    description: Analyse {dataset} and score it
    expected_output: A JSON object with a score
    agent: analyst
    output_json:
      type: object
      properties: {score: {type: number}}
      required: [score]
  critique:
    description: Critique the analysis
    expected_output: A list of flaws
    agent: critic
    condition: "tasks.analyse.json.score < 5"
)";
  auto original = w.create_yaml(rich);
  ASSERT_TRUE(original.at("validation").at("valid").as_bool()) << json::serialize(original.at("validation"));
  std::string url = "/api/crews/" + str(original, "id");
  for (const std::string format : {"yaml", "json"}) {
    auto exported = w.api.get(url + "/export?format=" + format, w.auth());
    ASSERT_EQ(exported.status, 200) << show(exported);
    Headers h = w.auth();
    h.emplace_back("Content-Type", format == "yaml" ? "application/yaml" : "application/json");
    auto imported = w.api.request("POST", "/api/crews/import", exported.body, h);
    ASSERT_EQ(imported.status, 201) << format << ": " << show(imported);
    EXPECT_EQ(imported.json().at("config"), original.at("config")) << format;
    EXPECT_EQ(imported.json().at("inputs"), original.at("inputs")) << format;
    EXPECT_NE(str(imported.json(), "id"), str(original, "id"));
  }
  // The CrewAI pair carries agents and tasks; the rest of the crew lives in crew.py there.
  auto pair = w.api.get(url + "/export?format=crewai", w.auth());
  ASSERT_EQ(pair.status, 200) << show(pair);
  auto files = pair.json();
  auto imported = w.api.post("/api/crews/import",
                             json::object{{"agents_yaml", files.at("agents_yaml")},
                                          {"tasks_yaml", files.at("tasks_yaml")},
                                          {"name", "analysis-crew"}},
                             w.auth());
  ASSERT_EQ(imported.status, 201) << show(imported);
  auto config = imported.json().at("config");
  EXPECT_EQ(config.at("agents"), original.at("config").at("agents"));
  // Tasks lose only the AOP-only fields (condition, output_json), which the export lists.
  std::set<std::string> not_exported;
  for (const auto& p : files.at("not_exported").as_array()) not_exported.insert(std::string(p.as_string()));
  EXPECT_TRUE(not_exported.count("process")) << pair.body;
  EXPECT_TRUE(not_exported.count("tasks.critique.condition")) << pair.body;
  EXPECT_EQ(config.at("tasks").at("analyse").at("description"),
            original.at("config").at("tasks").at("analyse").at("description"));
  EXPECT_TRUE(is_problem(w.api.get(url + "/export?format=zip", w.auth()), 400));
}

TEST(Crews, ImportOfACrewAiProjectKeepsWhatUsersFixInTheEditor) {
  World w;
  auto dir = source_dir() / "tests/fixtures/crewai/research_crew/config";
  auto agents = read_text(dir / "agents.yaml");
  auto tasks = read_text(dir / "tasks.yaml");
  ASSERT_FALSE(agents.empty());
  // CrewAI projects often wire agents in Python: drop one task's agent.
  auto tasks_without_agent = tasks;
  auto at = tasks_without_agent.find("  agent: reporting_analyst\n");
  ASSERT_NE(at, std::string::npos);
  tasks_without_agent.erase(at, std::strlen("  agent: reporting_analyst\n"));
  auto r = w.api.post("/api/crews/import",
                      json::object{{"agents_yaml", agents}, {"tasks_yaml", tasks_without_agent}}, w.auth());
  ASSERT_EQ(r.status, 201) << show(r);
  auto crew = r.json();
  EXPECT_EQ(str(crew, "status"), "draft");
  EXPECT_EQ(str(crew, "name"), "Imported crew");
  EXPECT_TRUE(paths_of(crew.at("validation").at("warnings")).count("tasks.reporting_task.agent"))
      << json::serialize(crew.at("validation"));
  std::set<std::string> inputs;
  for (const auto& in : crew.at("inputs").as_array()) inputs.insert(str(in, "name"));
  EXPECT_TRUE(inputs.count("topic"));
  EXPECT_TRUE(inputs.count("current_year"));
  // A pair that cannot be read names the file in its paths.
  r = w.api.post("/api/crews/import", json::object{{"agents_yaml", "researcher: [\n"}, {"tasks_yaml", tasks}}, w.auth());
  ASSERT_TRUE(is_problem(r, 422)) << show(r);
  EXPECT_EQ(w.crew_count(), 1u);
}

}  // namespace
}  // namespace aop::test
