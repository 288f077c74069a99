#include "store/postgres/placeholders.hpp"

namespace aop::store {
namespace {

bool ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

bool ident_char(char c) { return ident_start(c) || (c >= '0' && c <= '9') || c == '$'; }

// Length of a dollar-quote tag ("$$" or "$name$") starting at sql[i], or 0 if none.
std::size_t dollar_tag_length(std::string_view sql, std::size_t i) {
  if (i > 0 && ident_char(sql[i - 1])) return 0;  // "a$b" is part of an identifier
  std::size_t j = i + 1;
  if (j < sql.size() && sql[j] == '$') return 2;
  if (j >= sql.size() || !ident_start(sql[j])) return 0;  // "$1" is a parameter
  while (j < sql.size() && ident_char(sql[j]) && sql[j] != '$') ++j;
  return j < sql.size() && sql[j] == '$' ? j - i + 1 : 0;
}

// Index just past the quoted text that starts at sql[i] (a ' or "), doubling as escape.
// `backslash` is for E'...' strings, where \' does not end the literal.
std::size_t skip_quoted(std::string_view sql, std::size_t i, bool backslash) {
  const char quote = sql[i];
  for (std::size_t j = i + 1; j < sql.size(); ++j) {
    if (backslash && sql[j] == '\\') {
      ++j;
    } else if (sql[j] == quote) {
      if (j + 1 < sql.size() && sql[j + 1] == quote) {
        ++j;  // '' or "" inside the literal
      } else {
        return j + 1;
      }
    }
  }
  return sql.size();  // unterminated: let the server report it
}

// Index just past a /* */ comment starting at sql[i]; PostgreSQL nests them.
std::size_t skip_block_comment(std::string_view sql, std::size_t i) {
  int depth = 0;
  for (std::size_t j = i; j + 1 < sql.size(); ++j) {
    if (sql[j] == '/' && sql[j + 1] == '*') {
      ++depth;
      ++j;
    } else if (sql[j] == '*' && sql[j + 1] == '/') {
      ++j;
      if (--depth == 0) return j + 1;
    }
  }
  return sql.size();
}

}  // namespace

RewrittenSql rewrite_placeholders(std::string_view sql) {
  RewrittenSql out;
  out.sql.reserve(sql.size() + 16);
  std::size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    std::size_t end = i + 1;  // end of the verbatim span starting at i
    if (c == '?') {
      out.sql += '$';
      out.sql += std::to_string(++out.param_count);
      ++i;
      continue;
    }
    if (c == '\'') {
      const bool escape_string =
          i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !ident_char(sql[i - 2]));
      end = skip_quoted(sql, i, escape_string);
    } else if (c == '"') {
      end = skip_quoted(sql, i, false);
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      end = sql.find('\n', i);
      end = end == std::string_view::npos ? sql.size() : end + 1;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      end = skip_block_comment(sql, i);
    } else if (c == '$') {
      if (std::size_t tag = dollar_tag_length(sql, i)) {
        std::size_t close = sql.find(sql.substr(i, tag), i + tag);
        end = close == std::string_view::npos ? sql.size() : close + tag;
      }
    }
    out.sql.append(sql.substr(i, end - i));
    i = end;
  }
  return out;
}

}  // namespace aop::store
