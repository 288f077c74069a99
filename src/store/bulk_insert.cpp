#include "store/bulk_insert.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace aop::store {

namespace {
// SQLite allows 32,766 parameters per statement (since 3.32), PostgreSQL 65,535.
constexpr std::size_t k_max_params = 30000;
constexpr std::size_t k_max_rows = 1000;  // keeps statements (and their parse time) small
}  // namespace

void insert_rows(Connection& c, std::string_view table, std::string_view columns, const std::vector<Params>& rows) {
  if (rows.empty()) return;
  const std::size_t width = static_cast<std::size_t>(std::count(columns.begin(), columns.end(), ',')) + 1;
  std::string one_row = "(";
  for (std::size_t i = 0; i < width; ++i) one_row += i == 0 ? "?" : ", ?";
  one_row += ")";
  const std::size_t per_chunk = std::max<std::size_t>(1, std::min(k_max_rows, k_max_params / width));

  Params params;
  for (std::size_t start = 0; start < rows.size(); start += per_chunk) {
    std::size_t end = std::min(rows.size(), start + per_chunk);
    std::string sql = "INSERT INTO " + std::string(table) + " (" + std::string(columns) + ") VALUES ";
    params.clear();
    params.reserve((end - start) * width);
    for (std::size_t r = start; r < end; ++r) {
      if (rows[r].size() != width) throw std::logic_error("insert_rows: a row of " + std::string(table) + " has the wrong width");
      if (r != start) sql += ", ";
      sql += one_row;
      params.insert(params.end(), rows[r].begin(), rows[r].end());
    }
    c.execute(sql, params);
  }
}

}  // namespace aop::store
