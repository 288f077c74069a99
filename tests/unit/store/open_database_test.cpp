#include <gtest/gtest.h>

#include "store/database.hpp"

namespace aop::store {
namespace {

std::string invalid_argument_message(const std::string& url) {
  core::BlockingPool pool(1);
  try {
    open_database(url, pool);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no std::invalid_argument)";
}

TEST(StoreOpenDatabaseTest, RejectsUnsupportedSchemes) {
  EXPECT_EQ(invalid_argument_message("mysql://root@localhost/aop"),
            "database_url: unsupported scheme \"mysql\" (use sqlite:// or postgres://)");
  EXPECT_NE(invalid_argument_message("aop.db").find("not a URL"), std::string::npos);
  EXPECT_NE(invalid_argument_message("sqlite://").find("needs a file path"), std::string::npos);
}

TEST(StoreOpenDatabaseTest, NeverEchoesPasswords) {
  EXPECT_EQ(invalid_argument_message("user:hunter2@host/db").find("hunter2"), std::string::npos);
  EXPECT_EQ(invalid_argument_message("mongodb://u:hunter2@h/db").find("hunter2"),
            std::string::npos);
}

TEST(StoreOpenDatabaseTest, UnreachablePostgresFailsAtOpen) {
  core::BlockingPool pool(1);
  // Nothing listens on port 1, so the connection is refused at once.
  try {
    open_database("postgres://nobody:hunter2@127.0.0.1:1/none", pool);
    ADD_FAILURE() << "no error";
  } catch (const DatabaseError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot connect"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
  }
}

TEST(StoreOpenDatabaseTest, OpensSqlite) {
  core::BlockingPool pool(1);
  auto db = open_database("sqlite://:memory:", pool);
  EXPECT_EQ(db->dialect(), Dialect::sqlite);
}

}  // namespace
}  // namespace aop::store
