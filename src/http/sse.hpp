#pragma once
// Server-Sent Events: wire framing and the bounded channel between event producers (any
// thread) and the connection that writes them. A producer never waits for a client: when a
// client falls `capacity` events behind, its queue is replaced by one final "dropped" event
// and the stream ends.
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace aop::http {

struct SseEvent {
  std::optional<std::string> id;
  std::string event;  // empty = default "message" event
  std::string data;   // may contain newlines; each line becomes its own data: field
};

// "id: 7\nevent: log\ndata: line1\ndata: line2\n\n". Splits data on \n, \r\n and \r as the
// SSE spec requires; strips CR/LF from id and event so a value cannot inject fields.
std::string format_sse(const SseEvent& event);
// ": text\n\n" — a comment, used for keep-alive pings.
std::string format_sse_comment(std::string_view text);

// An event in its wire form, shared: an event sent to ten thousand subscribers is formatted
// once and queued ten thousand times as a pointer.
using SseFrame = std::shared_ptr<const std::string>;
SseFrame make_sse_frame(const SseEvent& event);

class SseChannel {
 public:
  explicit SseChannel(std::size_t capacity) : capacity_(capacity) {}

  // Producer side (thread-safe, never blocks on the client). Returns false once the channel
  // is closed, including when this push overflowed the buffer.
  bool push(const SseEvent& event) { return push_frame(make_sse_frame(event)); }
  bool push_frame(SseFrame frame);
  // Makes room for `extra` more queued events: a replay of n stored events is queued at once
  // and must not count as falling behind.
  void grow(std::size_t extra);
  // Ends the stream after the events already queued, then `final_event` if given.
  void close(std::optional<SseEvent> final_event = std::nullopt);
  bool closed() const;
  // Half the buffer is queued: a writer should not wait before taking it.
  bool filling() const;
  // True when the client fell behind and was dropped.
  bool overflowed() const;

  // Consumer side (the server). Takes everything queued, formatted; sets `finished` when the
  // stream must end after writing the returned bytes.
  std::string take(bool& finished);
  // Called (from any thread) when something becomes available to take; once until the next
  // take(), so a burst of events costs the consumer one wake-up, not one per event.
  void set_waker(std::function<void()> waker);
  // The client went away; producers see push() return false and should unsubscribe.
  void disconnect();
  // Invoked once when the stream ends for any reason (client gone, closed, overflow).
  void on_end(std::function<void()> callback);
  void notify_end();

 private:
  void wake_locked(std::unique_lock<std::mutex>& lock);

  mutable std::mutex mutex_;
  std::size_t capacity_;
  std::deque<SseFrame> queue_;
  std::size_t queued_bytes_ = 0;
  bool wake_pending_ = false;  // the waker ran and take() has not been called since
  std::optional<SseEvent> final_event_;
  bool closed_ = false;
  bool overflowed_ = false;
  bool ended_ = false;
  std::function<void()> waker_;
  std::function<void()> on_end_;
};

}  // namespace aop::http
