// Cost of authenticating one request as the server does it (Authenticator), beyond the raw
// primitives measured in auth_bench.cpp: token verification, revocation checks and the
// principal object.
#include <benchmark/benchmark.h>

#include "auth/authenticator.hpp"
#include "core/blocking_pool.hpp"
#include "core/ids.hpp"
#include "store/database.hpp"

namespace {
struct Fixture {
  aop::core::BlockingPool pool{1};
  std::unique_ptr<aop::store::Database> db = aop::store::open_database("sqlite://:memory:", pool);
  aop::auth::Authenticator auth{*db, settings(), aop::core::system_clock()};
  static aop::auth::AuthSettings settings() {
    aop::auth::AuthSettings s;
    s.jwt_secret = "benchmark-secret-benchmark-secret-0123456789";
    return s;
  }
};
}  // namespace

static void BM_AuthenticatorJwt(benchmark::State& state) {
  Fixture f;
  auto token = f.auth.issue_access_token(aop::core::new_id(), "developer", aop::core::new_id());
  // A few revoked sessions so the lookup is not trivially empty.
  for (int i = 0; i < 100; ++i) f.auth.revoke_session(aop::core::new_id());
  std::string error;
  for (auto _ : state) {
    auto p = f.auth.authenticate_jwt(token, error);
    benchmark::DoNotOptimize(p);
  }
}
BENCHMARK(BM_AuthenticatorJwt);

static void BM_AuthenticatorRateLimit(benchmark::State& state) {
  Fixture f;
  for (auto _ : state) {
    auto d = f.auth.rate_limiter().check("user:0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", 1000000);
    benchmark::DoNotOptimize(d);
  }
}
BENCHMARK(BM_AuthenticatorRateLimit);
