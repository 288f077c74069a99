#include "api/execution_stream.hpp"

#include <boost/asio/this_coro.hpp>
#include <charconv>

#include "app/services.hpp"
#include "core/problem.hpp"
#include "executions/event_rows.hpp"
#include "executions/execution_store.hpp"
#include "executions/finished_streams.hpp"
#include "executions/live_hub.hpp"
#include "executions/log_follower.hpp"
#include "http/sse.hpp"
#include "store/database.hpp"

namespace aop::api {

namespace {
constexpr int k_replay_page = 1000;

struct Replay {
  // A running (or pending) execution: the events after the client's, as one frame, or none.
  std::vector<executions::ReplayedEvent> events;
  // A finished one: its whole stream, for the cache.
  std::shared_ptr<const executions::FinishedStream> finished;
};

// The status first: a finished run's final row commits together with execution_completed, so
// when the status says finished, the events read next include the last one. The frames are
// built here, on the blocking pool, and never parsed: stored data is spliced in as it is.
Replay read_replay(store::Connection& c, const std::string& team_id, const std::string& execution_id,
                   std::int64_t after_seq) {
  auto execution = executions::find_execution(c, team_id, execution_id);
  if (!execution) throw core::Problem::not_found("No execution " + execution_id + ".");
  bool finished = executions::is_finished_status(execution->status);
  auto stream = std::make_shared<executions::FinishedStream>();
  stream->team_id = team_id;
  // A finished stream is read whole, once, for every later reader of any part of it.
  for (auto after = finished ? 0 : after_seq;;) {
    auto page = executions::read_stored_events(c, execution_id, after, k_replay_page);
    if (page.empty()) break;
    after = page.back().seq;
    std::size_t bytes = 0;
    for (const auto& e : page) bytes += e.data.size() + 256;
    stream->frames.reserve(stream->frames.size() + bytes);
    for (const auto& e : page) {
      executions::append_stored_event_frame(stream->frames, execution_id, e);
      stream->ends.emplace_back(e.seq, stream->frames.size());
    }
    stream->ends_with_completion = page.back().type == engine::EventType::execution_completed;
  }
  Replay r;
  if (finished) {
    r.finished = std::move(stream);
  } else if (!stream->ends.empty()) {
    r.events.push_back({stream->ends.back().first, stream->ends_with_completion,
                        std::make_shared<const std::string>(std::move(stream->frames))});
  }
  return r;
}

http::Reply stream_reply(std::shared_ptr<http::SseChannel> channel) {
  http::Reply reply;
  reply.response.result(http::bhttp::status::ok);
  reply.sse = std::move(channel);
  return reply;
}

// A finished execution's stream: what follows the client's last event, then the end.
http::Reply finished_stream_reply(const std::shared_ptr<const executions::FinishedStream>& stream,
                                  std::int64_t after_seq) {
  auto channel = std::make_shared<http::SseChannel>(1);
  auto frames = stream->frames_after(stream, after_seq);
  if (!frames->empty()) channel->push_frame(std::move(frames));
  channel->close();
  return stream_reply(std::move(channel));
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

boost::asio::awaitable<http::Reply> open_execution_stream(app::Services& services, const std::string& team_id,
                                                          const std::string& execution_id, std::int64_t after_seq) {
  if (auto cached = services.finished_streams.find(execution_id)) {
    if (cached->team_id != team_id) throw core::Problem::not_found("No execution " + execution_id + ".");
    co_return finished_stream_reply(cached, after_seq);
  }
  auto channel = std::make_shared<http::SseChannel>(services.config.sse_buffer_events);
  // Subscribe before reading the log: whatever commits after the read arrives live.
  auto subscription = services.live_hub.subscribe(execution_id, after_seq, channel);
  auto replay =
      co_await services.db.read([&](store::Connection& c) { return read_replay(c, team_id, execution_id, after_seq); });
  if (replay.finished) {
    services.finished_streams.insert(execution_id, replay.finished);
    co_return finished_stream_reply(replay.finished, after_seq);  // the subscription ends here
  }
  services.live_hub.start(*subscription, replay.events, false);
  // In case the run executes in another process (a no-op while it executes here).
  auto executor = co_await boost::asio::this_coro::executor;
  services.log_follower.follow(execution_id, replay.events.empty() ? after_seq : replay.events.back().seq, executor);
  // The channel keeps the subscription until the stream ends (the server then drops both).
  channel->on_end([subscription] {});
  co_return stream_reply(std::move(channel));
}

}  // namespace aop::api
