// Changes to a crew on both databases: a writer that read an older version of the crew must
// not overwrite a newer one (on PostgreSQL two write transactions can interleave).
#include "crews/crew_service.hpp"

#include <gtest/gtest.h>

#include "crews/crew_document.hpp"
#include "crews/crew_parser.hpp"
#include "store/migrator.hpp"
#include "unit/store/test_database.hpp"

namespace aop::crews {
namespace {

using store::Connection;
using store::Dialect;
using store::testing::TestDatabase;

CrewSpec spec_named(const std::string& name) {
  auto parsed = parse_crew("name: " + name +
                           "\nagents:\n  a: {role: R, goal: G, backstory: B}\n"
                           "tasks:\n  t: {description: D, expected_output: O, agent: a}\n");
  return *parsed.spec;
}

class CrewStoreTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    AOP_REQUIRE_TEST_DATABASE(GetParam());
    tdb_ = std::make_unique<TestDatabase>(GetParam());
    store::migrate(db());
    db().with_transaction([&](Connection& c) {
      c.execute("INSERT INTO teams (id, name, slug, created_at, updated_at) VALUES ('team', 'T', 't', 1, 1)");
      crew_ = create_crew(c, "team", spec_named("first"), std::nullopt, {}, 10);
    });
  }
  store::Database& db() { return **tdb_; }
  CrewRecord stored() {
    CrewRecord out;
    db().with_reader([&](Connection& c) { out = *find_crew(c, "team", crew_.id); });
    return out;
  }

  std::unique_ptr<TestDatabase> tdb_;
  CrewRecord crew_;
};

TEST_P(CrewStoreTest, AWriterHoldingAnOlderVersionIsRefusedAndWritesNothing) {
  CrewRecord read_before = crew_;  // what a second writer read before the first one committed
  db().with_transaction(
      [&](Connection& c) { save_crew_version(c, crew_, spec_named("second"), std::nullopt, {}, 20); });
  ASSERT_EQ(stored().version, 2);

  EXPECT_THROW(db().with_transaction([&](Connection& c) {
    save_crew_version(c, read_before, spec_named("stale"), std::nullopt, {}, 30);
  }), CrewChanged);
  EXPECT_THROW(db().with_transaction([&](Connection& c) { deploy_crew(c, read_before, std::nullopt, 30); }),
               CrewChanged);
  auto now = stored();
  EXPECT_EQ(now.version, 2);
  EXPECT_EQ(now.name, "second");
  EXPECT_EQ(now.status, "draft");
  std::int64_t versions = 0, deployments = 0;
  db().with_reader([&](Connection& c) {
    versions = c.query("SELECT COUNT(*) FROM crew_versions WHERE crew_id = ?", {crew_.id}).front().i64(0);
    deployments = c.query("SELECT COUNT(*) FROM deployments WHERE crew_id = ?", {crew_.id}).front().i64(0);
  });
  EXPECT_EQ(versions, 2) << "the refused change rolled back with its version row";
  EXPECT_EQ(deployments, 0);
}

TEST_P(CrewStoreTest, ADeletedCrewCannotBeChanged) {
  db().with_transaction([&](Connection& c) { delete_crew(c, crew_, 20); });
  EXPECT_THROW(db().with_transaction([&](Connection& c) {
    save_crew_version(c, crew_, spec_named("after delete"), std::nullopt, {}, 30);
  }), CrewChanged);
}

INSTANTIATE_TEST_SUITE_P(Dialects, CrewStoreTest, ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         store::testing::DialectName());

}  // namespace
}  // namespace aop::crews
