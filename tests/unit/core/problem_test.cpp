#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>
#include <set>
#include <thread>

#include <boost/json.hpp>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/problem.hpp"

using namespace aop::core;

TEST(Problem, SerialisesRfc7807FieldsAndFieldErrors) {
  auto p = Problem::unprocessable("The crew has 2 problems.",
                                  {{"tasks.review.agent", "unknown agent \"x\""}, {"name", "required"}});
  auto doc = boost::json::parse(p.to_json("/api/crews")).as_object();
  EXPECT_EQ(doc.at("type").as_string(), "about:blank");
  EXPECT_EQ(doc.at("title").as_string(), "Validation Failed");
  EXPECT_EQ(doc.at("status").as_int64(), 422);
  EXPECT_EQ(doc.at("detail").as_string(), "The crew has 2 problems.");
  EXPECT_EQ(doc.at("instance").as_string(), "/api/crews");
  auto& errors = doc.at("errors").as_array();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].at("path").as_string(), "tasks.review.agent");
  EXPECT_EQ(errors[1].at("message").as_string(), "required");
}

TEST(Problem, TooManyRequestsCarriesRetryAfter) {
  auto p = Problem::too_many_requests("slow down", 7);
  EXPECT_EQ(p.status(), 429);
  ASSERT_EQ(p.headers().size(), 1u);
  EXPECT_EQ(p.headers()[0].first, "Retry-After");
  EXPECT_EQ(p.headers()[0].second, "7");
  auto doc = boost::json::parse(p.to_json()).as_object();
  EXPECT_FALSE(doc.contains("errors")) << "no empty errors array";
}

TEST(Ids, Uuid7HasVersionVariantAndTimeOrder) {
  std::array<std::uint8_t, 10> r{};
  r.fill(0xff);
  auto a = make_uuid7(1700000000000, r);
  EXPECT_TRUE(is_uuid(a)) << a;
  EXPECT_EQ(a[14], '7') << "version nibble";
  EXPECT_TRUE(a[19] == '8' || a[19] == '9' || a[19] == 'a' || a[19] == 'b') << "variant bits";
  EXPECT_EQ(a.substr(0, 13), "018bcfe5-6800");
  auto b = make_uuid7(1700000000001, r);
  EXPECT_LT(a, b) << "later timestamps sort later";
  EXPECT_NE(new_id(), new_id());
  EXPECT_FALSE(is_uuid("not-a-uuid"));
  EXPECT_FALSE(is_uuid("018BCFE5-6800-7FFF-BFFF-FFFFFFFFFFFF")) << "canonical form is lower case";
}

TEST(Ids, IdsMadeOneAfterAnotherSortInThatOrderEvenWithinAMillisecond) {
  // Thousands of ids fall in the same millisecond; each must still sort after the one before,
  // across threads too (ids from two threads are all distinct and each thread's increase).
  auto make = [](std::vector<std::string>& out) {
    for (int i = 0; i < 20000; ++i) out.push_back(new_id());
  };
  std::vector<std::string> a, b;
  std::thread other([&] { make(b); });
  make(a);
  other.join();
  for (const auto* ids : {&a, &b})
    for (std::size_t i = 1; i < ids->size(); ++i) ASSERT_LT((*ids)[i - 1], (*ids)[i]) << "at " << i;
  std::set<std::string> all(a.begin(), a.end());
  all.insert(b.begin(), b.end());
  EXPECT_EQ(all.size(), 40000u);
  EXPECT_TRUE(is_uuid(a.back())) << a.back();
  EXPECT_EQ(a.back()[14], '7');
}

TEST(Clock, FormattingAgreesWithTheCLibraryAcrossCenturiesAndLeapDays) {
  auto reference = [](std::int64_t ms) {
    std::int64_t seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
    std::time_t t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms - seconds * 1000));
    return std::string(buf);
  };
  // Every 7 hours and 13 ms from 1900 to 2200 (both sides of the epoch, every leap day).
  for (std::int64_t ms = -2'208'988'800'000; ms < 7'258'118'400'000; ms += 25'200'013) {
    ASSERT_EQ(format_iso8601(ms), reference(ms)) << ms;
    std::int64_t back = 0;
    ASSERT_TRUE(parse_iso8601(format_iso8601(ms), back));
    ASSERT_EQ(back, ms);
  }
  EXPECT_EQ(format_iso8601(951'782'400'000), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(format_iso8601(-1), "1969-12-31T23:59:59.999Z");
}

TEST(Clock, FormatsAndParsesIso8601) {
  EXPECT_EQ(format_iso8601(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_iso8601(1763756868123), "2025-11-21T20:27:48.123Z");
  std::int64_t ms = 0;
  ASSERT_TRUE(parse_iso8601("2025-11-21T20:27:48.123Z", ms));
  EXPECT_EQ(ms, 1763756868123);
  ASSERT_TRUE(parse_iso8601("2025-11-21T22:27:48+02:00", ms));
  EXPECT_EQ(ms, 1763756868000);
  ASSERT_TRUE(parse_iso8601("2025-11-21", ms));
  EXPECT_EQ(ms, 1763683200000);
  EXPECT_FALSE(parse_iso8601("2025-13-01", ms));
  EXPECT_FALSE(parse_iso8601("2025-11-21T20:27", ms)) << "a time needs a zone";
  EXPECT_FALSE(parse_iso8601("yesterday", ms));
}
