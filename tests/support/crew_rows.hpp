#pragma once
// Test-only: a crew row written straight into the server's database, for tests that need a
// crew to exist in a team the test's user cannot create crews in (another team), or without a
// user at all. Prefer POST /api/crews where the API can do it. The config is a valid minimal
// document, so the crews API can read such a row.
#include <string>

#include "core/ids.hpp"
#include "support/scratch_database.hpp"

namespace aop::test {

// Inserts a draft crew of `team_id` named `name` and returns its id.
inline std::string create_crew_row(const ScratchDatabase& db, const std::string& team_id,
                                   const std::string& name = "Test crew") {
  std::string id = core::new_id();
  auto quote = [](const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
  };
  db.execute("INSERT INTO crews (id, team_id, name, config, created_at, updated_at) VALUES (" + quote(id) + ", " +
             quote(team_id) + ", " + quote(name) +
             ", '{\"name\":\"test\",\"agents\":{\"a\":{\"role\":\"R\",\"goal\":\"G\",\"backstory\":\"B\"}},"
             "\"tasks\":{\"t\":{\"description\":\"D\",\"expected_output\":\"O\",\"agent\":\"a\"}}}', 1, 1)");
  return id;
}

// Soft-deletes a crew row, as DELETE /api/crews/{id} will.
inline void soft_delete_crew_row(const ScratchDatabase& db, const std::string& crew_id) {
  db.execute("UPDATE crews SET deleted_at = 2 WHERE id = '" + crew_id + "'");
}

}  // namespace aop::test
