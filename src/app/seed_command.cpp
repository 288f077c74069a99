// `aop seed --crews M --executions N [--days D] [--seed S]`: fills the default team (the
// oldest; created for the first admin when there is none) with M crews (existing ones count) and N finished
// executions spread over the last D days, each with the event log a real run leaves. For demos
// and benchmarks; the rows are written in large multi-row inserts, one transaction per batch.
#include <chrono>
#include <iostream>

#include "app/commands.hpp"
#include "app/database_setup.hpp"
#include "auth/user_store.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "crews/crew_document.hpp"
#include "crews/crew_parser.hpp"
#include "crews/crew_service.hpp"
#include "crews/crew_store.hpp"
#include "crews/demo_crews.hpp"
#include "executions/event_rows.hpp"
#include "executions/execution_store.hpp"
#include "executions/synthetic_history.hpp"
#include "store/bulk_insert.hpp"
#include "teams/team_store.hpp"

namespace aop::app {

namespace {

constexpr int k_batch = 2000;  // executions per transaction

struct SeedTarget {
  std::string team_id;
  std::string team_name;
  std::optional<std::string> user_id;  // recorded as the runs' trigger
  std::vector<executions::SyntheticCrew> crews;
};

struct NoUsers : std::runtime_error {
  NoUsers() : std::runtime_error("no users") {}
};

// The oldest team, or a new "Default team" owned by the first admin.
std::pair<std::string, std::string> default_team(store::Connection& c, const std::optional<std::string>& owner,
                                                 std::int64_t now) {
  auto teams = teams::list_all_teams(c);
  if (!teams.empty()) return {teams.front().id, teams.front().name};
  if (!owner) throw NoUsers();  // a team nobody can log in to would help no one
  auto team = teams::create_team(c, "Default team", *owner, now);
  return {team.id, team.name};
}

SeedTarget prepare(store::Connection& c, int crew_count, std::int64_t now) {
  SeedTarget t;
  auto users = c.query("SELECT id FROM users WHERE role = 'admin' ORDER BY created_at LIMIT 1");
  if (!users.empty()) t.user_id = users.front().text(0);
  std::tie(t.team_id, t.team_name) = default_team(c, t.user_id, now);

  crews::CrewFilter filter;
  filter.limit = crew_count;
  auto existing = crews::list_crews(c, t.team_id, filter);
  auto documents = crews::demo_crew_documents();
  for (int i = static_cast<int>(existing.size()); i < crew_count; ++i) {
    auto parsed = crews::parse_crew(documents[static_cast<std::size_t>(i) % documents.size()], crews::Format::yaml);
    if (!parsed.ok()) throw std::runtime_error("a demo crew does not parse");
    parsed.spec->name = "Seeded crew " + std::to_string(i + 1) + " (" + parsed.spec->name + ")";
    auto created = crews::create_crew(c, t.team_id, *parsed.spec, std::nullopt, {t.user_id, "Seeded"}, now);
    existing.push_back(crews::deploy_crew(c, std::move(created), t.user_id, now).crew);
  }
  for (const auto& record : existing) {
    auto spec = crews::load_stored(record.config);
    executions::SyntheticCrew crew{record.id, record.deployed_version.value_or(record.version), {}, {}};
    for (const auto& a : spec.agents) crew.agents.push_back(a.name);
    for (const auto& task : spec.tasks) crew.tasks.push_back(task.name);
    t.crews.push_back(std::move(crew));
  }
  return t;
}

}  // namespace

int seed_command(const core::Config& config, const SeedCommandOptions& options) {
  if (options.crews < 1 || options.executions < 0 || options.days < 1) {
    std::cerr << "aop seed: --crews must be at least 1, --executions at least 0 and --days at least 1\n";
    return 2;
  }
  return with_migrated_database(config, [&](store::Database& db) {
    auto now = core::system_clock().now_ms();
    SeedTarget target;
    try {
      db.with_transaction([&](store::Connection& c) { target = prepare(c, options.crews, now); });
    } catch (const NoUsers&) {
      std::cerr << "aop seed: there is no user yet; create an administrator first (`aop demo`, or `aop user create "
                   "--email you@example.com --role admin --password-stdin`)\n";
      return 2;
    }

    executions::HistoryGenerator generator(options.seed, target.team_id, target.crews, target.user_id);
    const std::int64_t span_ms = static_cast<std::int64_t>(options.days) * 24 * 3600 * 1000;
    const std::int64_t first = now - span_ms;
    auto started = std::chrono::steady_clock::now();
    std::int64_t events = 0;
    std::vector<store::Params> run_rows, event_rows;
    for (int done = 0; done < options.executions;) {
      int batch = std::min(k_batch, options.executions - done);
      run_rows.clear();
      event_rows.clear();
      for (int i = 0; i < batch; ++i, ++done) {
        // Evenly spread, oldest first, ending a minute before now so every run has finished.
        auto created = first + (span_ms - 60'000) * done / std::max(1, options.executions);
        auto run = generator.next(created);
        run_rows.push_back(executions::execution_row(run.record));
        for (const auto& e : run.events) event_rows.push_back(executions::event_row(e));
      }
      events += static_cast<std::int64_t>(event_rows.size());
      db.with_transaction([&](store::Connection& c) {
        store::insert_rows(c, "executions", executions::execution_columns(), run_rows);
        store::insert_rows(c, "execution_events", executions::event_columns(), event_rows);
      });
    }
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << "Seeded team \"" << target.team_name << "\" (" << target.team_id << "): " << target.crews.size()
              << " crews, " << options.executions << " executions with " << events << " events in " << seconds
              << " s";
    if (seconds > 0 && options.executions > 0)
      std::cout << " (" << static_cast<long long>(options.executions / seconds * 60) << " executions/minute)";
    std::cout << "\n";
    return 0;
  });
}

}  // namespace aop::app
