// Micro benchmarks of the per-request work in the HTTP layer that is not I/O.
#include <benchmark/benchmark.h>

#include "http/router.hpp"
#include "http/sse.hpp"

using namespace aop::http;

static void BM_RouterMatchParam(benchmark::State& state) {
  Router r;
  auto h = [](RequestContext&) -> boost::asio::awaitable<Reply> { co_return empty_reply(204); };
  for (const char* p : {"/api/crews", "/api/crews/{id}", "/api/crews/{id}/run", "/api/crews/{id}/versions",
                        "/api/crews/{id}/versions/{n}", "/api/executions", "/api/executions/{id}",
                        "/api/executions/{id}/stream", "/api/executions/{id}/traces", "/healthz"})
    r.add("GET", p, h);
  for (auto _ : state) {
    auto m = r.match("GET", "/api/executions/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/traces");
    benchmark::DoNotOptimize(m);
  }
}
BENCHMARK(BM_RouterMatchParam);

static void BM_SseFormat(benchmark::State& state) {
  SseEvent e{"42", "llm_stream_chunk", R"({"seq":42,"type":"llm_stream_chunk","data":{"text":"Hello, world"}})"};
  for (auto _ : state) benchmark::DoNotOptimize(format_sse(e));
}
BENCHMARK(BM_SseFormat);
