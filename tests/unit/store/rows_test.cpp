#include <gtest/gtest.h>

#include <limits>

#include "store/database.hpp"

namespace aop::store {
namespace {

Rows one_row(std::vector<Value> cells) {
  std::vector<std::string> columns;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    std::string name = "c";
    name += std::to_string(i);  // not "c" + ...: GCC 12 warns falsely (PR 105651)
    columns.push_back(std::move(name));
  }
  return Rows(std::move(columns), std::move(cells));
}

TEST(StoreRowsTest, ShapeAndIteration) {
  Rows rows({"a", "b"}, {std::int64_t{1}, std::string("x"), std::int64_t{2}, std::string("y")});
  EXPECT_EQ(rows.size(), 2u);
  EXPECT_FALSE(rows.empty());
  std::vector<std::string> seen;
  for (auto row : rows) seen.push_back(row.text(row.col("b")));
  EXPECT_EQ(seen, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(rows[1].i64(0), 2);
  EXPECT_THROW(rows.front().col("missing"), std::out_of_range);
  EXPECT_THROW(rows.front().value(2), std::out_of_range);
  EXPECT_THROW(rows[2].value(0), std::out_of_range);
  EXPECT_TRUE(Rows().empty());
}

TEST(StoreRowsTest, IntegerCoercions) {
  auto rows = one_row({std::int64_t{-7}, 42.0, true, std::string("123"), std::string("-9"),
                       std::string("17.000"), 1.5, std::string("abc"), 1e300});
  auto r = rows.front();
  EXPECT_EQ(r.i64(0), -7);
  EXPECT_EQ(r.i64(1), 42);
  EXPECT_EQ(r.i64(2), 1);
  EXPECT_EQ(r.i64(3), 123);
  EXPECT_EQ(r.i64(4), -9);
  EXPECT_EQ(r.i64(5), 17);  // PostgreSQL numeric text
  EXPECT_THROW(r.i64(6), DatabaseError);
  EXPECT_THROW(r.i64(7), DatabaseError);
  EXPECT_THROW(r.i64(8), DatabaseError);
  auto extremes =
      one_row({std::string("9223372036854775807"), std::string("-9223372036854775808")});
  EXPECT_EQ(extremes.front().i64(0), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(extremes.front().i64(1), std::numeric_limits<std::int64_t>::min());
}

TEST(StoreRowsTest, RealCoercions) {
  auto rows = one_row({2.5, std::int64_t{3}, std::string("0.125"), std::string("x")});
  auto r = rows.front();
  EXPECT_DOUBLE_EQ(r.f64(0), 2.5);
  EXPECT_DOUBLE_EQ(r.f64(1), 3.0);
  EXPECT_DOUBLE_EQ(r.f64(2), 0.125);
  EXPECT_THROW(r.f64(3), DatabaseError);
}

TEST(StoreRowsTest, TextFromAnyValue) {
  auto rows = one_row({std::string("hé"), std::int64_t{-12}, 0.1, true, false});
  auto r = rows.front();
  EXPECT_EQ(r.text(0), "hé");
  EXPECT_EQ(r.text(1), "-12");
  EXPECT_EQ(r.text(2), "0.1");
  EXPECT_EQ(r.text(3), "true");
  EXPECT_EQ(r.text(4), "false");
}

TEST(StoreRowsTest, BooleanCoercions) {
  auto rows = one_row({true, std::int64_t{0}, std::int64_t{1}, std::string("t"), std::string("f"),
                       std::string("TRUE"), std::string("false"), std::string("1"),
                       std::string("0"), std::string("yes"), 1.0});
  auto r = rows.front();
  EXPECT_TRUE(r.boolean(0));
  EXPECT_FALSE(r.boolean(1));
  EXPECT_TRUE(r.boolean(2));
  EXPECT_TRUE(r.boolean(3));
  EXPECT_FALSE(r.boolean(4));
  EXPECT_TRUE(r.boolean(5));
  EXPECT_FALSE(r.boolean(6));
  EXPECT_TRUE(r.boolean(7));
  EXPECT_FALSE(r.boolean(8));
  EXPECT_THROW(r.boolean(9), DatabaseError);
  EXPECT_THROW(r.boolean(10), DatabaseError);
}

TEST(StoreRowsTest, NullNeedsAnOptionalAccessor) {
  Rows rows({"deleted_at"}, {nullptr});
  auto r = rows.front();
  EXPECT_TRUE(r.is_null(0));
  EXPECT_FALSE(r.opt_i64(0));
  EXPECT_FALSE(r.opt_f64(0));
  EXPECT_FALSE(r.opt_text(0));
  for (auto read : {+[](Row x) { (void)x.i64(0); }, +[](Row x) { (void)x.f64(0); },
                    +[](Row x) { (void)x.text(0); }, +[](Row x) { (void)x.boolean(0); }}) {
    try {
      read(r);
      ADD_FAILURE() << "expected DatabaseError";
    } catch (const DatabaseError& e) {
      EXPECT_NE(std::string(e.what()).find("deleted_at"), std::string::npos) << e.what();
      EXPECT_FALSE(e.is_constraint_violation());
    }
  }
}

}  // namespace
}  // namespace aop::store
