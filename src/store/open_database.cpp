// Chooses the driver from the URL scheme.
#include <stdexcept>

#include "store/database.hpp"
#include "store/postgres/postgres_database.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace aop::store {

std::unique_ptr<Database> open_database(const std::string& url, core::BlockingPool& pool,
                                        const DatabaseOptions& options) {
  const auto sep = url.find("://");
  if (sep == std::string::npos)
    // Never echo the URL: it may carry a password.
    throw std::invalid_argument(
        "database_url: not a URL (use sqlite://<path> or postgres://user@host:port/db)");
  std::string scheme = url.substr(0, sep);
  for (char& c : scheme)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');

  if (scheme == "sqlite")
    return std::make_unique<SqliteDatabase>(parse_sqlite_url(url), pool, options);
  // libpq parses both URL spellings itself.
  if (scheme == "postgres" || scheme == "postgresql")
    return std::make_unique<PostgresDatabase>(url, pool, options);
  throw std::invalid_argument("database_url: unsupported scheme \"" + scheme +
                              "\" (use sqlite:// or postgres://)");
}

}  // namespace aop::store
