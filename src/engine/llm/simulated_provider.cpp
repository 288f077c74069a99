#include "engine/llm/simulated_provider.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>

#include "engine/cancel_timer.hpp"
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>

#include "engine/schema_example.hpp"

namespace aop::engine::llm {

namespace asio = boost::asio;

namespace {

// Roughly four characters per token, as with English text on common tokenizers.
std::int64_t tokens_in(std::string_view text) { return static_cast<std::int64_t>(text.size() / 4 + 1); }

bool tools_already_used(const ChatRequest& request) {
  for (const auto& m : request.messages)
    if (m.role == Role::tool || !m.tool_calls.empty()) return true;
  return false;
}

std::string last_user_text(const ChatRequest& request) {
  for (auto it = request.messages.rbegin(); it != request.messages.rend(); ++it)
    if (it->role == Role::user) return it->content;
  return {};
}

// The first line of the task that says something (not a heading such as "Your task:"),
// trimmed: what a plausible answer talks about.
std::string gist(std::string_view text, std::size_t max = 160) {
  while (!text.empty()) {
    auto end = text.find('\n');
    auto line = text.substr(0, end);
    auto b = line.find_first_not_of(" \t\r");
    auto e = line.find_last_not_of(" \t\r");
    if (b != std::string_view::npos && line[e] != ':') {
      std::string out(line.substr(b, std::min(e - b + 1, max)));
      while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
      return out;
    }
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return "the task";
}

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> chunks;
  std::size_t start = 0;
  while (start < text.size()) {
    auto space = text.find(' ', start + 1);
    if (space == std::string::npos) space = text.size();
    chunks.push_back(text.substr(start, space - start));
    start = space;
  }
  return chunks;
}

void throw_if_cancelled(const std::shared_ptr<CancelToken>& cancel) {
  if (cancel && cancel->cancelled()) throw LlmError(LlmError::Kind::cancelled, "the run was cancelled");
}

// Sleeps without holding a thread; a cancel cancels the timer.
asio::awaitable<void> pause(asio::steady_timer& timer, std::chrono::milliseconds delay,
                            const std::shared_ptr<CancelToken>& cancel) {
  throw_if_cancelled(cancel);
  if (delay.count() <= 0) co_return;
  timer.expires_after(delay);
  boost::system::error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  throw_if_cancelled(cancel);
}

}  // namespace

asio::awaitable<ChatResult> SimulatedProvider::chat(const ChatRequest& request, const ChunkHandler& on_chunk) {
  auto executor = co_await asio::this_coro::executor;
  // Shared so a cancel posted from another thread never touches a timer that is gone.
  auto timer = std::make_shared<asio::steady_timer>(executor);
  auto registration = CancelToken::on_cancel(request.cancel, cancel_timer_callback(timer));

  std::string prompt_text;
  for (const auto& m : request.messages) prompt_text += m.content;
  for (const auto& t : request.tools) prompt_text += t.name + boost::json::serialize(t.parameters);
  std::uint64_t seed = stable_hash(request.model + prompt_text);
  std::string task = gist(last_user_text(request));

  ChatResult result;
  result.model = request.model;
  result.simulated = true;
  result.usage.input_tokens = tokens_in(prompt_text);
  // Like a real server that is too slow: the call's timeout ends the wait.
  if (options_.first_token_latency > request.timeout) {
    co_await pause(*timer, request.timeout, request.cancel);
    throw LlmError(LlmError::Kind::timeout, "the simulated model did not answer within the call's timeout");
  }
  co_await pause(*timer, options_.first_token_latency, request.cancel);

  if (options_.call_tools && !request.forbid_tool_calls && !request.tools.empty() && !tools_already_used(request)) {
    const auto& tool = request.tools.front();
    ToolCall call;
    call.id = "sim_call_" + std::to_string(seed % 1'000'000);
    call.name = tool.name;
    call.arguments = boost::json::serialize(example_for_schema(tool.parameters, seed, task));
    result.tool_calls.push_back(std::move(call));
    result.finish_reason = "tool_calls";
    result.usage.output_tokens = tokens_in(result.tool_calls.front().arguments) + 5;
    co_return result;
  }

  std::string answer;
  if (request.response_schema) answer = boost::json::serialize(example_for_schema(*request.response_schema, seed, task));
  else
    answer = "[simulated] A simulated answer by " + request.model + " (no real model was called). It addresses: " +
             task + ". Replace the crew's llm with a real model for a real answer.";
  for (auto& chunk : split_words(answer)) {
    co_await pause(*timer, options_.chunk_interval, request.cancel);
    if (on_chunk) on_chunk(chunk);
  }
  result.content = std::move(answer);
  result.finish_reason = "stop";
  result.usage.output_tokens = tokens_in(result.content);
  co_return result;
}

}  // namespace aop::engine::llm
