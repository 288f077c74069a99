#pragma once
// Server-Sent Events for tests: parse a whole stream body (parse_sse), or follow a stream as
// it arrives (SseClient), e.g. to act mid-run or to disconnect after a few events.
//
//   SseClient s(port, "GET", "/api/executions/" + id + "/stream", {}, bearer(token));
//   s.read_until([](const auto& events) { return events.size() >= 3; });
//   s.close();
#include <boost/asio.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support/http_client.hpp"

namespace aop::test {

struct SseMessage {
  std::optional<std::string> id;
  std::string event;  // "" = message
  std::string data;   // data lines joined with \n
};

// Parses complete events out of `text`; comments (": ping") are skipped. `consumed` (when
// given) is set to the bytes that formed complete events.
inline std::vector<SseMessage> parse_sse(const std::string& text, std::size_t* consumed = nullptr) {
  std::vector<SseMessage> out;
  std::size_t pos = 0;
  while (true) {
    auto end = text.find("\n\n", pos);
    if (end == std::string::npos) break;
    SseMessage m;
    bool any = false, has_data = false;
    std::size_t line_start = pos;
    while (line_start < end) {
      auto line_end = text.find('\n', line_start);
      if (line_end == std::string::npos || line_end > end) line_end = end;
      std::string line = text.substr(line_start, line_end - line_start);
      line_start = line_end + 1;
      if (line.empty() || line[0] == ':') continue;
      auto colon = line.find(':');
      std::string field = line.substr(0, colon);
      std::string value = colon == std::string::npos ? "" : line.substr(colon + 1);
      if (!value.empty() && value[0] == ' ') value.erase(0, 1);
      if (field == "id")
        m.id = value, any = true;
      else if (field == "event")
        m.event = value, any = true;
      else if (field == "data") {
        if (has_data) m.data += "\n";
        m.data += value;
        has_data = any = true;
      }
    }
    if (any) out.push_back(std::move(m));
    pos = end + 2;
  }
  if (consumed) *consumed = pos;
  return out;
}

// Follows one SSE response over a raw connection (chunked transfer decoded by hand).
class SseClient {
 public:
  // `receive_buffer_bytes` (0 = the system's): a small one with no reads makes a slow client.
  SseClient(unsigned short port, const std::string& method, const std::string& target, const std::string& body = {},
            const std::vector<std::pair<std::string, std::string>>& headers = {}, int receive_buffer_bytes = 0)
      : socket_(io_) {
    socket_.open(boost::asio::ip::tcp::v4());
    if (receive_buffer_bytes > 0)
      socket_.set_option(boost::asio::socket_base::receive_buffer_size(receive_buffer_bytes));
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
    for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
    if (!body.empty())
      req += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    req += "\r\n" + body;
    boost::asio::write(socket_, boost::asio::buffer(req));
    socket_.non_blocking(true);
  }
  ~SseClient() { close(); }

  // Reads until done(events) holds, the stream ends, or `timeout` passes; returns done(events).
  bool read_until(const std::function<bool(const std::vector<SseMessage>&)>& done,
                  std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done(events_)) {
      if (ended_ || std::chrono::steady_clock::now() >= deadline) return done(events_);
      if (!read_some()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return true;
  }
  // Reads until the server ends the stream; false when `timeout` passed first.
  bool read_to_end(std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    read_until([this](const auto&) { return ended_; }, timeout);
    return ended_;
  }
  // Reads for `duration` (or until the stream ends).
  void read_for(std::chrono::milliseconds duration) {
    read_until([](const auto&) { return false; }, duration);
  }

  void close() {
    boost::system::error_code ec;
    socket_.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    socket_.close(ec);
  }

  int status() const { return status_; }
  const std::string& head() const { return head_; }
  const std::vector<SseMessage>& events() const { return events_; }
  bool ended() const { return ended_; }
  // The body of a response that was not a stream (a problem document, say).
  const std::string& body() const { return body_; }

 private:
  // One read; false when nothing was available.
  bool read_some() {
    char buf[8192];
    boost::system::error_code ec;
    std::size_t n = socket_.read_some(boost::asio::buffer(buf), ec);
    if (ec == boost::asio::error::would_block) return false;
    if (ec) {
      ended_ = true;
      return false;
    }
    raw_.append(buf, n);
    parse();
    return true;
  }

  void parse() {
    if (!head_done_) {
      auto end = raw_.find("\r\n\r\n");
      if (end == std::string::npos) return;
      head_ = raw_.substr(0, end);
      raw_.erase(0, end + 4);
      head_done_ = true;
      status_ = std::atoi(head_.substr(head_.find(' ') + 1, 3).c_str());
      chunked_ = lower(head_).find("transfer-encoding: chunked") != std::string::npos;
    }
    if (!chunked_) {
      body_ += raw_;
      raw_.clear();
    } else {
      while (true) {
        auto line_end = raw_.find("\r\n");
        if (line_end == std::string::npos) break;
        std::size_t size = std::stoul(raw_.substr(0, line_end), nullptr, 16);
        if (raw_.size() < line_end + 2 + size + 2) break;
        if (size == 0) {
          ended_ = true;
          raw_.clear();
          break;
        }
        body_ += raw_.substr(line_end + 2, size);
        raw_.erase(0, line_end + 2 + size + 2);
      }
    }
    std::size_t consumed = 0;
    auto fresh = parse_sse(body_.substr(parsed_), &consumed);
    parsed_ += consumed;
    events_.insert(events_.end(), fresh.begin(), fresh.end());
  }

  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  std::string raw_, head_, body_;
  std::size_t parsed_ = 0;
  bool head_done_ = false, chunked_ = false, ended_ = false;
  int status_ = 0;
  std::vector<SseMessage> events_;
};

}  // namespace aop::test
