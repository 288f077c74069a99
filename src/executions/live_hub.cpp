#include "executions/live_hub.hpp"

#include <boost/json/serialize.hpp>

#include "core/clock.hpp"
#include "core/json_text.hpp"
#include "http/sse.hpp"

namespace aop::executions {

namespace {
// Events published while a subscriber's replay is being read; far more than a run emits in
// the few milliseconds that takes. Beyond it the subscriber is dropped like a slow client.
constexpr std::size_t k_max_buffered = 10000;

bool is_final(const engine::Event& e) { return e.type == engine::EventType::execution_completed; }
}  // namespace

http::SseEvent sse_event(const engine::Event& event) {
  http::SseEvent out;
  if (engine::is_persisted(event.type)) out.id = std::to_string(event.seq);
  out.event = std::string(engine::event_type_name(event.type));
  out.data = boost::json::serialize(engine::to_json(event));
  return out;
}

void append_stored_event_frame(std::string& out, const std::string& execution_id, const StoredEvent& e) {
  // Stored data is serialized JSON, which has no raw line breaks; anything else (written by
  // hand into the database) goes through the general framing, which splits lines.
  std::string_view stored = e.data.empty() ? std::string_view("{}") : std::string_view(e.data);
  bool one_line = stored.find('\n') == std::string_view::npos && stored.find('\r') == std::string_view::npos;
  auto type = engine::event_type_name(e.type);
  std::string data;
  std::string& json = one_line ? out : data;
  if (one_line) {
    out += "id: ";
    core::append_json_number(out, e.seq);
    out += "\nevent: ";
    out += type;
    out += "\ndata: ";
  }
  // The key order of engine::to_json; every string is escaped, so none breaks the line.
  json += "{\"seq\":";
  core::append_json_number(json, e.seq);
  json += ",\"type\":";
  core::append_json_string(json, type);
  json += ",\"ts\":";
  core::append_json_string(json, core::format_iso8601(e.ts_ms));
  json += ",\"execution_id\":";
  core::append_json_string(json, execution_id);
  json += ",\"trace_id\":";
  core::append_json_string(json, e.trace_id);
  json += ",\"parent_trace_id\":";
  if (e.parent_trace_id.empty()) json += "null";
  else core::append_json_string(json, e.parent_trace_id);
  json += ",\"data\":";
  json += stored;
  json += '}';
  if (one_line) out += "\n\n";
  else out += http::format_sse({std::to_string(e.seq), std::string(type), std::move(data)});
}

ReplayedEvent replayed_event(const std::string& execution_id, const StoredEvent& e) {
  std::string frame;
  frame.reserve(e.data.size() + 256);
  append_stored_event_frame(frame, execution_id, e);
  return {e.seq, e.type == engine::EventType::execution_completed,
          std::make_shared<const std::string>(std::move(frame))};
}

ReplayedEvent replayed_event(const engine::Event& e) {
  return {e.seq, is_final(e), http::make_sse_frame(sse_event(e))};
}

LiveHub::Subscription::~Subscription() { hub_.remove(subscriber_); }

std::shared_ptr<LiveHub::Subscription> LiveHub::subscribe(const std::string& execution_id, std::int64_t after_seq,
                                                          const std::shared_ptr<http::SseChannel>& channel) {
  auto s = std::make_shared<Subscriber>();
  s->execution_id = execution_id;
  s->channel = channel;
  s->last_seq = after_seq;
  {
    std::lock_guard lock(mutex_);
    by_execution_[execution_id].push_back(s);
  }
  count_.fetch_add(1, std::memory_order_relaxed);
  return std::make_shared<Subscription>(*this, std::move(s));
}

void LiveHub::start(Subscription& subscription, const std::vector<ReplayedEvent>& replayed, bool finished) {
  auto s = subscription.subscriber_;
  auto channel = s->channel.lock();
  if (channel) channel->grow(replayed.size());
  std::lock_guard lock(mutex_);
  if (s->ended) return;
  s->live = true;
  for (const auto& e : replayed) {
    deliver(*s, e.seq, true, e.final, e.frame);
    if (s->ended) return;
  }
  auto buffered = std::move(s->buffered);
  s->buffered.clear();
  for (const auto& e : buffered) {
    deliver(*s, e.seq, engine::is_persisted(e.type), is_final(e), replayed_event(e).frame);
    if (s->ended) return;
  }
  if (finished) {
    if (channel) channel->close();
    remove_locked(s);
  }
}

void LiveHub::publish(const engine::Event& event) {
  std::lock_guard lock(mutex_);
  auto it = by_execution_.find(event.execution_id);
  if (it == by_execution_.end()) return;
  // Made on first delivery, so an event nobody is live for costs no formatting.
  std::shared_ptr<const std::string> frame;
  bool persisted = engine::is_persisted(event.type);
  // deliver() never changes the list, so it is walked in place (no copy of ten thousand
  // shared pointers per event); subscribers overflowing before start() are removed after.
  std::vector<std::shared_ptr<Subscriber>> overflowed;
  for (const auto& s : it->second) {
    if (!s->live) {
      if (s->buffered.size() >= k_max_buffered) {
        overflowed.push_back(s);
        continue;
      }
      s->buffered.push_back(event);
      continue;
    }
    if (!frame) frame = replayed_event(event).frame;
    deliver(*s, event.seq, persisted, is_final(event), frame);
  }
  for (const auto& s : overflowed) {
    if (auto channel = s->channel.lock())
      channel->close(http::SseEvent{std::nullopt, "dropped", R"({"reason":"slow_consumer"})"});
    remove_locked(s);
  }
}

bool LiveHub::has_subscribers(const std::string& execution_id) {
  std::lock_guard lock(mutex_);
  auto it = by_execution_.find(execution_id);
  if (it == by_execution_.end()) return false;
  for (const auto& s : it->second)
    if (!s->ended) return true;
  return false;
}

void LiveHub::end_all(const std::string& execution_id) {
  std::lock_guard lock(mutex_);
  auto it = by_execution_.find(execution_id);
  if (it == by_execution_.end()) return;
  auto subscribers = it->second;
  for (const auto& s : subscribers) {
    if (auto channel = s->channel.lock()) channel->close();
    remove_locked(s);
  }
}

void LiveHub::deliver(Subscriber& s, std::int64_t seq, bool persisted, bool final,
                      const std::shared_ptr<const std::string>& frame) {
  if (s.ended) return;
  // Persisted events carry their own seq; a chunk carries the seq of the event it follows,
  // so one older than what was sent belongs before it and is stale.
  if (persisted ? seq <= s.last_seq : seq < s.last_seq) return;
  auto channel = s.channel.lock();
  if (!channel) return;
  if (persisted) s.last_seq = seq;
  bool accepted = channel->push_frame(frame);
  if (!accepted || final) {
    // The run is over (or the client was dropped): end the stream after what is queued.
    channel->close();
    s.ended = true;
  }
}

void LiveHub::remove_locked(const std::shared_ptr<Subscriber>& s) {
  auto it = by_execution_.find(s->execution_id);
  if (it == by_execution_.end()) return;
  auto& list = it->second;
  auto pos = std::find(list.begin(), list.end(), s);
  if (pos == list.end()) return;
  // Order does not matter: swap with the last instead of shifting thousands of entries.
  std::iter_swap(pos, std::prev(list.end()));
  list.pop_back();
  if (list.empty()) by_execution_.erase(it);
  s->ended = true;
  count_.fetch_sub(1, std::memory_order_relaxed);
}

void LiveHub::remove(const std::shared_ptr<Subscriber>& s) {
  std::lock_guard lock(mutex_);
  remove_locked(s);
}

}  // namespace aop::executions
