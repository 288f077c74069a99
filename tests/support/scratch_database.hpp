#pragma once
// The database an integration test runs against, chosen by AOP_TEST_DB:
//   sqlite   (default) — the server's default, <data_dir>/aop.db;
//   postgres — a fresh database `it_<random>` created on the server at AOP_TEST_PG_URL and
//              dropped (WITH (FORCE)) when the object dies.
// Also lets a test look into the database directly (query_scalar, execute) to check what the
// server stored, independent of the product's own store code.
#include <libpq-fe.h>
#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace aop::test {

// "sqlite" or "postgres", from AOP_TEST_DB (default sqlite).
inline std::string test_dialect() {
  const char* v = std::getenv("AOP_TEST_DB");
  std::string d = v && *v ? v : "sqlite";
  if (d != "sqlite" && d != "postgres")
    throw HarnessError("AOP_TEST_DB must be sqlite or postgres, got \"" + d + "\"");
  return d;
}

inline std::string random_suffix(std::size_t length = 12) {
  static constexpr char k_chars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device rd;
  std::uniform_int_distribution<std::size_t> pick(0, sizeof k_chars - 2);
  std::string out;
  for (std::size_t i = 0; i < length; ++i) out.push_back(k_chars[pick(rd)]);
  return out;
}

// Replaces the database name (the URL path) of a postgres:// URL, keeping the query string.
inline std::string postgres_url_with_database(const std::string& base, const std::string& database) {
  auto scheme = base.find("://");
  if (scheme == std::string::npos) throw HarnessError("not a postgres URL: " + base);
  auto query = base.find('?', scheme + 3);
  auto authority_end = base.find('/', scheme + 3);
  if (authority_end == std::string::npos || (query != std::string::npos && authority_end > query))
    authority_end = query == std::string::npos ? base.size() : query;
  std::string rest = query == std::string::npos ? "" : base.substr(query);
  return base.substr(0, authority_end) + "/" + database + rest;
}

class PgConnection {
 public:
  explicit PgConnection(const std::string& url) {
    const char* keys[] = {"dbname", "connect_timeout", nullptr};
    const char* values[] = {url.c_str(), "10", nullptr};
    conn_ = ::PQconnectdbParams(keys, values, 1);
    if (::PQstatus(conn_) != CONNECTION_OK) {
      std::string error = ::PQerrorMessage(conn_);
      ::PQfinish(conn_);
      conn_ = nullptr;
      throw HarnessError("cannot connect to PostgreSQL at " + url + ": " + error);
    }
    ::PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);  // no NOTICE chatter in test output
  }
  ~PgConnection() {
    if (conn_) ::PQfinish(conn_);
  }
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs `sql`; returns the first column of the first row ("" when there is none or NULL).
  std::string query_scalar(const std::string& sql) {
    PGresult* r = ::PQexec(conn_, sql.c_str());
    auto status = ::PQresultStatus(r);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      std::string error = ::PQresultErrorMessage(r);
      ::PQclear(r);
      throw HarnessError("PostgreSQL: " + sql + ": " + error);
    }
    std::string out;
    if (status == PGRES_TUPLES_OK && ::PQntuples(r) > 0 && ::PQnfields(r) > 0 && !::PQgetisnull(r, 0, 0))
      out = ::PQgetvalue(r, 0, 0);
    ::PQclear(r);
    return out;
  }

 private:
  PGconn* conn_ = nullptr;
};

class ScratchDatabase {
 public:
  // `data_dir` is the server's data directory (the SQLite file lives there).
  explicit ScratchDatabase(std::filesystem::path data_dir) : dialect_(test_dialect()), data_dir_(std::move(data_dir)) {
    if (dialect_ == "sqlite") {
      url_ = "sqlite://" + (data_dir_ / "aop.db").string();
      return;
    }
    const char* admin = std::getenv("AOP_TEST_PG_URL");
    if (!admin || !*admin)
      throw HarnessError(
          "AOP_TEST_DB=postgres but AOP_TEST_PG_URL is not set. Start a throw-away server with "
          "`url=$(scripts/pg-test-server.sh start /tmp/pgit)` and run with AOP_TEST_PG_URL=$url, "
          "or run everything through scripts/run-tests.sh.");
    admin_url_ = admin;
    name_ = "it_" + random_suffix();
    PgConnection(admin_url_).query_scalar("CREATE DATABASE " + name_);
    url_ = postgres_url_with_database(admin_url_, name_);
  }

  ~ScratchDatabase() {
    if (name_.empty()) return;
    try {
      PgConnection(admin_url_).query_scalar("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (const std::exception& e) {
      std::fprintf(stderr, "[harness] could not drop database %s: %s\n", name_.c_str(), e.what());
    }
  }
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  const std::string& dialect() const { return dialect_; }
  bool is_postgres() const { return dialect_ == "postgres"; }
  // The URL the server uses (for SQLite, the default it derives from the data dir).
  const std::string& url() const { return url_; }
  // PostgreSQL database name ("" for SQLite).
  const std::string& name() const { return name_; }

  // Flags that point `aop serve` / `aop migrate` at this database, given `--data-dir data_dir`.
  std::vector<std::string> cli_args() const {
    if (is_postgres()) return {"--database-url", url_};
    return {};
  }

  // First column of the first row of `sql` as text ("" when none or NULL). Opens its own
  // short-lived connection, so it is safe while the server runs.
  std::string query_scalar(const std::string& sql) const {
    if (is_postgres()) return PgConnection(url_).query_scalar(sql);
    auto path = data_dir_ / "aop.db";
    if (!std::filesystem::exists(path)) throw HarnessError("no SQLite database at " + path.string());
    sqlite3* db = nullptr;
    if (::sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      std::string error = db ? ::sqlite3_errmsg(db) : "out of memory";
      ::sqlite3_close(db);
      throw HarnessError("cannot open " + path.string() + ": " + error);
    }
    ::sqlite3_busy_timeout(db, 5000);
    std::string out;
    bool first = true;
    char* error = nullptr;
    auto callback = [](void* ctx, int columns, char** values, char**) -> int {
      auto* state = static_cast<std::pair<std::string*, bool*>*>(ctx);
      if (*state->second && columns > 0) {
        *state->first = values[0] ? values[0] : "";
        *state->second = false;
      }
      return 0;
    };
    std::pair<std::string*, bool*> state{&out, &first};
    int rc = ::sqlite3_exec(db, sql.c_str(), callback, &state, &error);
    std::string message = error ? error : "";
    ::sqlite3_free(error);
    ::sqlite3_close(db);
    if (rc != SQLITE_OK) throw HarnessError("SQLite: " + sql + ": " + message);
    return out;
  }

  // Runs a statement that returns no rows.
  void execute(const std::string& sql) const { query_scalar(sql); }

  // PostgreSQL only: ends every session connected to this database (as a server restart or a
  // network cut would); returns how many were ended.
  int terminate_connections() const {
    require_postgres("terminate_connections");
    return std::stoi(PgConnection(admin_url_).query_scalar(
        "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '" + name_ + "'"));
  }

  // PostgreSQL only: drops the database now, under the server's feet.
  void drop() const {
    require_postgres("drop");
    PgConnection(admin_url_).query_scalar("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  }

 private:
  void require_postgres(const char* what) const {
    if (!is_postgres()) throw HarnessError(std::string("ScratchDatabase::") + what + " needs PostgreSQL");
  }

  std::string dialect_;
  std::filesystem::path data_dir_;
  std::string url_;
  std::string admin_url_;
  std::string name_;
};

}  // namespace aop::test
