#include "engine/llm/sse_parser.hpp"

#include <stdexcept>

namespace aop::engine::llm {

void SseParser::feed(std::string_view bytes) {
  std::size_t i = 0;
  if (skip_lf_ && !bytes.empty()) {
    skip_lf_ = false;
    if (bytes[0] == '\n') i = 1;
  }
  while (i < bytes.size()) {
    auto end = bytes.find_first_of("\r\n", i);
    if (end == std::string_view::npos) {
      line_.append(bytes.substr(i));
      if (line_.size() > max_line_bytes_) throw std::length_error("SSE line longer than the limit");
      return;
    }
    line_.append(bytes.substr(i, end - i));
    if (line_.size() > max_line_bytes_) throw std::length_error("SSE line longer than the limit");
    take_line();
    i = end + 1;
    if (bytes[end] == '\r') {
      if (i == bytes.size()) skip_lf_ = true;  // the LF may come with the next piece
      else if (bytes[i] == '\n') ++i;
    }
  }
}

void SseParser::take_line() {
  std::string_view line = line_;
  if (at_start_) {
    at_start_ = false;
    if (line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
  }
  if (line.empty()) {
    // Blank line: dispatch. An event without data lines is dropped, as the spec says.
    if (has_data_) {
      if (!current_.data.empty() && current_.data.back() == '\n') current_.data.pop_back();
      on_message_(current_);
    }
    current_ = SseMessage{};
    has_fields_ = has_data_ = false;
    line_.clear();
    return;
  }
  if (line.front() != ':') {
    auto colon = line.find(':');
    std::string_view field = line.substr(0, colon);
    std::string_view value;
    if (colon != std::string_view::npos) {
      value = line.substr(colon + 1);
      if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    }
    has_fields_ = true;
    if (field == "data") {
      current_.data.append(value);
      current_.data.push_back('\n');
      has_data_ = true;
    } else if (field == "event") {
      current_.event.assign(value);
    } else if (field == "id") {
      if (value.find('\0') == std::string_view::npos) current_.id.assign(value);
    }
    // "retry" and unknown fields are ignored: nothing here reconnects.
  }
  line_.clear();
}

}  // namespace aop::engine::llm
