#include "api/execution_stream.hpp"

#include <boost/asio/this_coro.hpp>
#include <charconv>

#include "app/services.hpp"
#include "core/problem.hpp"
#include "executions/event_rows.hpp"
#include "executions/execution_store.hpp"
#include "executions/live_hub.hpp"
#include "executions/log_follower.hpp"
#include "http/sse.hpp"
#include "store/database.hpp"

namespace aop::api {

namespace {
constexpr int k_replay_page = 1000;

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
  auto replay =
      co_await services.db.read([&](store::Connection& c) { return read_replay(c, execution_id, after_seq); });
  services.live_hub.start(*subscription, replay.events, replay.finished);
  if (!replay.finished) {
    // In case the run executes in another process (a no-op while it executes here).
    auto executor = co_await boost::asio::this_coro::executor;
    services.log_follower.follow(execution_id, replay.events.empty() ? after_seq : replay.events.back().seq, executor);
  }
  // The channel keeps the subscription until the stream ends (the server then drops both).
  channel->on_end([subscription] {});
  http::Reply reply;
  reply.response.result(http::bhttp::status::ok);
  reply.sse = std::move(channel);
  co_return reply;
}

}  // namespace aop::api
