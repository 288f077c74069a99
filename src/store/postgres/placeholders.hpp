#pragma once
// Rewrites the portable `?` placeholders to PostgreSQL's $1..$n. A `?` inside a string
// literal ('...', E'...', $tag$...$tag$), a quoted identifier ("...") or a comment
// (-- and /* */) is left alone.
#include <string>
#include <string_view>

namespace aop::store {

struct RewrittenSql {
  std::string sql;
  int param_count = 0;
};

RewrittenSql rewrite_placeholders(std::string_view sql);

}  // namespace aop::store
