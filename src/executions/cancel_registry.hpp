#pragma once
// The cancel tokens of the runs in this process, by execution id, so a cancel request fires
// at once when the run is here. Runs in other processes learn of it through the database
// (executions.cancel_requested), which their worker pool polls.
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/cancel_token.hpp"

namespace aop::executions {

class CancelRegistry {
 public:
  // Registers a run's token; it stays until the returned handle is destroyed.
  class Entry {
   public:
    Entry(CancelRegistry& registry, std::string id) : registry_(registry), id_(std::move(id)) {}
    ~Entry() { registry_.remove(id_); }
    Entry(const Entry&) = delete;
    Entry& operator=(const Entry&) = delete;

   private:
    CancelRegistry& registry_;
    std::string id_;
  };
  std::unique_ptr<Entry> add(const std::string& execution_id, std::shared_ptr<engine::CancelToken> token);

  // Cancels the run if it is in this process; false when it is not.
  bool cancel(const std::string& execution_id);
  // Whether the run is executing in this process.
  bool contains(const std::string& execution_id) const;
  std::vector<std::string> ids() const;
  std::size_t size() const;

 private:
  void remove(const std::string& execution_id);
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<engine::CancelToken>> tokens_;
};

}  // namespace aop::executions
