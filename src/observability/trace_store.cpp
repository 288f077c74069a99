#include "observability/trace_store.hpp"

#include <algorithm>
#include <iterator>
#include <unordered_map>

#include <boost/json.hpp>

#include "executions/event_rows.hpp"

namespace aop::observability {

namespace json = boost::json;

namespace {

constexpr int k_page = 1000;

store::Value json_text(const std::optional<json::value>& v) {
  return v ? store::Value(json::serialize(*v)) : store::Value(nullptr);
}

std::optional<json::value> parse_text(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  boost::system::error_code ec;
  auto v = json::parse(*text, ec);
  if (ec) return json::value(json::string(*text));  // defensively: show what is stored
  return v;
}

}  // namespace

std::vector<engine::Event> all_events(store::Connection& c, const std::string& execution_id) {
  std::vector<engine::Event> out;
  std::int64_t after = 0;
  for (;;) {
    auto page = executions::read_events(c, execution_id, after, k_page);
    if (page.empty()) break;
    after = page.back().seq;
    bool last = static_cast<int>(page.size()) < k_page;
    std::move(page.begin(), page.end(), std::back_inserter(out));
    if (last) break;
  }
  return out;
}

std::vector<Span> spans_from_events(const std::vector<engine::Event>& events) {
  TraceBuilder builder;
  for (const auto& e : events) builder.add(e);
  auto spans = builder.spans();
  order_spans(spans);
  return spans;
}

void order_spans(std::vector<Span>& spans) {
  std::unordered_map<std::string, const Span*> by_id;
  for (const auto& s : spans) by_id[s.id] = &s;
  std::unordered_map<std::string, int> depth;
  for (const auto& s : spans) {
    int d = 0;
    // Bounded walk: a malformed (cyclic) parent chain cannot loop forever.
    for (const Span* p = &s; d < 64;) {
      auto it = by_id.find(p->parent_id);
      if (p->parent_id.empty() || it == by_id.end()) break;
      p = it->second;
      ++d;
    }
    depth[s.id] = d;
  }
  std::sort(spans.begin(), spans.end(), [&](const Span& a, const Span& b) {
    if (a.started_at != b.started_at) return a.started_at < b.started_at;
    if (depth[a.id] != depth[b.id]) return depth[a.id] < depth[b.id];
    return a.id < b.id;  // ids are time-ordered (UUIDv7): the same order however they were read
  });
}

std::size_t store_traces(store::Connection& c, const std::string& execution_id) {
  auto spans = spans_from_events(all_events(c, execution_id));
  c.execute("DELETE FROM traces WHERE execution_id = ?", {execution_id});
  for (const auto& s : spans)
    c.execute(
        "INSERT INTO traces (id, execution_id, parent_id, kind, name, status, started_at, ended_at, duration_ms, "
        "model, input_tokens, output_tokens, cost, inputs, outputs, error, metadata) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {s.id, execution_id, s.parent_id.empty() ? store::Value(nullptr) : store::Value(s.parent_id), s.kind, s.name,
         s.status, s.started_at, store::optional_value(s.ended_at), store::optional_value(s.duration_ms()),
         store::optional_value(s.model), store::optional_value(s.input_tokens), store::optional_value(s.output_tokens),
         store::optional_value(s.cost), json_text(s.inputs), json_text(s.outputs), store::optional_value(s.error),
         json::serialize(s.metadata)});
  return spans.size();
}

std::vector<Span> load_traces(store::Connection& c, const std::string& execution_id) {
  auto rows = c.query(
      "SELECT id, parent_id, kind, name, status, started_at, ended_at, model, input_tokens, output_tokens, cost, "
      "inputs, outputs, error, metadata FROM traces WHERE execution_id = ?",
      {execution_id});
  std::vector<Span> out;
  out.reserve(rows.size());
  for (auto r : rows) {
    Span s;
    s.id = r.text(0);
    s.parent_id = r.opt_text(1).value_or("");
    s.kind = r.text(2);
    s.name = r.text(3);
    s.status = r.text(4);
    s.started_at = r.i64(5);
    s.ended_at = r.opt_i64(6);
    s.model = r.opt_text(7);
    s.input_tokens = r.opt_i64(8);
    s.output_tokens = r.opt_i64(9);
    s.cost = r.opt_f64(10);
    s.inputs = parse_text(r.opt_text(11));
    s.outputs = parse_text(r.opt_text(12));
    s.error = r.opt_text(13);
    if (auto meta = parse_text(r.opt_text(14)); meta && meta->is_object()) s.metadata = std::move(meta->as_object());
    out.push_back(std::move(s));
  }
  order_spans(out);
  return out;
}

std::vector<Span> execution_spans(store::Connection& c, const std::string& execution_id, bool finished) {
  if (finished) {
    auto stored = load_traces(c, execution_id);
    if (!stored.empty()) return stored;
  }
  return spans_from_events(all_events(c, execution_id));
}

}  // namespace aop::observability
