#include <gtest/gtest.h>

#include "engine/llm/http_errors.hpp"

using namespace aop::engine::llm;
using namespace std::chrono_literals;
using Kind = LlmError::Kind;

namespace {

HttpResponseHead head(int status, std::vector<std::pair<std::string, std::string>> headers = {}) {
  return HttpResponseHead{status, std::move(headers)};
}

// 2015-10-21 07:28:00 UTC
const auto k_now = std::chrono::system_clock::from_time_t(1445412480);

TEST(RetryAfter, SecondsFractionsAndHttpDates) {
  EXPECT_EQ(parse_retry_after("2", k_now), 2000ms);
  EXPECT_EQ(parse_retry_after(" 0.25 ", k_now), 250ms);
  EXPECT_EQ(parse_retry_after("0", k_now), 0ms);
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", k_now), 30000ms);
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", k_now), 0ms) << "a past date means now";
  EXPECT_EQ(parse_retry_after("", k_now), std::nullopt);
  EXPECT_EQ(parse_retry_after("-1", k_now), std::nullopt);
  EXPECT_EQ(parse_retry_after("soon", k_now), std::nullopt);
  EXPECT_EQ(parse_retry_after("2s", k_now), std::nullopt);
}

TEST(ErrorFromResponse, RateLimitsCarryTheirWait) {
  auto seconds = error_from_response("openai", "m", head(429, {{"retry-after", "3"}}), "{}", k_now);
  EXPECT_EQ(seconds.kind(), Kind::rate_limited);
  EXPECT_EQ(seconds.retry_after(), 3000ms);
  // OpenAI's millisecond header is more precise and wins.
  auto ms = error_from_response("openai", "m", head(429, {{"retry-after", "2"}, {"retry-after-ms", "1500"}}), "{}", k_now);
  EXPECT_EQ(ms.retry_after(), 1500ms);
  auto date = error_from_response("openai", "m", head(429, {{"retry-after", "Wed, 21 Oct 2015 07:28:05 GMT"}}), "", k_now);
  EXPECT_EQ(date.retry_after(), 5000ms);
  auto none = error_from_response("openai", "m", head(429), "", k_now);
  EXPECT_EQ(none.retry_after(), std::nullopt);
}

TEST(ErrorFromResponse, QuotaExhaustionIsNotRetried) {
  auto e = error_from_response("openai", "m", head(429),
                               R"({"error": {"message": "You exceeded your current quota", "type": "insufficient_quota", "code": "insufficient_quota"}})");
  EXPECT_EQ(e.kind(), Kind::bad_request);
  EXPECT_FALSE(e.retryable());
  EXPECT_NE(std::string(e.what()).find("exceeded your current quota"), std::string::npos);
}

TEST(ErrorFromResponse, MissingModelInTheWaysServersSayIt) {
  // Ollama: a plain string error.
  auto ollama = error_from_response("ollama", "llama9", head(404), R"({"error": "model \"llama9\" not found, try pulling it first"})");
  EXPECT_EQ(ollama.kind(), Kind::model_not_found);
  EXPECT_NE(std::string(ollama.what()).find("try pulling it first"), std::string::npos);
  // A compatible server answering 400 for an unknown model.
  auto vllm = error_from_response("vllm", "x", head(400), R"({"message": "The model `x` does not exist.", "object": "error"})");
  EXPECT_EQ(vllm.kind(), Kind::model_not_found);
  // A 400 about something else stays a bad request.
  auto other = error_from_response("openai", "x", head(400), R"({"error": {"message": "Invalid 'messages[1].role'"}})");
  EXPECT_EQ(other.kind(), Kind::bad_request);
}

TEST(ErrorFromResponse, StatusClasses) {
  EXPECT_EQ(error_from_response("p", "m", head(403), "forbidden").kind(), Kind::authentication);
  EXPECT_EQ(error_from_response("p", "m", head(422), "{}").kind(), Kind::bad_request);
  EXPECT_EQ(error_from_response("p", "m", head(408), "").kind(), Kind::timeout);
  auto gateway = error_from_response("p", "m", head(502), "<html>Bad Gateway</html>");
  EXPECT_EQ(gateway.kind(), Kind::server);
  EXPECT_NE(std::string(gateway.what()).find("Bad Gateway"), std::string::npos) << "a non-JSON body is quoted";
  auto moved = error_from_response("p", "m", head(301, {{"location", "https://api.example.com/v1/chat/completions"}}), "");
  EXPECT_EQ(moved.kind(), Kind::bad_request);
  EXPECT_NE(std::string(moved.what()).find("https://api.example.com"), std::string::npos);
}

TEST(ErrorTypes, MapToKinds) {
  EXPECT_EQ(kind_of_error_type("overloaded_error", Kind::bad_request), Kind::server);
  EXPECT_EQ(kind_of_error_type("rate_limit_error", Kind::server), Kind::rate_limited);
  EXPECT_EQ(kind_of_error_type("authentication_error", Kind::server), Kind::authentication);
  EXPECT_EQ(kind_of_error_type("invalid_request_error", Kind::server), Kind::bad_request);
  EXPECT_EQ(kind_of_error_type("something_new", Kind::server), Kind::server);
}

}  // namespace
