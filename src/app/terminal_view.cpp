#include "app/terminal_view.hpp"

#include <boost/json.hpp>

#include <cstdio>
#include <iomanip>
#include <ostream>
#include <sstream>

namespace aop::app {

namespace json = boost::json;
using engine::EventType;

namespace {

std::string text_of(const json::object& data, std::string_view key) {
  auto* v = data.if_contains(key);
  if (!v) return {};
  if (v->is_string()) return std::string(v->get_string());
  return json::serialize(*v);
}

double number_of(const json::object& data, std::string_view key) {
  auto* v = data.if_contains(key);
  if (!v) return 0;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  return 0;
}

std::string shorten(std::string text, std::size_t max) {
  for (auto& c : text)
    if (c == '\n') c = ' ';
  if (text.size() <= max) return text;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "...";
}

std::string seconds(double s) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(s < 10 ? 2 : 1) << s << " s";
  return out.str();
}

std::string money(const json::value* cost) {
  if (!cost || !cost->is_number()) return format_usd(std::nullopt);
  return format_usd(cost->to_number<double>());
}

}  // namespace

std::string format_usd(std::optional<double> usd) {
  if (!usd) return "n/a";
  std::ostringstream out;
  out << "$" << std::fixed << std::setprecision(*usd < 0.01 ? 5 : 3) << *usd;
  return out.str();
}

void TerminalView::end_stream() {
  if (streaming_.empty()) return;
  out_ << "\n";
  streaming_.clear();
}

void TerminalView::emit(engine::Event e) {
  std::lock_guard lock(mutex_);
  const auto& d = e.data;
  switch (e.type) {
    case EventType::execution_started:
      out_ << "Running crew \"" << text_of(d, "crew_name") << "\" (execution " << e.execution_id << ")\n";
      break;
    case EventType::task_started:
      end_stream();
      out_ << "\n==> Task " << text_of(d, "task_name") << "  [agent: " << text_of(d, "agent_name") << "]\n";
      break;
    case EventType::agent_started:
      end_stream();
      agent_of_trace_[e.trace_id] = text_of(d, "agent_name");
      out_ << "  -- " << text_of(d, "agent_name") << " (" << text_of(d, "model") << ") is working\n";
      break;
    case EventType::llm_stream_chunk:
      if (streaming_ != e.trace_id) {
        end_stream();
        streaming_ = e.trace_id;
        out_ << "  | ";
      }
      for (char c : text_of(d, "text")) {
        out_ << c;
        if (c == '\n') out_ << "  | ";
      }
      out_.flush();
      break;
    case EventType::llm_call:
      end_stream();
      out_ << "  . " << text_of(d, "model") << ": " << text_of(d, "input_tokens") << " in / "
           << text_of(d, "output_tokens") << " out tokens, " << seconds(number_of(d, "duration")) << ", "
           << money(d.if_contains("cost")) << (d.contains("simulated") ? "  (simulated)" : "") << "\n";
      break;
    case EventType::tool_call:
      end_stream();
      out_ << "  > tool " << text_of(d, "tool_name") << " " << shorten(text_of(d, "inputs"), 120) << "\n"
           << "    " << (d.at("error").as_bool() ? "failed: " : "-> ") << shorten(text_of(d, "outputs"), 200) << " ("
           << seconds(number_of(d, "duration")) << ")\n";
      break;
    case EventType::agent_completed:
      end_stream();
      break;
    case EventType::task_completed:
      end_stream();
      out_ << "<== " << text_of(d, "task_name") << " done in " << seconds(number_of(d, "duration")) << "\n"
           << text_of(d, "output") << "\n";
      break;
    case EventType::task_skipped:
      end_stream();
      out_ << "\n--- Task " << text_of(d, "task_name") << " skipped: " << text_of(d, "reason") << "\n";
      break;
    case EventType::log:
      end_stream();
      out_ << "  ! " << text_of(d, "level") << ": " << text_of(d, "message") << "\n";
      break;
    case EventType::error:
      end_stream();
      out_ << "\nERROR (" << text_of(d, "error_type") << "): " << text_of(d, "message") << "\n";
      break;
    case EventType::execution_completed:
      end_stream();
      out_ << "\nExecution " << text_of(d, "status") << " in " << seconds(number_of(d, "total_duration"))
           << ", total cost " << money(d.if_contains("total_cost")) << ", " << text_of(d, "input_tokens")
           << " input + " << text_of(d, "output_tokens") << " output tokens\n";
      break;
  }
  out_.flush();
}

void JsonLinesView::emit(engine::Event event) {
  auto line = json::serialize(engine::to_json(event));
  std::lock_guard lock(mutex_);
  out_ << line << "\n";
  out_.flush();
}

}  // namespace aop::app
