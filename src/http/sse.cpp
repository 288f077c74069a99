#include "http/sse.hpp"

#include <algorithm>

namespace aop::http {

namespace {
std::string single_line(std::string_view value) {
  std::string out;
  for (char c : value)
    if (c != '\n' && c != '\r') out.push_back(c);
  return out;
}
// string_view::find_first_of("\r\n") calls memchr once per byte of data; event data is
// often kilobytes, so scan once.
std::size_t line_break_at_or_after(std::string_view data, std::size_t start) {
  for (std::size_t i = start; i < data.size(); ++i)
    if (data[i] == '\n' || data[i] == '\r') return i;
  return std::string_view::npos;
}
}  // namespace

std::string format_sse(const SseEvent& event) {
  std::string out;
  out.reserve(event.data.size() + 32);
  if (event.id) out += "id: " + single_line(*event.id) + "\n";
  if (!event.event.empty()) out += "event: " + single_line(event.event) + "\n";
  std::string_view data = event.data;
  std::size_t start = 0;
  while (true) {
    std::size_t end = line_break_at_or_after(data, start);
    out += "data: ";
    out.append(data.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    out += '\n';
    if (end == std::string_view::npos) break;
    start = end + 1;
    if (data[end] == '\r' && start < data.size() && data[start] == '\n') ++start;
  }
  out += '\n';
  return out;
}

std::string format_sse_comment(std::string_view text) {
  return ": " + single_line(text) + "\n\n";
}

SseFrame make_sse_frame(const SseEvent& event) { return std::make_shared<const std::string>(format_sse(event)); }

bool SseChannel::push_frame(SseFrame frame) {
  std::unique_lock lock(mutex_);
  if (closed_) return false;
  if (queue_.size() >= capacity_) {
    overflowed_ = true;
    closed_ = true;
    queue_.clear();
    queued_bytes_ = 0;
    final_event_ = SseEvent{std::nullopt, "dropped",
                            R"({"reason":"slow_consumer","detail":"The client did not read events fast enough and was disconnected; reconnect with Last-Event-ID to resume."})"};
    wake_locked(lock);
    return false;
  }
  queued_bytes_ += frame->size();
  queue_.push_back(std::move(frame));
  // Woken already, but half full: wake again, so a writer pausing between writes goes now.
  bool filling = queue_.size() == std::max<std::size_t>(1, capacity_ / 2);
  if (!wake_pending_ || filling) wake_locked(lock);
  return true;
}

void SseChannel::grow(std::size_t extra) {
  std::lock_guard lock(mutex_);
  capacity_ += extra;
}

void SseChannel::close(std::optional<SseEvent> final_event) {
  std::unique_lock lock(mutex_);
  if (closed_) return;
  closed_ = true;
  final_event_ = std::move(final_event);
  wake_locked(lock);
}

bool SseChannel::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

bool SseChannel::filling() const {
  std::lock_guard lock(mutex_);
  return queue_.size() >= std::max<std::size_t>(1, capacity_ / 2);
}

bool SseChannel::overflowed() const {
  std::lock_guard lock(mutex_);
  return overflowed_;
}

std::string SseChannel::take(bool& finished) {
  std::lock_guard lock(mutex_);
  std::string out;
  out.reserve(queued_bytes_);
  for (const auto& frame : queue_) out += *frame;
  queue_.clear();
  queued_bytes_ = 0;
  wake_pending_ = false;
  finished = closed_;
  if (closed_ && final_event_) {
    out += format_sse(*final_event_);
    final_event_.reset();
  }
  return out;
}

void SseChannel::set_waker(std::function<void()> waker) {
  std::unique_lock lock(mutex_);
  waker_ = std::move(waker);
  if (!queue_.empty() || closed_) wake_locked(lock);
}

void SseChannel::disconnect() {
  std::unique_lock lock(mutex_);
  closed_ = true;
  queue_.clear();
  queued_bytes_ = 0;
  final_event_.reset();
  waker_ = nullptr;
}

void SseChannel::on_end(std::function<void()> callback) {
  std::lock_guard lock(mutex_);
  on_end_ = std::move(callback);
}

void SseChannel::notify_end() {
  std::function<void()> callback;
  {
    std::lock_guard lock(mutex_);
    if (ended_) return;
    ended_ = true;
    closed_ = true;
    callback = std::move(on_end_);
    waker_ = nullptr;
  }
  if (callback) callback();
}

void SseChannel::wake_locked(std::unique_lock<std::mutex>& lock) {
  if (!waker_) return;
  wake_pending_ = true;
  auto waker = waker_;
  lock.unlock();
  if (waker) waker();
}

}  // namespace aop::http
