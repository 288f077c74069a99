#pragma once
// Fan-out of execution events to live SSE subscribers in this process. publish() never
// waits for a client: each subscriber has its own bounded SseChannel, and one that falls
// behind is dropped by the channel with a final `dropped` event.
//
// Joining a running execution without a gap or a duplicate takes two steps:
//   auto sub = hub.subscribe(id, after_seq, channel);   // live events now buffer
//   ... read events with seq > after_seq from the event log ...
//   hub.start(*sub, replayed, finished);                 // replay, then the buffer, then live
// Persisted events are published only after they are committed, so anything missing from
// the read arrives through the buffer; the buffer's events already replayed are skipped by
// seq. A subscription ends after execution_completed, and is removed from the hub when its
// Subscription object is destroyed (the channel owns it: see attach()).
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/events.hpp"
#include "executions/event_rows.hpp"

namespace aop::http {
class SseChannel;
struct SseEvent;
}  // namespace aop::http

namespace aop::executions {

// Stored events on their way to a subscriber, already in their SSE wire form: one event, or
// a whole replay in one frame (the consecutive events up to `seq`).
struct ReplayedEvent {
  std::int64_t seq = 0;  // the last event's
  bool final = false;    // the last event is execution_completed
  std::shared_ptr<const std::string> frame;
};

class LiveHub {
  struct Subscriber;

 public:
  LiveHub() = default;
  LiveHub(const LiveHub&) = delete;
  LiveHub& operator=(const LiveHub&) = delete;

  class Subscription {
   public:
    Subscription(LiveHub& hub, std::shared_ptr<Subscriber> subscriber)
        : hub_(hub), subscriber_(std::move(subscriber)) {}
    ~Subscription();
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;

   private:
    friend class LiveHub;
    LiveHub& hub_;
    std::shared_ptr<Subscriber> subscriber_;
  };

  // Registers `channel` for the execution's events with seq > after_seq; they are buffered
  // until start().
  std::shared_ptr<Subscription> subscribe(const std::string& execution_id, std::int64_t after_seq,
                                          const std::shared_ptr<http::SseChannel>& channel);
  // Sends `replayed` (events read from the log after subscribe), then what was buffered
  // meanwhile, and goes live. `finished`: the execution had ended when the log was read, so
  // the stream closes after the replay.
  void start(Subscription& subscription, const std::vector<ReplayedEvent>& replayed, bool finished);

  // Delivers to the execution's subscribers without waiting for any of them.
  void publish(const engine::Event& event);

  // Whether the execution has subscribers whose stream is still open.
  bool has_subscribers(const std::string& execution_id);
  // Ends every subscription of the execution after what is queued (the run is over).
  void end_all(const std::string& execution_id);

  // Subscribers currently registered (for the aop_sse_subscribers gauge and leak tests).
  std::size_t subscriber_count() const { return count_.load(std::memory_order_relaxed); }

 private:
  struct Subscriber {
    std::string execution_id;
    std::weak_ptr<http::SseChannel> channel;  // the server owns the channel, the channel owns the Subscription
    std::int64_t last_seq = 0;                // the last persisted event sent
    bool live = false;
    bool ended = false;
    std::vector<engine::Event> buffered;  // published before start()
  };

  // Both under mutex_.
  // `frame` is the event's SSE form, built once per event however many subscribers it has.
  void deliver(Subscriber& s, std::int64_t seq, bool persisted, bool final,
               const std::shared_ptr<const std::string>& frame);
  void remove_locked(const std::shared_ptr<Subscriber>& s);
  void remove(const std::shared_ptr<Subscriber>& s);

  std::mutex mutex_;
  std::unordered_map<std::string, std::vector<std::shared_ptr<Subscriber>>> by_execution_;
  std::atomic<std::size_t> count_{0};
};

// The SSE form of an event: `id` is the seq for persisted events; a live-only chunk has no id
// (its seq repeats the event it follows), so Last-Event-ID always names a stored event.
http::SseEvent sse_event(const engine::Event& event);
// Appends a stored event's SSE frame, byte for byte what format_sse(sse_event()) gives for the
// same event, built by splicing the stored data text instead of parsing it (replays are read
// far more often than runs are written).
void append_stored_event_frame(std::string& out, const std::string& execution_id, const StoredEvent& event);
ReplayedEvent replayed_event(const std::string& execution_id, const StoredEvent& event);
// A live event as a replayed one (tests, and events held back until a subscriber starts).
ReplayedEvent replayed_event(const engine::Event& event);

}  // namespace aop::executions
