#include "engine/llm/openai_wire.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "engine/llm/http_errors.hpp"
#include "core/json_fields.hpp"

namespace aop::engine::llm {

namespace json = boost::json;
using namespace core::json_fields;
using Kind = LlmError::Kind;

namespace {

json::object tool_call_json(const ToolCall& call) {
  return {{"id", call.id},
          {"type", "function"},
          {"function", {{"name", call.name}, {"arguments", call.arguments.empty() ? "{}" : call.arguments}}}};
}

json::object message_json(const Message& m, const OpenAiWireOptions& options) {
  switch (m.role) {
    case Role::system: return {{"role", "system"}, {"content", m.content}};
    case Role::user: return {{"role", "user"}, {"content", m.content}};
    case Role::assistant: {
      json::object out{{"role", "assistant"}};
      if (m.tool_calls.empty()) {
        out["content"] = m.content;
      } else {
        // The canonical form of a turn that only calls tools has content null.
        out["content"] = m.content.empty() ? json::value(nullptr) : json::value(m.content);
        json::array calls;
        for (const auto& call : m.tool_calls) calls.push_back(tool_call_json(call));
        out["tool_calls"] = std::move(calls);
      }
      return out;
    }
    case Role::tool: {
      json::object out{{"role", "tool"}, {"tool_call_id", m.tool_call_id}, {"content", m.content}};
      if (options.tool_message_name && !m.tool_name.empty()) out["name"] = m.tool_name;
      return out;
    }
  }
  return {};
}

json::object parameters_schema(const ToolDefinition& tool) {
  if (!tool.parameters.empty()) return tool.parameters;
  return {{"type", "object"}, {"properties", json::object()}};
}

TokenUsage usage_of(const json::object& usage) {
  TokenUsage out;
  out.input_tokens = int_at(usage, "prompt_tokens");
  out.output_tokens = int_at(usage, "completion_tokens");
  if (auto details = object_at(usage, "prompt_tokens_details")) out.cached_input_tokens = int_at(*details, "cached_tokens");
  // DeepSeek reports its cache hits under its own name.
  if (out.cached_input_tokens == 0) out.cached_input_tokens = int_at(usage, "prompt_cache_hit_tokens");
  return out;
}

std::string preview(std::string_view text) {
  return std::string(text.substr(0, 120)) + (text.size() > 120 ? "..." : "");
}

}  // namespace

json::object openai_request_body(const ChatRequest& request, const OpenAiWireOptions& options) {
  json::array messages;
  for (const auto& m : request.messages) messages.push_back(message_json(m, options));
  json::object body{{"model", request.model},
                    {"messages", std::move(messages)},
                    {"stream", true},
                    {"stream_options", {{"include_usage", true}}}};
  if (!request.tools.empty()) {
    json::array tools;
    for (const auto& tool : request.tools)
      tools.push_back({{"type", "function"},
                       {"function",
                        {{"name", tool.name}, {"description", tool.description}, {"parameters", parameters_schema(tool)}}}});
    body["tools"] = std::move(tools);
    if (request.forbid_tool_calls) body["tool_choice"] = "none";
  }
  if (!request.stop.empty()) {
    json::array stop;
    for (const auto& s : request.stop) stop.push_back(json::string(s));
    body["stop"] = std::move(stop);
  }
  if (request.temperature) body["temperature"] = *request.temperature;
  if (request.max_tokens) body[options.max_completion_tokens ? "max_completion_tokens" : "max_tokens"] = *request.max_tokens;
  return body;
}

void OpenAiStreamAssembler::on_message(const SseMessage& message) {
  if (message.data == "[DONE]") {
    done_ = true;
    return;
  }
  json::error_code ec;
  auto doc = json::parse(message.data, ec);
  if (ec || !doc.is_object())
    throw LlmError(Kind::malformed, provider_ + ": unreadable stream chunk: " + preview(message.data));
  const auto& chunk = doc.get_object();
  if (auto error = find(chunk, "error")) {
    // Some servers report a failure inside a 200 stream.
    std::string text = error->is_object() ? string_at(error->get_object(), "message")
                                          : (error->is_string() ? std::string(error->get_string()) : "");
    std::string type = error->is_object() ? string_at(error->get_object(), "code") : "";
    if (type.empty() && error->is_object()) type = string_at(error->get_object(), "type");
    throw LlmError(kind_of_error_type(type, Kind::server),
                   provider_ + ": error in the stream" + (type.empty() ? "" : " (" + type + ")") + ": " + text);
  }
  if (result_.model.empty()) result_.model = string_at(chunk, "model");
  if (auto usage = object_at(chunk, "usage")) result_.usage = usage_of(*usage);
  auto choices = array_at(chunk, "choices");
  if (!choices) return;
  for (const auto& choice_value : *choices) {
    if (!choice_value.is_object()) continue;
    const auto& choice = choice_value.get_object();
    if (int_at(choice, "index") != 0) continue;  // n > 1 is never asked for
    if (auto delta = object_at(choice, "delta")) {
      if (auto text = find(*delta, "content"); text && text->is_string() && !text->get_string().empty()) {
        std::string_view piece = text->get_string();
        result_.content.append(piece);
        if (on_chunk_) on_chunk_(piece);
      }
      if (auto calls = array_at(*delta, "tool_calls")) take_tool_deltas(*calls);
    }
    if (auto reason = string_at(choice, "finish_reason"); !reason.empty()) result_.finish_reason = reason;
  }
}

void OpenAiStreamAssembler::take_tool_deltas(const json::array& deltas) {
  for (const auto& value : deltas) {
    if (!value.is_object()) continue;
    const auto& delta = value.get_object();
    std::string id = string_at(delta, "id");
    std::int64_t index;
    if (has_int(delta, "index")) index = int_at(delta, "index");
    // Servers that omit the index send each call whole, or its first delta with an id.
    else if (!id.empty() && (last_index_ < 0 || calls_[last_index_].id != id)) index = last_index_ + 1;
    else index = std::max<std::int64_t>(last_index_, 0);
    last_index_ = std::max(last_index_, index);
    auto& call = calls_[index];
    if (!id.empty()) call.id = id;
    if (auto fn = object_at(delta, "function")) {
      if (auto name = string_at(*fn, "name"); !name.empty()) call.name = name;
      if (auto args = find(*fn, "arguments")) {
        if (args->is_string()) call.arguments.append(args->get_string());
        else if (args->is_object()) call.arguments = json::serialize(*args);  // a server that sent parsed JSON
      }
    }
  }
}

ChatResult OpenAiStreamAssembler::finish(bool cut_mid_event) {
  if (!done_ && (result_.finish_reason.empty() || cut_mid_event))
    throw LlmError(Kind::malformed, provider_ + ": the stream ended before the answer was complete");
  for (auto& [index, call] : calls_) {
    if (call.id.empty()) call.id = "call_" + std::to_string(index);
    result_.tool_calls.push_back(std::move(call));
  }
  calls_.clear();
  return std::move(result_);
}

ChatResult openai_result_from_completion(std::string_view provider, std::string_view body, const ChunkHandler& on_chunk) {
  json::error_code ec;
  auto doc = json::parse(body, ec);
  const json::object* choice = nullptr;
  if (!ec && doc.is_object())
    if (auto choices = array_at(doc.get_object(), "choices"); choices && !choices->empty() && choices->at(0).is_object())
      choice = &choices->at(0).get_object();
  const json::object* message = choice ? object_at(*choice, "message") : nullptr;
  if (!message) throw LlmError(Kind::malformed, std::string(provider) + ": unreadable completion: " + preview(body));
  ChatResult result;
  result.content = string_at(*message, "content");
  if (!result.content.empty() && on_chunk) on_chunk(result.content);
  if (auto calls = array_at(*message, "tool_calls")) {
    for (const auto& value : *calls) {
      if (!value.is_object()) continue;
      ToolCall call;
      call.id = string_at(value.get_object(), "id");
      if (auto fn = object_at(value.get_object(), "function")) {
        call.name = string_at(*fn, "name");
        if (auto args = find(*fn, "arguments"))
          call.arguments = args->is_string() ? std::string(args->get_string()) : json::serialize(*args);
      }
      if (call.id.empty()) call.id = "call_" + std::to_string(result.tool_calls.size());
      result.tool_calls.push_back(std::move(call));
    }
  }
  result.finish_reason = string_at(*choice, "finish_reason");
  result.model = string_at(doc.get_object(), "model");
  if (auto usage = object_at(doc.get_object(), "usage")) result.usage = usage_of(*usage);
  return result;
}

}  // namespace aop::engine::llm
