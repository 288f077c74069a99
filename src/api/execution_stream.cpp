#include "api/execution_stream.hpp"

#include <spdlog/spdlog.h>

#include <charconv>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "app/services.hpp"
#include "core/problem.hpp"
#include "executions/event_rows.hpp"
#include "executions/cancel_registry.hpp"
#include "executions/execution_store.hpp"
#include "executions/live_hub.hpp"
#include "http/sse.hpp"
#include "store/database.hpp"

namespace aop::api {

namespace {
constexpr int k_replay_page = 1000;
// How often a stream of a run in another process reads the log for new events.
constexpr std::chrono::milliseconds k_remote_poll{500};

struct Replay {
  std::vector<engine::Event> events;
  bool finished = false;
};

// The status first: a finished run's final row commits together with execution_completed, so
// when the status says finished, the events read next include the last one.
Replay read_replay(store::Connection& c, const std::string& execution_id, std::int64_t after_seq) {
  Replay r;
  auto execution = executions::find_execution_any_team(c, execution_id);
  r.finished = execution && executions::is_finished_status(execution->status);
  for (auto after = after_seq;;) {
    auto page = executions::read_events(c, execution_id, after, k_replay_page);
    if (page.empty()) break;
    after = page.back().seq;
    r.events.insert(r.events.end(), std::make_move_iterator(page.begin()), std::make_move_iterator(page.end()));
  }
  return r;
}
// Follows a run that is not executing in this process (queued, or on another node) through the
// event log, until its stream ends. Runs here publish to the hub directly, so their turns cost
// no query; the hub drops what a subscriber already has, whichever path brings it first.
// Chunks are not stored, so streams of remote runs show the stored events only.
boost::asio::awaitable<void> follow_remote_run(app::Services& services,
                                               std::weak_ptr<executions::LiveHub::Subscription> weak,
                                               std::string execution_id) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  boost::system::error_code ec;
  while (true) {
    timer.expires_after(k_remote_poll);
    co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    std::int64_t after = 0;
    {
      auto subscription = weak.lock();
      if (!subscription || services.live_hub.ended(*subscription)) co_return;
      if (services.cancels.contains(execution_id)) continue;
      after = services.live_hub.last_seq(*subscription);
    }
    Replay fresh;
    try {
      fresh = co_await services.db.read([&](store::Connection& c) { return read_replay(c, execution_id, after); });
    } catch (const std::exception& e) {
      spdlog::warn("stream of execution {}: {}", execution_id, e.what());
      continue;
    }
    auto subscription = weak.lock();
    if (!subscription) co_return;
    services.live_hub.deliver(*subscription, fresh.events, fresh.finished);
  }
}

}  // namespace

std::int64_t last_event_id(const http::RequestContext& ctx) {
  std::string text(ctx.header("Last-Event-ID"));
  std::string field = "Last-Event-ID";
  if (text.empty()) {
    text = ctx.query_param("last_event_id").value_or("");
    field = "last_event_id";
  }
  if (text.empty()) return 0;
  std::int64_t seq = -1;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), seq);
  if (ec != std::errc() || ptr != text.data() + text.size() || seq < 0)
    throw core::Problem::bad_request(field + " must be the id (a non-negative integer) of an event of this stream.",
                                     {{field, "must be a non-negative integer"}});
  return seq;
}

boost::asio::awaitable<http::Reply> open_execution_stream(app::Services& services, const std::string& execution_id,
                                                          std::int64_t after_seq) {
  auto channel = std::make_shared<http::SseChannel>(services.config.sse_buffer_events);
  // Subscribe before reading the log: whatever commits after the read arrives live.
  auto subscription = services.live_hub.subscribe(execution_id, after_seq, channel);
  auto replay = co_await services.db.read(
      [&](store::Connection& c) { return read_replay(c, execution_id, after_seq); });
  services.live_hub.start(*subscription, replay.events, replay.finished);
  if (!replay.finished) {
    // Separate statements: GCC 12 mishandles non-trivial temporaries in a co_await expression.
    auto executor = co_await boost::asio::this_coro::executor;
    std::weak_ptr<executions::LiveHub::Subscription> weak = subscription;
    boost::asio::co_spawn(executor, follow_remote_run(services, weak, execution_id), boost::asio::detached);
  }
  // The channel keeps the subscription until the stream ends (the server then drops both).
  channel->on_end([subscription] {});
  http::Reply reply;
  reply.response.result(http::bhttp::status::ok);
  reply.sse = std::move(channel);
  co_return reply;
}

}  // namespace aop::api
