#include "executions/finished_streams.hpp"

#include <algorithm>

namespace aop::executions {

namespace {
std::size_t cost(const FinishedStream& s) {
  return s.frames.size() + s.team_id.size() + s.ends.size() * sizeof(s.ends[0]) + sizeof(FinishedStream);
}
}  // namespace

std::shared_ptr<const std::string> FinishedStream::frames_after(const std::shared_ptr<const FinishedStream>& self,
                                                                std::int64_t after_seq) const {
  auto first = std::upper_bound(ends.begin(), ends.end(), after_seq,
                                [](std::int64_t seq, const auto& end) { return seq < end.first; });
  std::size_t from = first == ends.begin() ? 0 : std::prev(first)->second;
  if (from == 0) return std::shared_ptr<const std::string>(self, &frames);  // no copy
  return std::make_shared<const std::string>(frames.substr(from));
}

std::shared_ptr<const FinishedStream> FinishedStreams::find(const std::string& execution_id) {
  std::lock_guard lock(mutex_);
  auto it = by_id_.find(execution_id);
  if (it == by_id_.end()) return nullptr;
  recency_.splice(recency_.begin(), recency_, it->second);
  return it->second->stream;
}

void FinishedStreams::insert(const std::string& execution_id, std::shared_ptr<const FinishedStream> stream) {
  if (!stream || cost(*stream) > budget_ / 4) return;
  std::lock_guard lock(mutex_);
  if (by_id_.contains(execution_id)) return;  // two readers raced to fill it: same bytes
  bytes_ += cost(*stream);
  recency_.push_front({execution_id, std::move(stream)});
  by_id_.emplace(execution_id, recency_.begin());
  evict_locked();
}

void FinishedStreams::evict_locked() {
  while (bytes_ > budget_ && !recency_.empty()) {
    auto& oldest = recency_.back();
    bytes_ -= cost(*oldest.stream);
    by_id_.erase(oldest.execution_id);
    recency_.pop_back();
  }
}

std::size_t FinishedStreams::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

std::size_t FinishedStreams::size() const {
  std::lock_guard lock(mutex_);
  return by_id_.size();
}

}  // namespace aop::executions
