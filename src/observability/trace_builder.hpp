#pragma once
// Builds the trace tree of an execution — crew > task > agent > llm_call | tool | delegation —
// from its events (DESIGN.md section 6), in seq order, as they arrive or from the event log.
// Spans carry timings, status, inputs/outputs and model/token/cost metadata: the rows of the
// `traces` table.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "engine/events.hpp"

namespace aop::observability {

struct Span {
  std::string id;         // the event's trace_id
  std::string parent_id;  // "" for the crew
  std::string kind;       // crew | task | agent | llm_call | tool | delegation
  std::string name;
  std::string status = "running";  // running | completed | failed | skipped | cancelled
  std::int64_t started_at = 0;     // epoch ms
  std::optional<std::int64_t> ended_at;
  std::optional<std::string> model;
  std::optional<std::int64_t> input_tokens, output_tokens;
  std::optional<double> cost;
  std::optional<boost::json::value> inputs, outputs;
  std::optional<std::string> error;
  boost::json::object metadata;

  std::optional<std::int64_t> duration_ms() const {
    if (!ended_at) return std::nullopt;
    return *ended_at - started_at;
  }
};

class TraceBuilder {
 public:
  // Events of one execution, in seq order. Unknown or out-of-place events are ignored.
  void add(const engine::Event& event);
  // Every span, parents before children where known, in the order they started.
  std::vector<Span> spans() const;
  // The JSON tree: the crew span with nested "children" (spans whose parent is unknown hang
  // under the root).
  boost::json::value tree() const;

 private:
  Span& open(const engine::Event& e, std::string kind, std::string name);
  Span* find(const std::string& id);

  std::map<std::string, std::size_t> index_;
  std::vector<Span> spans_;
};

boost::json::object span_json(const Span& span);

}  // namespace aop::observability
