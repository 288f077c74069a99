#include <gtest/gtest.h>

#include "http/router.hpp"

using namespace aop::http;

namespace {
Handler named(std::string) {
  return [](RequestContext&) -> boost::asio::awaitable<Reply> { co_return empty_reply(204); };
}
}  // namespace

TEST(Router, MatchesStaticAndParameterSegments) {
  Router r;
  r.add("GET", "/api/crews", named("list"));
  r.add("GET", "/api/crews/{id}", named("get"));
  r.add("POST", "/api/crews/{id}/run", named("run"));
  r.add("POST", "/api/crews/validate", named("validate"));

  auto m = r.match("GET", "/api/crews/abc-123");
  ASSERT_EQ(m.kind, RouteMatch::Kind::found);
  EXPECT_EQ(m.info->pattern, "/api/crews/{id}");
  ASSERT_EQ(m.params.size(), 1u);
  EXPECT_EQ(m.params[0].first, "id");
  EXPECT_EQ(m.params[0].second, "abc-123");

  m = r.match("POST", "/api/crews/validate");
  ASSERT_EQ(m.kind, RouteMatch::Kind::found);
  EXPECT_EQ(m.info->pattern, "/api/crews/validate") << "static segments win over parameters";

  m = r.match("POST", "/api/crews/x/run");
  ASSERT_EQ(m.kind, RouteMatch::Kind::found);
  EXPECT_EQ(m.params[0].second, "x");
}

TEST(Router, MethodNotAllowedListsAllowedMethods) {
  Router r;
  r.add("GET", "/api/crews/{id}", named("get"));
  r.add("PUT", "/api/crews/{id}", named("put"));
  auto m = r.match("POST", "/api/crews/1");
  ASSERT_EQ(m.kind, RouteMatch::Kind::method_not_allowed);
  EXPECT_EQ(m.allowed_methods, (std::vector<std::string>{"GET", "PUT"}));
}

TEST(Router, NotFoundForUnknownPathsAndEmptySegments) {
  Router r;
  r.add("GET", "/api/crews/{id}", named("get"));
  EXPECT_EQ(r.match("GET", "/api/crews").kind, RouteMatch::Kind::not_found);
  EXPECT_EQ(r.match("GET", "/api/crews/").kind, RouteMatch::Kind::not_found)
      << "an empty segment is not a parameter value";
  EXPECT_EQ(r.match("GET", "/api/crews/1/extra").kind, RouteMatch::Kind::not_found);
  EXPECT_EQ(r.match("GET", "").kind, RouteMatch::Kind::not_found);
}

TEST(Router, HeadFallsBackToGet) {
  Router r;
  r.add("GET", "/healthz", named("h"));
  EXPECT_EQ(r.match("HEAD", "/healthz").kind, RouteMatch::Kind::found);
}

TEST(Router, DecodesPercentEncodedParameters) {
  Router r;
  r.add("GET", "/api/crews/{name}", named("get"));
  auto m = r.match("GET", "/api/crews/a%20b%2Fc");
  ASSERT_EQ(m.kind, RouteMatch::Kind::found);
  EXPECT_EQ(m.params[0].second, "a b/c");
}

TEST(Router, RejectsDuplicateAndConflictingRoutes) {
  Router r;
  r.add("GET", "/api/crews/{id}", named("get"));
  EXPECT_THROW(r.add("GET", "/api/crews/{id}", named("again")), std::logic_error);
  EXPECT_THROW(r.add("DELETE", "/api/crews/{crew_id}", named("conflict")), std::logic_error);
  EXPECT_THROW(r.add("GET", "no-slash", named("bad")), std::logic_error);
  EXPECT_EQ(r.routes().size(), 1u);
}
