#include "executions/worker_pool.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <filesystem>

#include "core/ids.hpp"
#include "core/json_fields.hpp"
#include "crews/crew_document.hpp"
#include "crews/crew_store.hpp"
#include "crews/secret_store.hpp"
#include "engine/crew_runner.hpp"
#include "executions/cancel_registry.hpp"
#include "executions/event_log.hpp"
#include "executions/live_hub.hpp"
#include "executions/recovery.hpp"
#include "executions/run_events.hpp"
#include "observability/trace_store.hpp"

namespace aop::executions {

namespace asio = boost::asio;
namespace json = boost::json;
using SteadyClock = std::chrono::steady_clock;

struct WorkerPool::Slot {
  explicit Slot(asio::io_context& io) : strand(asio::make_strand(io)), timer(strand) {}
  asio::strand<asio::io_context::executor_type> strand;
  asio::steady_timer timer;
};

namespace {

using core::json_fields::string_at;

constexpr const char* k_interrupted = "The worker running this execution stopped before it finished.";

// Everything a run needs from the database, read in one go on the blocking pool.
struct Prepared {
  std::optional<crews::CrewSpec> spec;
  json::object inputs;
  TeamLlmConfig llm;
  bool cancel_requested = false;
  std::string error_type;  // set when the run cannot start
  std::string error;
};

// The shipped prices with the team's overrides (checked when they were saved; a row that no
// longer reads is logged and ignored rather than failing the run).
engine::PriceTable team_prices(const TeamLlmConfig& llm, const std::string& execution_id) {
  try {
    return engine::PriceTable::shipped().with_overrides(llm.price_overrides);
  } catch (const std::invalid_argument& e) {
    spdlog::warn("execution {}: the team's price overrides are ignored: {}", execution_id, e.what());
    return engine::PriceTable::shipped();
  }
}

Prepared prepare(store::Connection& c, const crews::SecretBox& box, const ExecutionRecord& job) {
  Prepared p;
  // A cancel that arrived between the claim and the registration of the run's token.
  if (auto now = find_execution_any_team(c, job.id)) p.cancel_requested = now->cancel_requested;
  if (!job.crew_id || !job.crew_version) {
    p.error_type = "invalid_execution";
    p.error = "the execution names no crew version";
    return p;
  }
  auto version = crews::find_version(c, *job.crew_id, *job.crew_version);
  if (!version) {
    p.error_type = "crew_not_found";
    p.error = "version " + std::to_string(*job.crew_version) + " of the crew no longer exists";
    return p;
  }
  try {
    p.spec = crews::load_stored(version->config);
  } catch (const std::exception& e) {
    p.error_type = "invalid_crew";
    p.error = std::string("the stored crew document cannot be read: ") + e.what();
    return p;
  }
  boost::system::error_code ec;
  auto inputs = json::parse(job.inputs, ec);
  if (!ec && inputs.is_object()) p.inputs = std::move(inputs.as_object());
  try {
    p.llm = load_team_llm_config(c, box, job.team_id, *job.crew_id);
  } catch (const crews::SecretUnreadable& e) {
    p.error_type = "secret_unreadable";
    p.error = e.what();
  }
  return p;
}

std::string this_host() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "localhost";
  return name;
}

// The final row, from the execution_completed event and the engine's totals.
FinalOutcome outcome_of(const engine::Event& final_event, const engine::CrewRunResult& result,
                        std::chrono::milliseconds elapsed) {
  FinalOutcome o;
  const auto& d = final_event.data;
  o.status = string_at(d, "status");
  if (auto* outputs = d.if_contains("outputs")) o.outputs = json::serialize(*outputs);
  if (auto* error = d.if_contains("error"); error && error->is_object()) {
    auto message = string_at(error->as_object(), "message");
    if (!message.empty()) o.error_message = message;
  }
  o.input_tokens = result.usage.input_tokens;
  o.output_tokens = result.usage.output_tokens;
  o.total_cost = result.total_cost;
  o.duration_ms = elapsed.count();
  return o;
}

// Polls `done` every 10 ms until it holds (true) or `until` passes (false), without blocking.
// A template, so the predicate (a lambda capturing `this`) is passed without a non-trivial
// temporary in the caller's co_await expression.
template <class Done>
asio::awaitable<bool> wait_for(Done done, SteadyClock::time_point until) {
  asio::steady_timer poll(co_await asio::this_coro::executor);
  boost::system::error_code ec;
  while (!done()) {
    if (SteadyClock::now() >= until) co_return false;
    poll.expires_after(std::chrono::milliseconds(10));
    co_await poll.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  co_return true;
}

}  // namespace

WorkerPool::WorkerPool(asio::io_context& io, WorkerDeps deps, WorkerPoolSettings settings)
    : io_(io),
      deps_(deps),
      settings_(std::move(settings)),
      worker_id_(this_host() + ":" + std::to_string(::getpid()) + ":" + core::random_hex(3)),
      monitor_strand_(asio::make_strand(io)),
      monitor_timer_(monitor_strand_) {
  for (int i = 0; i < settings_.workers; ++i) slots_.push_back(std::make_unique<Slot>(io));
}

WorkerPool::~WorkerPool() = default;

void WorkerPool::start() {
  for (auto& slot : slots_) {
    workers_alive_.fetch_add(1);
    asio::co_spawn(slot->strand, worker_loop(*slot), asio::detached);
  }
  asio::co_spawn(monitor_strand_, monitor(), asio::detached);
}

void WorkerPool::notify() {
  std::lock_guard lock(mutex_);
  if (idle_.empty()) {
    // Every worker is busy or about to look at the queue: the next one to go idle looks again.
    wakeups_ = std::min(wakeups_ + 1, slots_.size());
    return;
  }
  Slot* slot = idle_.back();
  idle_.pop_back();
  asio::post(slot->strand, [slot] { slot->timer.cancel(); });
}

asio::awaitable<void> WorkerPool::worker_loop(Slot& slot) {
  while (!stopping_) {
    std::optional<ExecutionRecord> job;
    try {
      job = co_await deps_.db.write(
          [&](store::Connection& c) { return claim_next(c, worker_id_, deps_.clock.now_ms()); });
    } catch (const std::exception& e) {
      spdlog::warn("worker could not claim an execution: {}", e.what());
    }
    if (job) {
      // There may be more: let another idle worker look while this one runs.
      notify();
      // Even when the pool is stopping meanwhile: a claimed run must end, not stay running.
      co_await run_one(std::move(*job));
      continue;
    }
    co_await idle(slot);
  }
  workers_alive_.fetch_sub(1);
}

asio::awaitable<void> WorkerPool::idle(Slot& slot) {
  bool poller = false;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) co_return;
    if (wakeups_ > 0) {
      --wakeups_;
      co_return;
    }
    // One idle worker looks at the queue every idle_poll (for runs queued by other
    // processes); the others sleep until woken, so a thousand idle workers cost one query.
    poller = pollers_ == 0;
    if (poller) ++pollers_;
    idle_.push_back(&slot);
  }
  // notify() posts its cancel to this strand, so it cannot run before the wait starts.
  boost::system::error_code ec;
  if (poller)
    slot.timer.expires_after(settings_.idle_poll);
  else
    slot.timer.expires_at(asio::steady_timer::time_point::max());
  co_await slot.timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  std::lock_guard lock(mutex_);
  std::erase(idle_, &slot);
  if (poller) --pollers_;
}

asio::awaitable<void> WorkerPool::run_one(ExecutionRecord job) {
  running_.fetch_add(1);
  auto started = SteadyClock::now();
  auto token = std::make_shared<engine::CancelToken>();
  auto registration = deps_.cancels.add(job.id, token);
  if (interrupting_) token->cancel();
  RunEvents sink(deps_.events);

  Prepared prep;
  try {
    prep = co_await deps_.db.read([&](store::Connection& c) { return prepare(c, deps_.secret_box, job); });
  } catch (const std::exception& e) {
    prep.error_type = "internal";
    prep.error = std::string("could not load the run: ") + e.what();
  }

  engine::CrewRunResult result;
  std::string workspace;
  if (prep.error.empty()) {
    if (prep.cancel_requested) token->cancel();
    auto prices = team_prices(prep.llm, job.id);
    TeamProviders providers(std::move(prep.llm), deps_.providers);
    auto run_settings = settings_.run;
    if (!settings_.workspace_root.empty()) {
      workspace = (std::filesystem::path(settings_.workspace_root) / job.id).string();
      run_settings.workspace_dir = workspace;
      std::error_code ec;
      std::filesystem::create_directories(workspace, ec);
    }
    engine::RunContext run(job.id, sink, providers, deps_.tools, prices, token, run_settings,
                           deps_.clock);
    engine::CrewRunRequest request{std::move(*prep.spec), std::move(prep.inputs), job.crew_id.value_or("")};
    try {
      result = co_await engine::run_crew(run, request);
    } catch (const std::exception& e) {
      result.status = "failed";
      result.error_type = "internal";
      result.error_message = e.what();
      spdlog::error("execution {} failed unexpectedly: {}", job.id, e.what());
    }
  } else {
    spdlog::warn("execution {} cannot start: {}", job.id, prep.error);
  }

  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - started);
  auto final_event = sink.take_final();
  if (!final_event) {
    // The engine did not run (or broke before its last event): say why in the same shape.
    auto type = prep.error.empty() ? std::string("internal") : prep.error_type;
    auto message = prep.error.empty()
                       ? (result.error_message.empty() ? "the run ended without a result" : result.error_message)
                       : prep.error;
    auto trace = core::new_id();
    auto now = deps_.clock.now_ms();
    sink.emit(error_event(job.id, 0, now, trace, type, message));
    final_event = completed_event(job.id, sink.next_seq(), now, trace,
                                  {"failed", type, message, static_cast<double>(elapsed.count()) / 1000.0});
  }
  bool interrupted = interrupting_ && string_at(final_event->data, "status") == "cancelled";
  if (interrupted) {
    // Stopped by a shutdown, not by a user: the same outcome as a killed worker.
    final_event->data["status"] = "failed";
    final_event->data["error"] = {{"type", "interrupted"}, {"message", k_interrupted}};
  }
  auto outcome = outcome_of(*final_event, result, elapsed);
  if (interrupted) outcome.error_message = "interrupted";
  try {
    // The awaitable is made in its own statement: no non-trivial temporary in the co_await.
    auto committed = deps_.events.commit(std::move(*final_event), [&](store::Connection& c) {
      if (!finish_execution(c, job.id, worker_id_, outcome, deps_.clock.now_ms()))
        spdlog::warn("execution {} was no longer running here when it ended (marked interrupted elsewhere?)", job.id);
    });
    co_await std::move(committed);
  } catch (const std::exception& e) {
    spdlog::error("could not record the end of execution {}: {}", job.id, e.what());
  }
  try {
    // Built from the durable log, not from memory: the trace shows what the log holds. When this
    // write is lost (a crash just now), GET .../traces builds the same spans from the log.
    auto traced = deps_.db.write([&](store::Connection& c) { return observability::store_traces(c, job.id); });
    co_await std::move(traced);
  } catch (const std::exception& e) {
    spdlog::warn("could not store the trace of execution {}: {}", job.id, e.what());
  }
  if (!workspace.empty()) {
    std::error_code ec;
    if (std::filesystem::is_empty(workspace, ec)) std::filesystem::remove(workspace, ec);
  }
  spdlog::info("execution {} {} in {} ms", job.id, outcome.status, elapsed.count());
  running_.fetch_sub(1);
}

asio::awaitable<void> WorkerPool::monitor() {
  std::int64_t last_heartbeat = deps_.clock.now_ms(), last_sweep = 0;
  boost::system::error_code ec;
  while (!monitor_stop_) {
    monitor_timer_.expires_after(settings_.cancel_poll);
    co_await monitor_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (monitor_stop_) break;
    try {
      co_await monitor_tick(last_heartbeat, last_sweep);
    } catch (const std::exception& e) {
      spdlog::warn("execution monitor: {}", e.what());
    }
  }
  monitor_ended_ = true;
}

asio::awaitable<void> WorkerPool::monitor_tick(std::int64_t& last_heartbeat, std::int64_t& last_sweep) {
  auto timeout = settings_.worker_timeout.count();
  auto now = deps_.clock.now_ms();
  if (running_ > 0) {
    auto ids = co_await deps_.db.read([&](store::Connection& c) { return cancel_requests(c, worker_id_); });
    for (const auto& id : ids) deps_.cancels.cancel(id);
    if (now - last_heartbeat >= timeout / 5) {
      co_await deps_.db.write([&](store::Connection& c) { return heartbeat(c, worker_id_, now); });
      last_heartbeat = now;
    }
  }
  if (now - last_sweep >= timeout / 2) {
    last_sweep = now;
    auto recovered =
        co_await deps_.db.write([&](store::Connection& c) { return recover_interrupted(c, now - timeout, now); });
    for (const auto& r : recovered) {
      spdlog::warn("execution {} was interrupted: its worker {} stopped sending heartbeats", r.execution.id,
                   r.execution.worker_id.value_or("?"));
      for (const auto& e : r.appended) deps_.hub.publish(e);
    }
  }
}

asio::awaitable<void> WorkerPool::stop(SteadyClock::time_point deadline) {
  stopping_ = true;
  {
    std::lock_guard lock(mutex_);
    for (Slot* slot : idle_) asio::post(slot->strand, [slot] { slot->timer.cancel(); });
    idle_.clear();
  }
  if (!co_await wait_for([this] { return running_ == 0; }, deadline)) {
    spdlog::warn("shutdown: interrupting {} running execution(s)", running_.load());
    interrupting_ = true;
    for (const auto& id : deps_.cancels.ids()) deps_.cancels.cancel(id);
  }
  // Cancelled runs end within milliseconds; their final rows are one commit away.
  auto grace = SteadyClock::now() + std::chrono::seconds(5);
  co_await wait_for([this] { return workers_alive_ == 0 && running_ == 0; }, grace);
  monitor_stop_ = true;
  asio::post(monitor_strand_, [this] { monitor_timer_.cancel(); });
  co_await wait_for([this] { return monitor_ended_.load(); }, grace);
}

}  // namespace aop::executions
