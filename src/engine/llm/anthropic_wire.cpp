#include "engine/llm/anthropic_wire.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "engine/llm/http_errors.hpp"
#include "core/json_fields.hpp"

namespace aop::engine::llm {

namespace json = boost::json;
using namespace core::json_fields;
using Kind = LlmError::Kind;

namespace {

// Tool input must be an object on this wire; arguments the model got wrong earlier (and
// was told so in the tool result) travel back as an empty one.
json::object input_object(const std::string& arguments) {
  json::error_code ec;
  auto v = json::parse(arguments, ec);
  return !ec && v.is_object() ? v.get_object() : json::object();
}

// Appends a turn, merging into the previous one when the role repeats: the API wants the
// tool_result blocks answering one assistant turn together in the next user turn.
void add_turn(json::array& messages, std::string_view role, json::array blocks) {
  if (blocks.empty()) return;
  if (!messages.empty()) {
    auto& last = messages.back().get_object();
    if (last["role"].get_string() == role) {
      auto& content = last["content"].get_array();
      for (auto& b : blocks) content.push_back(std::move(b));
      return;
    }
  }
  messages.push_back({{"role", role}, {"content", std::move(blocks)}});
}

json::array text_block(const std::string& text) {
  json::array blocks;
  if (!text.empty()) blocks.push_back({{"type", "text"}, {"text", text}});  // empty text blocks are rejected
  return blocks;
}

std::string preview(std::string_view text) {
  return std::string(text.substr(0, 120)) + (text.size() > 120 ? "..." : "");
}

}  // namespace

json::object anthropic_request_body(const ChatRequest& request) {
  std::string system;
  json::array messages;
  for (const auto& m : request.messages) {
    switch (m.role) {
      case Role::system:
        if (!system.empty()) system += "\n\n";
        system += m.content;
        break;
      case Role::user: add_turn(messages, "user", text_block(m.content)); break;
      case Role::assistant: {
        auto blocks = text_block(m.content);
        for (const auto& call : m.tool_calls)
          blocks.push_back({{"type", "tool_use"}, {"id", call.id}, {"name", call.name}, {"input", input_object(call.arguments)}});
        add_turn(messages, "assistant", std::move(blocks));
        break;
      }
      case Role::tool: {
        json::array blocks;
        blocks.push_back({{"type", "tool_result"}, {"tool_use_id", m.tool_call_id}, {"content", m.content}});
        add_turn(messages, "user", std::move(blocks));
        break;
      }
    }
  }
  json::object body{{"model", request.model},
                    {"max_tokens", request.max_tokens.value_or(k_anthropic_default_max_tokens)},
                    {"messages", std::move(messages)},
                    {"stream", true}};
  if (!system.empty()) body["system"] = system;
  if (!request.tools.empty()) {
    json::array tools;
    for (const auto& tool : request.tools) {
      json::object schema = tool.parameters.empty() ? json::object{{"type", "object"}, {"properties", json::object()}}
                                                    : tool.parameters;
      tools.push_back({{"name", tool.name}, {"description", tool.description}, {"input_schema", std::move(schema)}});
    }
    body["tools"] = std::move(tools);
    if (request.forbid_tool_calls) body["tool_choice"] = {{"type", "none"}};
  }
  if (!request.stop.empty()) {
    json::array stop;
    for (const auto& s : request.stop) stop.push_back(json::string(s));
    body["stop_sequences"] = std::move(stop);
  }
  if (request.temperature) body["temperature"] = *request.temperature;
  return body;
}

std::string normalized_stop_reason(std::string_view stop_reason) {
  if (stop_reason == "end_turn" || stop_reason == "stop_sequence") return "stop";
  if (stop_reason == "tool_use") return "tool_calls";
  if (stop_reason == "max_tokens") return "length";
  return std::string(stop_reason);
}

void AnthropicStreamAssembler::take_usage(const json::object& usage) {
  // message_start carries the input side; message_delta the (cumulative) output count and,
  // in newer API versions, input counts again. A field present replaces the earlier value.
  if (has_int(usage, "input_tokens")) uncached_input_ = int_at(usage, "input_tokens");
  if (has_int(usage, "cache_read_input_tokens")) cache_read_ = int_at(usage, "cache_read_input_tokens");
  if (has_int(usage, "cache_creation_input_tokens")) cache_write_ = int_at(usage, "cache_creation_input_tokens");
  if (has_int(usage, "output_tokens")) result_.usage.output_tokens = int_at(usage, "output_tokens");
  // Normalized: input counts every prompt token, cached ones included.
  result_.usage.input_tokens = uncached_input_ + cache_read_ + cache_write_;
  result_.usage.cached_input_tokens = cache_read_;
}

void AnthropicStreamAssembler::on_message(const SseMessage& message) {
  json::error_code ec;
  auto doc = json::parse(message.data, ec);
  if (ec || !doc.is_object())
    throw LlmError(Kind::malformed, "anthropic: unreadable stream event: " + preview(message.data));
  const auto& event = doc.get_object();
  std::string type = string_at(event, "type");
  if (type.empty()) type = message.event;

  if (type == "message_start") {
    if (auto msg = object_at(event, "message")) {
      result_.model = string_at(*msg, "model");
      if (auto usage = object_at(*msg, "usage")) take_usage(*usage);
    }
  } else if (type == "content_block_start") {
    auto& block = blocks_[int_at(event, "index")];
    if (auto content = object_at(event, "content_block")) {
      block.type = string_at(*content, "type");
      if (block.type == "tool_use") {
        block.call.id = string_at(*content, "id");
        block.call.name = string_at(*content, "name");
        if (auto input = object_at(*content, "input"); input && !input->empty()) block.initial_input = json::serialize(*input);
      } else if (block.type == "text") {
        if (auto text = string_at(*content, "text"); !text.empty()) {
          result_.content += text;
          if (on_chunk_) on_chunk_(text);
        }
      }
    }
  } else if (type == "content_block_delta") {
    auto& block = blocks_[int_at(event, "index")];
    if (auto delta = object_at(event, "delta")) {
      auto delta_type = string_at(*delta, "type");
      if (delta_type == "text_delta") {
        auto text = string_at(*delta, "text");
        result_.content += text;
        if (on_chunk_ && !text.empty()) on_chunk_(text);
      } else if (delta_type == "input_json_delta") {
        block.call.arguments += string_at(*delta, "partial_json");
      }
      // thinking_delta, signature_delta, citations: not part of the answer text.
    }
  } else if (type == "message_delta") {
    if (auto delta = object_at(event, "delta"))
      if (auto reason = string_at(*delta, "stop_reason"); !reason.empty()) result_.finish_reason = normalized_stop_reason(reason);
    if (auto usage = object_at(event, "usage")) take_usage(*usage);
  } else if (type == "message_stop") {
    done_ = true;
  } else if (type == "error") {
    const auto* error = object_at(event, "error");
    std::string error_type = error ? string_at(*error, "type") : "";
    std::string text = error ? string_at(*error, "message") : "";
    throw LlmError(kind_of_error_type(error_type, Kind::server),
                   "anthropic: error in the stream" + (error_type.empty() ? "" : " (" + error_type + ")") + ": " + text,
                   error_type == "overloaded_error" ? 529 : 0);
  }
  // ping, content_block_stop and unknown events need nothing: blocks are read at the end.
}

ChatResult AnthropicStreamAssembler::finish(bool cut_mid_event) {
  if (!done_ || cut_mid_event)
    throw LlmError(Kind::malformed, "anthropic: the stream ended before message_stop");
  for (auto& [index, block] : blocks_) {
    if (block.type != "tool_use") continue;
    if (block.call.arguments.empty()) block.call.arguments = block.initial_input.empty() ? "{}" : block.initial_input;
    result_.tool_calls.push_back(std::move(block.call));
  }
  blocks_.clear();
  return std::move(result_);
}

}  // namespace aop::engine::llm
