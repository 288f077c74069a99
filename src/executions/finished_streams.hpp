#pragma once
// The SSE bytes of finished executions, kept in memory (least recently used first out, within
// a byte budget). A finished execution's event log never changes again and an execution never
// changes team, so a cached stream stays true on every node without any invalidation; a
// replay served from here costs no database read and no formatting.
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace aop::executions {

struct FinishedStream {
  std::string team_id;
  std::string frames;  // every stored event's SSE frame, in seq order
  // (seq, offset just past its frame), ascending.
  std::vector<std::pair<std::int64_t, std::size_t>> ends;
  bool ends_with_completion = false;  // the last event is execution_completed

  // The bytes of the events after `after_seq` (shared with the cache when that is all of them).
  std::shared_ptr<const std::string> frames_after(const std::shared_ptr<const FinishedStream>& self,
                                                  std::int64_t after_seq) const;
};

class FinishedStreams {
 public:
  explicit FinishedStreams(std::size_t budget_bytes) : budget_(budget_bytes) {}

  std::shared_ptr<const FinishedStream> find(const std::string& execution_id);
  // A stream larger than a quarter of the budget is not kept (it would evict everything else).
  void insert(const std::string& execution_id, std::shared_ptr<const FinishedStream> stream);

  std::size_t bytes() const;
  std::size_t size() const;

 private:
  struct Entry {
    std::string execution_id;
    std::shared_ptr<const FinishedStream> stream;
  };
  void evict_locked();

  mutable std::mutex mutex_;
  std::size_t budget_;
  std::size_t bytes_ = 0;
  std::list<Entry> recency_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> by_id_;
};

}  // namespace aop::executions
