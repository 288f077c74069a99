#include "engine/cancel_token.hpp"

namespace aop::engine {

void CancelToken::cancel() {
  std::vector<std::pair<std::size_t, std::function<void()>>> to_run;
  {
    std::lock_guard lock(mutex_);
    if (cancelled_.exchange(true, std::memory_order_acq_rel)) return;
    to_run.swap(callbacks_);
  }
  for (auto& [id, fn] : to_run) fn();
}

CancelToken::Registration CancelToken::on_cancel(const std::shared_ptr<CancelToken>& token, std::function<void()> fn) {
  if (!token) return {};
  {
    std::lock_guard lock(token->mutex_);
    if (!token->cancelled()) {
      auto id = token->next_id_++;
      token->callbacks_.emplace_back(id, std::move(fn));
      return Registration(token, id);
    }
  }
  fn();
  return {};
}

void CancelToken::remove(std::size_t id) {
  std::lock_guard lock(mutex_);
  std::erase_if(callbacks_, [id](const auto& entry) { return entry.first == id; });
}

CancelToken::Registration& CancelToken::Registration::operator=(Registration&& other) noexcept {
  if (this != &other) {
    if (auto t = token_.lock(); t && id_) t->remove(id_);
    token_ = std::move(other.token_);
    id_ = other.id_;
    other.id_ = 0;
  }
  return *this;
}

CancelToken::Registration::~Registration() {
  if (auto t = token_.lock(); t && id_) t->remove(id_);
}

}  // namespace aop::engine
