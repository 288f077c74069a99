#include "store/postgres/placeholders.hpp"

#include <gtest/gtest.h>

namespace aop::store {
namespace {

std::string rewrite(std::string_view sql) { return rewrite_placeholders(sql).sql; }

TEST(StorePlaceholdersTest, NumbersEachPlaceholder) {
  auto r = rewrite_placeholders("SELECT * FROM t WHERE a = ? AND b IN (?, ?) LIMIT ?");
  EXPECT_EQ(r.sql, "SELECT * FROM t WHERE a = $1 AND b IN ($2, $3) LIMIT $4");
  EXPECT_EQ(r.param_count, 4);
  EXPECT_EQ(rewrite_placeholders("SELECT 1").param_count, 0);
  EXPECT_EQ(rewrite(""), "");
  EXPECT_EQ(rewrite("?"), "$1");
  EXPECT_EQ(rewrite("??"), "$1$2");
}

TEST(StorePlaceholdersTest, LeavesStringLiteralsAlone) {
  EXPECT_EQ(rewrite("SELECT '?', ?"), "SELECT '?', $1");
  EXPECT_EQ(rewrite("SELECT 'it''s ?', ?"), "SELECT 'it''s ?', $1");
  EXPECT_EQ(rewrite("SELECT '', ?"), "SELECT '', $1");
  EXPECT_EQ(rewrite("SELECT E'\\' ?', ?"), "SELECT E'\\' ?', $1");
  // Outside E'...' a backslash is an ordinary character (standard_conforming_strings).
  EXPECT_EQ(rewrite("SELECT '\\', ?"), "SELECT '\\', $1");
  EXPECT_EQ(rewrite("SELECT name'?'"), "SELECT name'?'");
}

TEST(StorePlaceholdersTest, LeavesQuotedIdentifiersAlone) {
  EXPECT_EQ(rewrite("SELECT \"what?\" FROM t WHERE x = ?"), "SELECT \"what?\" FROM t WHERE x = $1");
  EXPECT_EQ(rewrite("SELECT \"a\"\"?\" , ?"), "SELECT \"a\"\"?\" , $1");
}

TEST(StorePlaceholdersTest, LeavesCommentsAlone) {
  EXPECT_EQ(rewrite("SELECT ? -- why?\n, ?"), "SELECT $1 -- why?\n, $2");
  EXPECT_EQ(rewrite("SELECT ? -- trailing?"), "SELECT $1 -- trailing?");
  EXPECT_EQ(rewrite("SELECT /* ? /* nested ? */ ? */ ?"), "SELECT /* ? /* nested ? */ ? */ $1");
  EXPECT_EQ(rewrite("SELECT 1 - ?"), "SELECT 1 - $1");
  EXPECT_EQ(rewrite("SELECT 4 / ?"), "SELECT 4 / $1");
}

TEST(StorePlaceholdersTest, LeavesDollarQuotesAlone) {
  EXPECT_EQ(rewrite("SELECT $$ ? $$, ?"), "SELECT $$ ? $$, $1");
  EXPECT_EQ(rewrite("SELECT $fn$ it's ? $ $fn$, ?"), "SELECT $fn$ it's ? $ $fn$, $1");
  EXPECT_EQ(rewrite("SELECT $1, ?"), "SELECT $1, $1");  // "$1" is not a quote
  EXPECT_EQ(rewrite("SELECT a$b, ?"), "SELECT a$b, $1");
}

TEST(StorePlaceholdersTest, UnterminatedTokensDoNotCrash) {
  EXPECT_EQ(rewrite("SELECT '?"), "SELECT '?");
  EXPECT_EQ(rewrite("SELECT \"?"), "SELECT \"?");
  EXPECT_EQ(rewrite("SELECT /* ?"), "SELECT /* ?");
  EXPECT_EQ(rewrite("SELECT $x$ ?"), "SELECT $x$ ?");
  EXPECT_EQ(rewrite("SELECT E'\\"), "SELECT E'\\");
}

TEST(StorePlaceholdersTest, KeepsUnicode) {
  EXPECT_EQ(rewrite("SELECT '日本?' || ?, \"ü?\""), "SELECT '日本?' || $1, \"ü?\"");
}

}  // namespace
}  // namespace aop::store
