#pragma once
// An incremental Server-Sent Events reader for LLM streams (Beast has no SSE client). Bytes
// arrive in arbitrary pieces — a line, a field name, even a CR LF pair may be split across
// reads — so the parser keeps the unfinished line and event between feed() calls.
// Follows the WHATWG event-stream rules: lines end in CR LF, LF or CR; a line starting with
// ':' is a comment; "field: value" loses one leading space; data lines join with '\n'; a
// blank line dispatches the event unless it has no data.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace aop::engine::llm {

struct SseMessage {
  std::string event;  // empty when the server sent no event: line (the "message" type)
  std::string data;
  std::string id;
};

class SseParser {
 public:
  using Handler = std::function<void(const SseMessage&)>;
  // `max_line_bytes` bounds a single line so a server that never sends a newline cannot grow
  // memory without end; feed() throws std::length_error past it.
  explicit SseParser(Handler on_message, std::size_t max_line_bytes = 8 * 1024 * 1024)
      : on_message_(std::move(on_message)), max_line_bytes_(max_line_bytes) {}

  void feed(std::string_view bytes);
  // True when bytes of an unfinished line or event are pending (a stream that ends here was
  // cut off mid-event).
  bool has_partial_event() const { return !line_.empty() || has_fields_; }

 private:
  void take_line();

  Handler on_message_;
  std::size_t max_line_bytes_;
  std::string line_;
  bool skip_lf_ = false;    // the previous piece ended in CR: a leading LF belongs to it
  bool at_start_ = true;    // a UTF-8 BOM is skipped only at the very start
  bool has_fields_ = false; // some field of the current event was seen
  bool has_data_ = false;
  SseMessage current_;
};

}  // namespace aop::engine::llm
