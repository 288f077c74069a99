#include "executions/cancel_registry.hpp"

namespace aop::executions {

std::unique_ptr<CancelRegistry::Entry> CancelRegistry::add(const std::string& execution_id,
                                                           std::shared_ptr<engine::CancelToken> token) {
  std::lock_guard lock(mutex_);
  tokens_[execution_id] = std::move(token);
  return std::make_unique<Entry>(*this, execution_id);
}

bool CancelRegistry::cancel(const std::string& execution_id) {
  std::shared_ptr<engine::CancelToken> token;
  {
    std::lock_guard lock(mutex_);
    auto it = tokens_.find(execution_id);
    if (it == tokens_.end()) return false;
    token = it->second;
  }
  token->cancel();  // outside the lock: callbacks run on this thread
  return true;
}

bool CancelRegistry::contains(const std::string& execution_id) const {
  std::lock_guard lock(mutex_);
  return tokens_.count(execution_id) > 0;
}

std::vector<std::string> CancelRegistry::ids() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  out.reserve(tokens_.size());
  for (const auto& [id, token] : tokens_) out.push_back(id);
  return out;
}

std::size_t CancelRegistry::size() const {
  std::lock_guard lock(mutex_);
  return tokens_.size();
}

void CancelRegistry::remove(const std::string& execution_id) {
  std::lock_guard lock(mutex_);
  tokens_.erase(execution_id);
}

}  // namespace aop::executions
