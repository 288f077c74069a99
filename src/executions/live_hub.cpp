#include "executions/live_hub.hpp"

#include <boost/json/serialize.hpp>

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

void LiveHub::start(Subscription& subscription, const std::vector<engine::Event>& replayed, bool finished) {
  auto s = subscription.subscriber_;
  auto channel = s->channel.lock();
  if (channel) channel->grow(replayed.size());
  std::lock_guard lock(mutex_);
  if (s->ended) return;
  s->live = true;
  for (const auto& e : replayed) {
    std::optional<http::SseEvent> formatted;
    deliver(*s, e, formatted);
    if (s->ended) return;
  }
  auto buffered = std::move(s->buffered);
  s->buffered.clear();
  for (const auto& e : buffered) {
    std::optional<http::SseEvent> formatted;
    deliver(*s, e, formatted);
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
  // Copy: deliver() may remove subscribers from the list.
  auto subscribers = it->second;
  std::optional<http::SseEvent> formatted;
  for (const auto& s : subscribers) {
    if (!s->live) {
      if (s->buffered.size() >= k_max_buffered) {
        if (auto channel = s->channel.lock())
          channel->close(http::SseEvent{std::nullopt, "dropped", R"({"reason":"slow_consumer"})"});
        remove_locked(s);
        continue;
      }
      s->buffered.push_back(event);
      continue;
    }
    deliver(*s, event, formatted);
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

void LiveHub::deliver(Subscriber& s, const engine::Event& e, std::optional<http::SseEvent>& formatted) {
  if (s.ended) return;
  // Persisted events carry their own seq; a chunk carries the seq of the event it follows,
  // so one older than what was sent belongs before it and is stale.
  if (engine::is_persisted(e.type) ? e.seq <= s.last_seq : e.seq < s.last_seq) return;
  auto channel = s.channel.lock();
  if (!channel) return;
  if (engine::is_persisted(e.type)) s.last_seq = e.seq;
  if (!formatted) formatted = sse_event(e);
  bool accepted = channel->push(*formatted);
  if (!accepted || is_final(e)) {
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
  list.erase(pos);
  if (list.empty()) by_execution_.erase(it);
  s->ended = true;
  count_.fetch_sub(1, std::memory_order_relaxed);
}

void LiveHub::remove(const std::shared_ptr<Subscriber>& s) {
  std::lock_guard lock(mutex_);
  remove_locked(s);
}

}  // namespace aop::executions
