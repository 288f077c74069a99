#pragma once
// The `simulated` provider: deterministic and offline, for demos, tests and benchmarks. It
// streams plausible text with plausible token counts after a configurable latency, calls
// the first offered tool once with schema-valid arguments before answering, and answers
// with schema-valid JSON when a response schema is given. Everything it produces is marked
// simulated (ChatResult::simulated and a "[simulated]" prefix on text answers).
#include <chrono>

#include <boost/asio/any_io_executor.hpp>

#include "engine/llm/provider.hpp"

namespace aop::engine::llm {

struct SimulatedOptions {
  std::chrono::milliseconds first_token_latency{0};  // before the first chunk
  std::chrono::milliseconds chunk_interval{0};       // between chunks
  bool call_tools = true;                            // false: answer at once even when tools are offered
};

class SimulatedProvider final : public Provider {
 public:
  explicit SimulatedProvider(SimulatedOptions options = {}) : options_(options) {}
  std::string_view name() const override { return "simulated"; }
  bool supports_native_tools(std::string_view) const override { return true; }
  boost::asio::awaitable<ChatResult> chat(const ChatRequest& request, const ChunkHandler& on_chunk) override;

 private:
  SimulatedOptions options_;
};

}  // namespace aop::engine::llm
