// The secrets store on both databases: insert/replace, listings by scope and kind, deletion,
// the merged run environment (crew over team), and values that no longer decrypt.
#include "crews/secret_store.hpp"

#include <gtest/gtest.h>

#include "core/crypto.hpp"
#include "store/migrator.hpp"
#include "unit/store/test_database.hpp"

namespace aop::crews {
namespace {

using store::Connection;
using store::Dialect;
using store::testing::TestDatabase;

const std::string k_team = "team-1";
const std::string k_other_team = "team-2";
const std::string k_crew = "crew-1";
const std::string k_crew2 = "crew-2";

SecretOwner env(const std::string& crew_id, const std::string& name, const std::string& team = k_team) {
  return SecretOwner{team, crew_id, name, std::string(k_env_kind)};
}

class SecretStoreTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    AOP_REQUIRE_TEST_DATABASE(GetParam());
    tdb_ = std::make_unique<TestDatabase>(GetParam());
    store::migrate(db());
    db().with_transaction([](Connection& c) {
      for (const auto& team : {k_team, k_other_team})
        c.execute("INSERT INTO teams (id, name, slug, created_at, updated_at) VALUES (?, ?, ?, 1, 1)",
                  {team, team, team});
      c.execute("INSERT INTO crews (id, team_id, name, config, created_at, updated_at) VALUES (?, ?, 'c1', '{}', 1, 1)",
                {k_crew, k_team});
      c.execute("INSERT INTO crews (id, team_id, name, config, created_at, updated_at) VALUES (?, ?, 'c2', '{}', 1, 1)",
                {k_crew2, k_team});
    });
  }
  store::Database& db() { return **tdb_; }

  PutSecretResult put(const SecretOwner& owner, const std::string& value, std::int64_t now = 1000) {
    PutSecretResult r;
    db().with_transaction([&](Connection& c) { r = put_secret(c, box_, owner, value, "", now); });
    return r;
  }
  template <class F>
  auto read(F fn) {
    std::invoke_result_t<F, Connection&> out{};
    db().with_reader([&](Connection& c) { out = fn(c); });
    return out;
  }

  std::unique_ptr<TestDatabase> tdb_;
  SecretBox box_{core::random_key()};
};

TEST_P(SecretStoreTest, PutCreatesThenReplacesKeepingIdAndCreationTime) {
  auto first = put(env(k_crew, "API_TOKEN"), "first-value", 1000);
  EXPECT_TRUE(first.created);
  EXPECT_FALSE(first.row.id.empty());
  EXPECT_EQ(first.row.created_at, 1000);
  auto second = put(env(k_crew, "API_TOKEN"), "second-value", 2000);
  EXPECT_FALSE(second.created);
  EXPECT_EQ(second.row.id, first.row.id);
  EXPECT_EQ(second.row.created_at, 1000);
  EXPECT_EQ(second.row.updated_at, 2000);
  EXPECT_EQ(read([&](Connection& c) { return read_secret(c, box_, env(k_crew, "API_TOKEN")); }), "second-value");
  EXPECT_EQ(read([&](Connection& c) { return c.query("SELECT COUNT(*) FROM secrets").front().i64(0); }), 1);
  // The same name at team level is a separate value.
  EXPECT_TRUE(put(env("", "API_TOKEN"), "team-value").created);
  EXPECT_EQ(read([&](Connection& c) { return read_secret(c, box_, env("", "API_TOKEN")); }), "team-value");
  EXPECT_EQ(read([&](Connection& c) { return read_secret(c, box_, env(k_crew, "API_TOKEN")); }), "second-value");
}

TEST_P(SecretStoreTest, ValuesAreEncryptedAtRest) {
  const std::string value = "plain-text-that-must-not-be-stored-7f3a";
  put(env(k_crew, "SECRET"), value);
  auto stored = read([](Connection& c) {
    auto rows = c.query("SELECT nonce, ciphertext FROM secrets");
    return rows.front().text(0) + "|" + rows.front().text(1);
  });
  EXPECT_EQ(stored.find(value), std::string::npos);
  EXPECT_EQ(stored.find(core::base64url_encode(value)), std::string::npos);
}

TEST_P(SecretStoreTest, ListsOneScopeAndKindByNameOnly) {
  put(env("", "b_team"), "1");
  put(env("", "A_TEAM"), "2");
  put(env("", "_first"), "3");
  put(env(k_crew, "CREW_ONLY"), "4");
  put(env("", "OTHER", k_other_team), "5");
  put(SecretOwner{k_team, "", "llm_provider:provider-1", std::string(k_llm_api_key_kind)}, "6");
  auto names = [&](const std::string& team, const std::string& crew) {
    std::vector<std::string> out;
    for (const auto& row : read([&](Connection& c) { return list_secrets(c, team, crew, k_env_kind); }))
      out.push_back(row.name);
    return out;
  };
  EXPECT_EQ(names(k_team, ""), (std::vector<std::string>{"A_TEAM", "_first", "b_team"})) << "byte order, env only";
  EXPECT_EQ(names(k_team, k_crew), (std::vector<std::string>{"CREW_ONLY"}));
  EXPECT_EQ(names(k_team, k_crew2), (std::vector<std::string>{}));
  EXPECT_EQ(names(k_other_team, ""), (std::vector<std::string>{"OTHER"}));
  auto keys = read([&](Connection& c) { return list_secrets(c, k_team, "", k_llm_api_key_kind); });
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].name, "llm_provider:provider-1");
}

TEST_P(SecretStoreTest, DeleteRemovesOneValue) {
  auto created = put(env(k_crew, "GONE"), "x");
  put(env("", "GONE"), "team keeps its own");
  std::optional<std::string> deleted;
  db().with_transaction([&](Connection& c) { deleted = delete_secret(c, env(k_crew, "GONE")); });
  EXPECT_EQ(deleted, created.row.id);
  db().with_transaction([&](Connection& c) { deleted = delete_secret(c, env(k_crew, "GONE")); });
  EXPECT_FALSE(deleted) << "nothing left to delete";
  EXPECT_FALSE(read([&](Connection& c) { return find_secret(c, env(k_crew, "GONE")); }));
  EXPECT_TRUE(read([&](Connection& c) { return find_secret(c, env("", "GONE")); }));
}

TEST_P(SecretStoreTest, RunEnvironmentIsTheTeamsOverriddenByTheCrews) {
  put(env("", "A"), "team-a");
  put(env("", "B"), "team-b");
  put(env(k_crew, "B"), "crew-b");
  put(env(k_crew, "C"), "crew-c");
  put(env(k_crew2, "A"), "crew2-a");
  put(env("", "A", k_other_team), "other-team-a");
  put(SecretOwner{k_team, "", "llm_provider:p1", std::string(k_llm_api_key_kind)}, "not an env value");
  using Env = std::map<std::string, std::string>;
  EXPECT_EQ(read([&](Connection& c) { return resolve_env(c, box_, k_team, k_crew); }),
            (Env{{"A", "team-a"}, {"B", "crew-b"}, {"C", "crew-c"}}));
  EXPECT_EQ(read([&](Connection& c) { return resolve_env(c, box_, k_team, k_crew2); }),
            (Env{{"A", "crew2-a"}, {"B", "team-b"}}));
  EXPECT_EQ(read([&](Connection& c) { return resolve_env(c, box_, k_team, ""); }),
            (Env{{"A", "team-a"}, {"B", "team-b"}}));
  EXPECT_EQ(read([&](Connection& c) { return resolve_env(c, box_, k_other_team, ""); }), (Env{{"A", "other-team-a"}}));
}

TEST_P(SecretStoreTest, ARowCopiedToAnotherCrewFailsToDecryptWithoutRevealingIt) {
  put(env(k_crew, "TOKEN"), "crew-one-token-value");
  put(env(k_crew2, "TOKEN"), "crew-two-token-value");
  // Someone with database access copies crew 1's ciphertext over crew 2's.
  db().with_transaction([&](Connection& c) {
    auto rows = c.query("SELECT nonce, ciphertext FROM secrets WHERE crew_id = ?", {k_crew});
    c.execute("UPDATE secrets SET nonce = ?, ciphertext = ? WHERE crew_id = ?",
              {rows.front().text(0), rows.front().text(1), k_crew2});
  });
  try {
    read([&](Connection& c) { return resolve_env(c, box_, k_team, k_crew2); });
    FAIL() << "expected SecretUnreadable";
  } catch (const SecretUnreadable& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("TOKEN"), std::string::npos) << what;
    EXPECT_NE(what.find(k_crew2), std::string::npos) << what;
    EXPECT_EQ(what.find("token-value"), std::string::npos) << what;
  }
  EXPECT_EQ(read([&](Connection& c) { return resolve_env(c, box_, k_team, k_crew); }).at("TOKEN"),
            "crew-one-token-value");
}

TEST_P(SecretStoreTest, AnotherMasterKeyCannotReadAndTheCheckCountsIt) {
  put(env("", "A"), "a", 1000);
  put(env(k_crew, "B"), "b", 2000);
  EXPECT_EQ(read([&](Connection& c) { return check_secrets(c, box_, std::nullopt).unreadable; }), 0u);
  SecretBox other(core::random_key());
  EXPECT_THROW(read([&](Connection& c) { return read_secret(c, other, env("", "A")); }), SecretUnreadable);
  EXPECT_THROW(read([&](Connection& c) { return resolve_env(c, other, k_team, k_crew); }), SecretUnreadable);
  auto all = read([&](Connection& c) { return check_secrets(c, other, std::nullopt); });
  EXPECT_EQ(all.checked, 2u);
  EXPECT_EQ(all.unreadable, 2u);
  auto newest = read([&](Connection& c) { return check_secrets(c, other, 1); });
  EXPECT_EQ(newest.checked, 1u);
  // A value set again under the new key is readable; the other stays unreadable.
  db().with_transaction([&](Connection& c) { put_secret(c, other, env("", "A"), "a2", "", 3000); });
  EXPECT_EQ(read([&](Connection& c) { return read_secret(c, other, env("", "A")); }), "a2");
  EXPECT_EQ(read([&](Connection& c) { return check_secrets(c, other, std::nullopt).unreadable; }), 1u);
}

TEST_P(SecretStoreTest, DeletingACrewDeletesItsValues) {
  put(env(k_crew, "X"), "x");
  db().with_transaction([&](Connection& c) { c.execute("DELETE FROM crews WHERE id = ?", {k_crew}); });
  EXPECT_EQ(read([&](Connection& c) { return c.query("SELECT COUNT(*) FROM secrets").front().i64(0); }), 0);
}

INSTANTIATE_TEST_SUITE_P(Dialects, SecretStoreTest, ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         store::testing::DialectName());

}  // namespace
}  // namespace aop::crews
