#pragma once
// How `aop run` shows a run: a readable live view (task and agent headers, streamed tokens,
// tool calls, outputs, a closing table of tokens, cost and time per task), or JSON lines of
// the events themselves with --json.
#include <iosfwd>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "engine/events.hpp"

namespace aop::app {

// "$0.00123" (5 decimals under a cent, else 3), or "n/a" for an unknown cost: the one way costs
// read in the terminal, live and in the closing table.
std::string format_usd(std::optional<double> usd);

class TerminalView final : public engine::EventSink {
 public:
  explicit TerminalView(std::ostream& out) : out_(out) {}
  void emit(engine::Event event) override;

 private:
  void end_stream();

  std::ostream& out_;
  std::mutex mutex_;
  std::string streaming_;  // trace of the LLM call whose tokens are being printed
  std::map<std::string, std::string> agent_of_trace_;
};

class JsonLinesView final : public engine::EventSink {
 public:
  explicit JsonLinesView(std::ostream& out) : out_(out) {}
  void emit(engine::Event event) override;

 private:
  std::ostream& out_;
  std::mutex mutex_;
};

}  // namespace aop::app
