// Micro benchmarks of per-request authentication work: JWT verification, API key parsing and
// hashing, rate limiting; and the (deliberately slow) password hash, to record its cost.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "auth/api_key_format.hpp"
#include "auth/jwt.hpp"
#include "auth/rate_limiter.hpp"
#include "core/crypto.hpp"

using namespace aop::auth;

namespace {
constexpr std::string_view k_secret = "bench-secret-0123456789abcdef0123456789abcdef";
constexpr std::int64_t k_now = 1'800'000'000;
}  // namespace

static void BM_VerifyJwt(benchmark::State& state) {
  JwtClaims c{"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "member", k_now, k_now + 900,
              "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c", {{"team_id", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5d"}}};
  std::string token = sign_jwt(c, k_secret);
  for (auto _ : state) {
    auto r = verify_jwt(token, k_secret, k_now + 60);
    if (!std::holds_alternative<JwtClaims>(r)) state.SkipWithError("token rejected");
    benchmark::DoNotOptimize(r);
  }
  state.counters["token_bytes"] = static_cast<double>(token.size());
}
BENCHMARK(BM_VerifyJwt);

static void BM_VerifyJwtPrecomputedKey(benchmark::State& state) {
  JwtClaims c{"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "member", k_now, k_now + 900,
              "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c", {{"team_id", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5d"}}};
  const JwtKey key(k_secret);
  std::string token = sign_jwt(c, key);
  for (auto _ : state) {
    auto r = verify_jwt(token, key, k_now + 60);
    if (!std::holds_alternative<JwtClaims>(r)) state.SkipWithError("token rejected");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_VerifyJwtPrecomputedKey);

static void BM_SignJwt(benchmark::State& state) {
  JwtClaims c{"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "member", k_now, k_now + 900, "jti", {}};
  for (auto _ : state) benchmark::DoNotOptimize(sign_jwt(c, k_secret));
}
BENCHMARK(BM_SignJwt);

static void BM_ApiKeyParseAndHash(benchmark::State& state) {
  std::string key = generate_api_key().full;
  for (auto _ : state) {
    auto prefix = parse_api_key_prefix(key);
    benchmark::DoNotOptimize(prefix);
    benchmark::DoNotOptimize(hash_api_key(key));
  }
}
BENCHMARK(BM_ApiKeyParseAndHash);

static void BM_RateLimiterHotKey(benchmark::State& state) {
  static RateLimiter limiter;  // shared by the benchmark's threads
  for (auto _ : state) benchmark::DoNotOptimize(limiter.check("user:hot", 1'000'000));
}
BENCHMARK(BM_RateLimiterHotKey)->Threads(1)->Threads(2);

static void BM_RateLimiterManyKeys(benchmark::State& state) {
  RateLimiter limiter;
  std::vector<std::string> keys;
  for (int i = 0; i < 10'000; ++i) keys.push_back("user:" + std::to_string(i));
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(limiter.check(keys[i], 600));
    if (++i == keys.size()) i = 0;
  }
}
BENCHMARK(BM_RateLimiterManyKeys);

static void BM_HashPassword(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(aop::core::hash_password("correct horse battery staple"));
}
BENCHMARK(BM_HashPassword)->Iterations(1)->Unit(benchmark::kMillisecond);

static void BM_VerifyPassword(benchmark::State& state) {
  std::string encoded = aop::core::hash_password("correct horse battery staple");
  for (auto _ : state) benchmark::DoNotOptimize(aop::core::verify_password(encoded, "correct horse battery staple"));
}
BENCHMARK(BM_VerifyPassword)->Iterations(3)->Unit(benchmark::kMillisecond);
