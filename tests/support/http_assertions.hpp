#pragma once
// gtest predicates for HTTP responses, with failure messages that show what came back.
//   EXPECT_TRUE(is_problem(r, 404));
//   EXPECT_TRUE(has_status(r, 200));
#include <gtest/gtest.h>

#include <string>

#include "support/http_client.hpp"

namespace aop::test {

inline std::string show(const HttpResult& r, std::size_t max_body = 2000) {
  std::string out = "HTTP " + std::to_string(r.status) + "\n";
  for (const auto& [k, v] : r.headers) out += k + ": " + v + "\n";
  out += "\n" + (r.body.size() > max_body ? r.body.substr(0, max_body) + "[...]" : r.body);
  return out;
}

inline ::testing::AssertionResult has_status(const HttpResult& r, int status) {
  if (r.status == status) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected status " << status << ", got:\n" << show(r);
}

// An RFC 7807 problem document: application/problem+json with type, title and a matching status.
inline ::testing::AssertionResult is_problem(const HttpResult& r, int status) {
  if (r.status != status)
    return ::testing::AssertionFailure() << "expected a " << status << " problem, got:\n" << show(r);
  if (!r.header("content-type").starts_with("application/problem+json"))
    return ::testing::AssertionFailure() << "expected Content-Type application/problem+json, got:\n" << show(r);
  boost::json::value doc;
  try {
    doc = boost::json::parse(r.body);
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "problem body is not JSON (" << e.what() << "):\n" << show(r);
  }
  const auto* obj = doc.if_object();
  if (!obj) return ::testing::AssertionFailure() << "problem body is not a JSON object:\n" << show(r);
  const auto* st = obj->if_contains("status");
  if (!st || !st->is_int64() || st->as_int64() != status)
    return ::testing::AssertionFailure() << "problem \"status\" member is not " << status << ":\n" << show(r);
  for (const char* member : {"type", "title"}) {
    const auto* v = obj->if_contains(member);
    if (!v || !v->is_string() || v->as_string().empty())
      return ::testing::AssertionFailure() << "problem lacks a string \"" << member << "\":\n" << show(r);
  }
  return ::testing::AssertionSuccess();
}

}  // namespace aop::test
