#include "store/postgres/postgres_connection.hpp"

#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <memory>
#include <system_error>

#include "store/postgres/placeholders.hpp"

namespace aop::store {
namespace {

// Built-in type OIDs (src/include/catalog/pg_type.dat); stable across server versions.
constexpr Oid k_bool_oid = 16;
constexpr Oid k_int8_oid = 20;
constexpr Oid k_int2_oid = 21;
constexpr Oid k_int4_oid = 23;
constexpr Oid k_float4_oid = 700;
constexpr Oid k_float8_oid = 701;
constexpr Oid k_numeric_oid = 1700;

// Past this many, SQL is probably being built with literals: start the cache over.
constexpr std::size_t k_max_cached_statements = 512;

using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

std::string excerpt(std::string_view sql) {
  constexpr std::size_t max = 160;
  std::string s(sql.substr(0, max));
  for (char& c : s)
    if (c == '\n' || c == '\t') c = ' ';
  return sql.size() > max ? s + "..." : s;
}

std::string trimmed(const char* text) {
  std::string s = text ? text : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string error_field(const PGresult* res, int field) {
  const char* value = res ? PQresultErrorField(res, field) : nullptr;
  return value ? value : "";
}

// Class 23 is "integrity constraint violation" (unique, foreign key, check, not null).
[[noreturn]] void throw_error(PGconn* conn, const PGresult* res, std::string_view sql) {
  std::string primary = error_field(res, PG_DIAG_MESSAGE_PRIMARY);
  if (primary.empty()) primary = trimmed(PQerrorMessage(conn));
  const std::string state = error_field(res, PG_DIAG_SQLSTATE);
  const std::string detail = error_field(res, PG_DIAG_MESSAGE_DETAIL);
  std::string message = "postgres: " + primary;
  if (!state.empty()) message += " [" + state + "]";
  if (!detail.empty()) message += " " + detail;
  if (!sql.empty()) message += " (in: " + excerpt(sql) + ")";
  throw DatabaseError(message, state.rfind("23", 0) == 0);
}

bool is_stale_plan(const PGresult* res) {
  // After DDL changes a table, a cached "SELECT *" plan can no longer be reused.
  return error_field(res, PG_DIAG_SQLSTATE) == "0A000" &&
         error_field(res, PG_DIAG_MESSAGE_PRIMARY).find("cached plan") != std::string::npos;
}

template <class T>
bool parse_number(const char* text, int length, T& out) {
  auto [end, ec] = std::from_chars(text, text + length, out);
  return ec == std::errc() && end == text + length;
}

Value read_cell(const PGresult* res, int row, int col, Oid type) {
  if (PQgetisnull(res, row, col)) return nullptr;
  const char* text = PQgetvalue(res, row, col);
  const int length = PQgetlength(res, row, col);
  switch (type) {
    case k_int2_oid:
    case k_int4_oid:
    case k_int8_oid: {
      std::int64_t v = 0;
      if (parse_number(text, length, v)) return v;
      break;
    }
    case k_float4_oid:
    case k_float8_oid:
    case k_numeric_oid: {
      double v = 0;
      if (parse_number(text, length, v)) return v;
      break;
    }
    case k_bool_oid:
      return length > 0 && text[0] == 't';
    default:
      break;
  }
  return std::string(text, static_cast<std::size_t>(length));
}

// PQcmdTuples is "" for commands that report no count.
std::int64_t affected_rows(PGresult* res) {
  const char* tuples = PQcmdTuples(res);
  std::int64_t n = 0;
  std::from_chars(tuples, tuples + std::char_traits<char>::length(tuples), n);
  return n;
}

void log_notice(void*, const char* message) { spdlog::debug("postgres: {}", trimmed(message)); }

}  // namespace

PostgresConnection::PostgresConnection(const std::string& url, const DatabaseOptions& options) {
  // Keywords after "dbname" override the URL; connect_timeout before it is only a default.
  const char* keys[] = {"connect_timeout", "dbname", "client_encoding", "fallback_application_name",
                        nullptr};
  const char* values[] = {"10", url.c_str(), "UTF8", "aop", nullptr};
  conn_ = PQconnectdbParams(keys, values, 1);
  if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
    // The message names host and port, never the password.
    std::string message = conn_ ? trimmed(PQerrorMessage(conn_)) : "out of memory";
    PQfinish(conn_);
    conn_ = nullptr;
    throw DatabaseError("postgres: cannot connect: " + message);
  }
  PQsetNoticeProcessor(conn_, log_notice, nullptr);
  try {
    execute_script("SET statement_timeout = " + std::to_string(options.statement_timeout_ms));
  } catch (...) {
    PQfinish(conn_);
    conn_ = nullptr;
    throw;
  }
}

PostgresConnection::~PostgresConnection() {
  if (conn_) PQfinish(conn_);  // prepared statements die with the session
}

bool PostgresConnection::healthy() const { return conn_ && PQstatus(conn_) == CONNECTION_OK; }

bool PostgresConnection::in_transaction() const {
  auto s = PQtransactionStatus(conn_);
  return s == PQTRANS_INTRANS || s == PQTRANS_INERROR;
}

bool PostgresConnection::in_failed_transaction() const {
  return PQtransactionStatus(conn_) == PQTRANS_INERROR;
}

int PostgresConnection::backend_pid() const { return PQbackendPID(conn_); }

const PostgresConnection::Prepared& PostgresConnection::prepare(std::string_view sql) {
  std::string key(sql);
  if (auto it = statements_.find(key); it != statements_.end()) return it->second;
  if (statements_.size() >= k_max_cached_statements && !in_failed_transaction()) {
    Result res(PQexec(conn_, "DEALLOCATE ALL"), &PQclear);
    if (PQresultStatus(res.get()) == PGRES_COMMAND_OK) statements_.clear();
  }
  RewrittenSql rewritten = rewrite_placeholders(sql);
  std::string name = "aop_" + std::to_string(++next_statement_);
  // No parameter types: the server infers them from context, as for literals.
  Result res(PQprepare(conn_, name.c_str(), rewritten.sql.c_str(), 0, nullptr), &PQclear);
  if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) throw_error(conn_, res.get(), sql);
  return statements_.emplace(std::move(key), Prepared{std::move(name), rewritten.param_count})
      .first->second;
}

Rows PostgresConnection::run(std::string_view sql, const Params& params, std::int64_t* affected) {
  // Text format for every parameter; NULL is a null pointer.
  std::vector<std::string> storage(params.size());
  std::vector<const char*> values(params.size(), nullptr);
  for (std::size_t i = 0; i < params.size(); ++i) {
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          char buf[64];
          if constexpr (std::is_same_v<T, std::nullptr_t>) {
            return;
          } else if constexpr (std::is_same_v<T, bool>) {
            values[i] = v ? "true" : "false";
          } else if constexpr (std::is_same_v<T, std::string>) {
            if (v.find('\0') != std::string::npos)
              throw DatabaseError("postgres: text parameter " + std::to_string(i + 1) +
                                  " contains a NUL byte");
            values[i] = v.c_str();
          } else {
            // int64 as decimal; double in its shortest form that reads back exactly.
            auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
            storage[i].assign(buf, ec == std::errc() ? end : buf);
            values[i] = storage[i].c_str();
          }
        },
        params[i]);
  }

  for (int attempt = 0;; ++attempt) {
    const Prepared& prepared = prepare(sql);
    if (prepared.param_count != static_cast<int>(params.size()))
      throw DatabaseError("postgres: statement takes " + std::to_string(prepared.param_count) +
                          " parameters, got " + std::to_string(params.size()) +
                          " (in: " + excerpt(sql) + ")");
    Result res(PQexecPrepared(conn_, prepared.name.c_str(), static_cast<int>(params.size()),
                              values.data(), nullptr, nullptr, 0),
               &PQclear);
    const auto status = PQresultStatus(res.get());
    if (status == PGRES_COMMAND_OK) {
      if (affected) *affected = affected_rows(res.get());
      return Rows();
    }
    if (status == PGRES_TUPLES_OK) {
      const int nrows = PQntuples(res.get());
      const int ncols = PQnfields(res.get());
      std::vector<std::string> columns;
      std::vector<Oid> types;
      columns.reserve(static_cast<std::size_t>(ncols));
      for (int c = 0; c < ncols; ++c) {
        columns.emplace_back(PQfname(res.get(), c));
        types.push_back(PQftype(res.get(), c));
      }
      std::vector<Value> cells;
      cells.reserve(static_cast<std::size_t>(nrows) * static_cast<std::size_t>(ncols));
      for (int r = 0; r < nrows; ++r)
        for (int c = 0; c < ncols; ++c)
          cells.push_back(read_cell(res.get(), r, c, types[static_cast<std::size_t>(c)]));
      if (affected) *affected = affected_rows(res.get());
      return Rows(std::move(columns), std::move(cells));
    }
    if (is_stale_plan(res.get())) {
      // Forget the plan; retry at once unless the failure aborted a transaction.
      statements_.erase(std::string(sql));
      if (attempt == 0 && !in_failed_transaction()) continue;
    }
    throw_error(conn_, res.get(), sql);
  }
}

Rows PostgresConnection::query(std::string_view sql, const Params& params) {
  return run(sql, params, nullptr);
}

std::int64_t PostgresConnection::execute(std::string_view sql, const Params& params) {
  std::int64_t affected = 0;
  run(sql, params, &affected);
  return affected;
}

void PostgresConnection::execute_script(std::string_view sql) {
  std::string text(sql);
  Result res(PQexec(conn_, text.c_str()), &PQclear);
  const auto status = PQresultStatus(res.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY)
    throw_error(conn_, res.get(), sql.size() > 200 ? std::string_view() : sql);
}

}  // namespace aop::store
