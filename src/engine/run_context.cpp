#include "engine/run_context.hpp"

#include "core/ids.hpp"

namespace aop::engine {

RunContext::RunContext(std::string execution_id, EventSink& sink, ProviderSource& providers, ToolSource& tools,
                       const PriceTable& prices, std::shared_ptr<CancelToken> cancel, RunSettings settings,
                       const core::Clock& clock)
    : execution_id_(std::move(execution_id)),
      sink_(sink),
      providers_(providers),
      tools_(tools),
      prices_(prices),
      cancel_(cancel ? std::move(cancel) : std::make_shared<CancelToken>()),
      settings_(std::move(settings)),
      clock_(clock) {}

void RunContext::emit(EventType type, const std::string& trace_id, const std::string& parent_trace_id,
                      boost::json::object data) {
  Event e;
  e.type = type;
  e.execution_id = execution_id_;
  e.trace_id = trace_id;
  e.parent_trace_id = parent_trace_id;
  e.data = std::move(data);
  std::lock_guard lock(emit_mutex_);
  e.seq = next_seq_++;
  e.ts_ms = clock_.now_ms();
  sink_.emit(std::move(e));
}

std::string RunContext::new_trace_id() { return core::new_id(); }

void RunContext::throw_if_cancelled() const {
  if (cancel_->cancelled()) throw Cancelled();
}

}  // namespace aop::engine
