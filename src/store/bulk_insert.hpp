#pragma once
// Many rows in few statements: `INSERT INTO t (cols) VALUES (...), (...), ...` in chunks that
// stay under both drivers' bound-parameter limits. One round trip per chunk instead of per
// row is what makes seeding and ingest fast on PostgreSQL. Blocking: call inside a transaction.
#include <string_view>
#include <vector>

#include "store/database.hpp"

namespace aop::store {

// Every row must have one value per column (`columns` is a comma-separated list).
void insert_rows(Connection& c, std::string_view table, std::string_view columns, const std::vector<Params>& rows);

}  // namespace aop::store
