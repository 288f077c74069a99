// The crew engine's own cost, without LLM waiting:
//   BM_EngineAgentStep        one agent step (an LLM reply with a tool call, the tool, the
//                             final reply) against an instant in-process provider — target
//                             under 200 µs per step.
//   BM_EngineConcurrentRuns   N concurrent executions of a 3-task crew on ONE thread, every
//                             LLM call answering after 1 s (simulated latency): wall time
//                             should stay close to 3 s whatever N, threads do not grow.
//   BM_EngineConcurrentRunsHttp the same through the real OpenAI wire: the OpenAI provider
//                             over HTTP against the fake LLM server (its own thread),
//                             which answers every call after 1 s.
#include <benchmark/benchmark.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json.hpp>

#include <fstream>
#include <string>

#include "crews/crew_parser.hpp"
#include "engine/agent_executor.hpp"
#include "engine/crew_runner.hpp"
#include "engine/llm/openai_provider.hpp"
#include "engine/llm/provider_registry.hpp"
#include "engine/llm/simulated_provider.hpp"
#include "fixtures/fake_llm_server.hpp"

#include <sys/resource.h>

namespace {

using namespace aop::engine;

// Answers instantly: first a tool call, then text, alternating per conversation.
class InstantProvider final : public llm::Provider {
 public:
  std::string_view name() const override { return "instant"; }
  bool supports_native_tools(std::string_view) const override { return true; }
  boost::asio::awaitable<llm::ChatResult> chat(const llm::ChatRequest& request, const llm::ChunkHandler& on_chunk) override {
    llm::ChatResult r;
    r.usage = {800, 60, 0};
    if (request.messages.back().role != llm::Role::tool) {
      r.tool_calls.push_back({"call_1", "echo", R"({"text": "look this up"})"});
      co_return r;
    }
    r.content = "Final answer with enough words to look like a real reply from a model.";
    if (on_chunk) on_chunk(r.content);
    co_return r;
  }
};

class EchoTool final : public tools::Tool {
 public:
  std::string_view name() const override { return "echo"; }
  std::string_view description() const override { return "Repeats its text"; }
  const boost::json::object& parameters() const override { return schema_; }
  boost::asio::awaitable<tools::ToolResult> invoke(const boost::json::object& args, const tools::ToolContext&) override {
    co_return tools::ToolResult{std::string(args.at("text").as_string()), false};
  }

 private:
  boost::json::object schema_ =
      boost::json::parse(R"({"type":"object","properties":{"text":{"type":"string"}},"required":["text"]})").as_object();
};

class CountingSink final : public EventSink {
 public:
  void emit(Event) override { ++events; }
  std::size_t events = 0;
};

class OneProvider final : public ProviderSource {
 public:
  explicit OneProvider(std::shared_ptr<llm::Provider> p) : p_(std::move(p)) {}
  std::shared_ptr<llm::Provider> provider(std::string_view) override { return p_; }

 private:
  std::shared_ptr<llm::Provider> p_;
};

class NoTools final : public ToolSource {
 public:
  std::shared_ptr<tools::Tool> tool(std::string_view) override { return nullptr; }
};

long status_value(const char* key) {  // from /proc/self/status, in kB or a count
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key, 0) == 0) return std::stol(line.substr(std::string(key).size()));
  return -1;
}

}  // namespace

static void BM_EngineAgentStep(benchmark::State& state) {
  CountingSink sink;
  OneProvider providers(std::make_shared<InstantProvider>());
  NoTools no_tools;
  RunContext run("bench", sink, providers, no_tools, PriceTable::shipped(), std::make_shared<CancelToken>());
  AgentAssignment a;
  a.agent_name = "researcher";
  a.persona = {"Senior Researcher", "Find facts about the topic", "Careful and quick, reads primary sources."};
  a.brief = {"Research the topic in depth and list what matters.", "Ten bullet points", "Earlier output here.",
             std::nullopt};
  a.task_name = "research";
  a.model = "openai/gpt-4o-mini";
  a.tools = {std::make_shared<EchoTool>()};
  boost::asio::io_context io;
  for (auto _ : state) {
    auto done = boost::asio::co_spawn(io, run_agent(run, a), boost::asio::use_future);
    io.restart();
    io.run();
    benchmark::DoNotOptimize(done.get());
  }
  state.counters["events_per_step"] = static_cast<double>(sink.events) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_EngineAgentStep)->Unit(benchmark::kMicrosecond);

// Runs `runs` executions of a 3-task crew concurrently on one thread with `providers`.
void run_concurrently(benchmark::State& state, ProviderSource& providers, const std::string& model) {
  const auto runs = static_cast<std::size_t>(state.range(0));
  auto crew = *aop::crews::parse_crew(R"(name: three
llm: )" + model + R"(
agents:
  a: {role: Analyst, goal: Analyse things, backstory: Careful.}
tasks:
  one: {description: First step, expected_output: Notes, agent: a}
  two: {description: Second step, expected_output: Notes, agent: a}
  three: {description: Third step, expected_output: Report, agent: a}
)").spec;
  NoTools no_tools;
  long threads_before = status_value("Threads:");
  for (auto _ : state) {
    boost::asio::io_context io;  // one thread runs every execution
    std::vector<std::unique_ptr<CountingSink>> sinks;
    std::vector<std::unique_ptr<RunContext>> contexts;
    std::size_t completed = 0;
    for (std::size_t i = 0; i < runs; ++i) {
      sinks.push_back(std::make_unique<CountingSink>());
      contexts.push_back(std::make_unique<RunContext>("run-" + std::to_string(i), *sinks.back(), providers, no_tools,
                                                      PriceTable::shipped(), std::make_shared<CancelToken>()));
    }
    CrewRunRequest request{crew, {}, "bench"};
    auto started = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < runs; ++i)
      boost::asio::co_spawn(io, run_crew(*contexts[i], request), [&](std::exception_ptr e, CrewRunResult r) {
        if (!e && r.status == "completed") ++completed;
      });
    io.run();
    auto wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    state.SetIterationTime(wall);
    state.counters["completed"] = static_cast<double>(completed);
    state.counters["wall_s"] = wall;
  }
  state.counters["peak_rss_MiB"] = static_cast<double>(status_value("VmHWM:")) / 1024.0;
  state.counters["threads_added"] = static_cast<double>(status_value("Threads:") - threads_before);
}

static void BM_EngineConcurrentRuns(benchmark::State& state) {
  OneProvider providers(std::make_shared<llm::SimulatedProvider>(
      llm::SimulatedOptions{std::chrono::seconds(1), std::chrono::milliseconds(0), true}));
  run_concurrently(state, providers, "simulated/slow");
}
BENCHMARK(BM_EngineConcurrentRuns)->Arg(100)->Arg(1000)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);

static void BM_EngineConcurrentRunsHttp(benchmark::State& state) {
  // Two sockets per run in this one process (client and fake server).
  rlimit files{};
  getrlimit(RLIMIT_NOFILE, &files);
  files.rlim_cur = files.rlim_max;
  setrlimit(RLIMIT_NOFILE, &files);
  aop::test::FakeLlmServer fake;  // started before the measurement: its thread is not the engine's
  auto reply = aop::test::FakeReply::text("A plausible answer of a few words.", 4);
  reply.latency = std::chrono::seconds(1);
  reply.usage = aop::test::FakeUsage{900, 40, 0};
  fake.set_default(reply);
  OneProvider providers(llm::make_provider({"openai", fake.openai_url(), "sk-bench"}));
  run_concurrently(state, providers, "openai/gpt-4o-mini");
  state.counters["llm_requests"] = static_cast<double>(fake.request_count());
}
BENCHMARK(BM_EngineConcurrentRunsHttp)->Arg(100)->Arg(1000)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);
