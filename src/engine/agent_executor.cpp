#include "engine/agent_executor.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include <boost/json.hpp>

#include "core/ascii.hpp"
#include "core/clock.hpp"
#include "engine/hooks/hook_dispatcher.hpp"
#include "engine/json_schema.hpp"
#include "engine/llm/provider_registry.hpp"
#include "engine/llm/retry.hpp"
#include "engine/react_parser.hpp"

namespace aop::engine {

namespace asio = boost::asio;
namespace json = boost::json;
using llm::ChatRequest;
using llm::ChatResult;
using llm::LlmError;
using llm::Message;
using llm::Role;
using crews::HookPhase;
using crews::HookTarget;

namespace {

using SteadyClock = std::chrono::steady_clock;

// Long tool results are cut so one web page cannot fill the model's context.
constexpr std::size_t k_max_observation_bytes = 16 * 1024;

double seconds_since(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

std::string clip(std::string text) {
  if (text.size() <= k_max_observation_bytes) return text;
  std::size_t cut = k_max_observation_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text + "\n[... cut: the result was longer than " + std::to_string(k_max_observation_bytes / 1024) + " KiB]";
}

std::string_view role_name(Role role) {
  switch (role) {
    case Role::system: return "system";
    case Role::user: return "user";
    case Role::assistant: return "assistant";
    case Role::tool: return "tool";
  }
  return "user";
}

// The state of one agent's run on one task.
struct Session {
  RunContext& run;
  const AgentAssignment& a;
  std::shared_ptr<llm::Provider> provider;
  std::string model_name;  // without the provider
  std::string trace_id;
  bool native = false;
  std::vector<Message> messages;
  std::vector<llm::ToolDefinition> definitions;
  std::map<std::string, tools::Tool*> by_native_name;
  std::map<std::string, tools::Tool*> by_lower_name;
  AgentOutcome out;
  bool cost_known = true;
  double cost = 0;
};

EngineError out_of_time(const Session& s) {
  return EngineError("max_execution_time", "agent \"" + s.a.agent_name + "\" ran out of time on task \"" +
                                               s.a.task_name + "\" (max_execution_time reached)");
}

void check_deadline(const Session& s) {
  if (s.a.deadline && SteadyClock::now() >= *s.a.deadline) throw out_of_time(s);
}

// Emits the event of a finished LLM or tool call, then runs the crew's "after" hooks on it
// when any are set for it (parameters, not captures: this is a coroutine).
asio::awaitable<void> emit_finished(Session& s, HookTarget target, EventType type, std::string trace,
                                    HookSubject subject, json::object data) {
  if (s.a.hooks && s.a.hooks->wants(HookPhase::after, target, subject)) {
    s.run.emit(type, trace, s.trace_id, data);
    auto hook_call = s.a.hooks->after(target, subject, {type, trace, s.trace_id, std::move(data)});
    co_await std::move(hook_call);
  } else {
    s.run.emit(type, trace, s.trace_id, std::move(data));
  }
}

asio::awaitable<ChatResult> call_llm(Session& s, bool forbid_tools) {
  s.run.throw_if_cancelled();
  check_deadline(s);
  for (RateGate* gate : s.a.rate_gates) co_await gate->acquire(s.run.cancel());
  check_deadline(s);

  ChatRequest request;
  request.model = s.model_name;
  request.messages = s.messages;
  if (s.native) request.tools = s.definitions;
  request.forbid_tool_calls = forbid_tools;
  if (!s.native && !s.a.tools.empty()) request.stop = {"\nObservation:"};
  request.response_schema = s.a.brief.output_schema;
  request.timeout = s.run.settings().llm_timeout;
  bool cut_by_deadline = false;  // a timeout then means max_execution_time, not a slow provider
  if (s.a.deadline) {
    // Rounded up so the call's timer never fires before the deadline itself.
    auto left = std::chrono::ceil<std::chrono::milliseconds>(*s.a.deadline - SteadyClock::now());
    if (left <= request.timeout) {
      cut_by_deadline = true;
      request.timeout = std::max(std::chrono::milliseconds(1), left);
    }
  }
  request.cancel = s.run.cancel();

  std::string llm_trace = s.run.new_trace_id();
  const HookSubject subject{s.a.task_name, s.a.agent_name, "", s.a.model};
  if (s.a.hooks && s.a.hooks->wants(HookPhase::before, HookTarget::llm_call, subject)) {
    // The hook may rewrite the texts of this call's messages (redaction, say); the agent's
    // own history stays as it was.
    json::array messages;
    for (const auto& m : request.messages) messages.push_back({{"role", role_name(m.role)}, {"content", m.content}});
    HookEvent event{EventType::llm_call, llm_trace, s.trace_id,
                    {{"model", s.a.model},
                     {"agent_name", s.a.agent_name},
                     {"task_name", s.a.task_name},
                     {"input", {{"messages", std::move(messages)}}}}};
    auto hook_call = s.a.hooks->before(HookTarget::llm_call, subject, std::move(event));
    auto replaced = co_await std::move(hook_call);
    if (replaced) {
      const auto& texts = replaced->at("messages").as_array();
      for (std::size_t i = 0; i < request.messages.size() && i < texts.size(); ++i)
        request.messages[i].content = std::string(texts[i].at("content").as_string());
    }
    check_deadline(s);
  }
  auto started = SteadyClock::now();
  ChatResult result;
  try {
    llm::RetryPolicy retry = s.run.settings().llm_retry;
    retry.on_retry = [&](int attempt, const LlmError& error, std::chrono::milliseconds delay) {
      check_deadline(s);  // no retry past max_execution_time (throws out of chat_with_retries)
      s.run.emit(EventType::log, llm_trace, s.trace_id,
                 {{"level", "warning"},
                  {"message", "LLM call attempt " + std::to_string(attempt) + " failed (" + error.what() +
                                  "); retrying in " + std::to_string(delay.count()) + " ms"},
                  {"timestamp", core::format_iso8601(s.run.clock().now_ms())},
                  {"trace_id", llm_trace}});
    };
    result = co_await llm::chat_with_retries(*s.provider, request, [&](std::string_view text) {
      s.run.emit(EventType::llm_stream_chunk, llm_trace, s.trace_id, {{"text", text}, {"agent_name", s.a.agent_name}});
    }, std::move(retry));
  } catch (const LlmError& e) {
    if (e.kind() == LlmError::Kind::cancelled || s.run.cancel()->cancelled()) throw Cancelled();
    if (e.kind() == LlmError::Kind::timeout && cut_by_deadline)
      throw out_of_time(s);
    throw EngineError("llm_" + std::string(llm::kind_name(e.kind())),
                      "the LLM call for agent \"" + s.a.agent_name + "\" (" + s.a.model + ") failed: " + e.what());
  }
  auto cost = cost_of(s.run.prices(), s.a.model, result.usage);
  if (cost) s.cost += *cost;
  else s.cost_known = false;
  s.out.usage.input_tokens += result.usage.input_tokens;
  s.out.usage.output_tokens += result.usage.output_tokens;
  s.out.usage.cached_input_tokens += result.usage.cached_input_tokens;
  ++s.out.llm_calls;
  json::object data{{"model", s.a.model},
                    {"input_tokens", result.usage.input_tokens},
                    {"output_tokens", result.usage.output_tokens},
                    {"cached_input_tokens", result.usage.cached_input_tokens},
                    {"duration", seconds_since(started)},
                    {"cost", cost ? json::value(*cost) : json::value(nullptr)},
                    {"agent_name", s.a.agent_name},
                    {"task_name", s.a.task_name}};
  if (result.simulated) data["simulated"] = true;
  co_await emit_finished(s, HookTarget::llm_call, EventType::llm_call, llm_trace, subject, std::move(data));
  co_return result;
}

// Runs one tool call and returns the observation the model sees.
asio::awaitable<std::string> call_tool(Session& s, tools::Tool* tool, const std::string& called_name,
                                       const std::string& arguments_text) {
  s.run.throw_if_cancelled();
  auto started = SteadyClock::now();
  std::string trace = s.run.new_trace_id();
  boost::system::error_code ec;
  json::value arguments = json::parse(arguments_text, ec);
  tools::ToolResult result;
  if (!tool) {
    std::string names;
    for (const auto& t : s.a.tools) names += (names.empty() ? "" : ", ") + std::string(t->name());
    result = {"Error: there is no tool named \"" + called_name + "\". Available tools: " + names + ".", true};
  } else if (ec || !arguments.is_object()) {
    result = {"Error: the arguments for " + std::string(tool->name()) +
                  " must be one JSON object matching its schema; got: " + arguments_text,
              true};
  } else {
    const HookSubject subject{s.a.task_name, s.a.agent_name, std::string(tool->name()), s.a.model};
    if (s.a.hooks && s.a.hooks->wants(HookPhase::before, HookTarget::tool_call, subject)) {
      HookEvent event{EventType::tool_call, trace, s.trace_id,
                      {{"tool_name", tool->name()},
                       {"agent_name", s.a.agent_name},
                       {"task_name", s.a.task_name},
                       {"input", arguments}}};
      auto hook_call = s.a.hooks->before(HookTarget::tool_call, subject, std::move(event));
      if (auto replaced = co_await std::move(hook_call)) arguments = std::move(*replaced);
    }
    tools::ToolContext context;
    context.deadline = SteadyClock::now() + s.run.settings().tool_timeout;
    if (s.a.deadline) context.deadline = std::min(context.deadline, *s.a.deadline);
    context.cancel = s.run.cancel();
    context.workspace_dir = s.run.settings().workspace_dir;
    context.trace_id = trace;
    try {
      result = co_await tool->invoke(arguments.get_object(), context);
    } catch (const Cancelled&) {
      throw;
    } catch (const std::exception& e) {
      result = {std::string("Error: the tool failed: ") + e.what(), true};
    }
    s.run.throw_if_cancelled();
  }
  ++s.out.tool_calls;
  std::string observation = clip(result.is_error && !result.output.starts_with("Error") ? "Error: " + result.output
                                                                                        : result.output);
  json::object data{{"tool_name", tool ? std::string(tool->name()) : called_name},
                    {"inputs", ec ? json::value(arguments_text) : arguments},
                    {"outputs", observation},
                    {"duration", seconds_since(started)},
                    {"error", result.is_error},
                    {"agent_name", s.a.agent_name}};
  const HookSubject subject{s.a.task_name, s.a.agent_name, tool ? std::string(tool->name()) : called_name, s.a.model};
  co_await emit_finished(s, HookTarget::tool_call, EventType::tool_call, trace, subject, std::move(data));
  co_return observation;
}

struct Checked {
  std::optional<json::value> json;
  std::vector<std::string> errors;  // against output_json
};

Checked check_answer(const Session& s, const std::string& answer) {
  Checked c;
  boost::system::error_code ec;
  auto parsed = json::parse(extract_json_text(answer), ec);
  if (!ec && (parsed.is_object() || parsed.is_array())) c.json = std::move(parsed);
  if (!s.a.brief.output_schema) return c;
  if (!c.json) {
    auto scalar = json::parse(extract_json_text(answer), ec);  // a schema may ask for a number or string
    if (ec) {
      c.errors.push_back("(the answer): it is not JSON (" + ec.message() + ")");
      return c;
    }
    c.json = std::move(scalar);
  }
  c.errors = check_against_schema(*c.json, *s.a.brief.output_schema).errors;
  return c;
}

}  // namespace

std::string native_tool_name(std::string_view name) {
  std::string out;
  for (unsigned char c : name) {
    if (std::isalnum(c) || c == '_' || c == '-') out += static_cast<char>(std::tolower(c));
    else if (!out.empty() && out.back() != '_') out += '_';
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (out.size() > 64) out.resize(64);
  return out.empty() ? "tool" : out;
}

asio::awaitable<AgentOutcome> run_agent(RunContext& run, const AgentAssignment& a) {
  auto started = SteadyClock::now();
  auto ref = llm::split_model(a.model);
  if (!ref) throw EngineError("invalid_model", "agent \"" + a.agent_name + "\" names model \"" + a.model +
                                                    "\"; a model is written provider/model, e.g. openai/gpt-4o-mini");
  Session s{run, a, run.providers().provider(ref->provider), ref->model, run.new_trace_id()};
  s.native = !a.tools.empty() && s.provider->supports_native_tools(s.model_name);
  std::vector<const tools::Tool*> react_tools;
  for (const auto& t : a.tools) {
    s.by_lower_name[core::ascii_lower(t->name())] = t.get();
    if (s.native) {
      auto native = native_tool_name(t->name());
      s.by_native_name[native] = t.get();
      s.definitions.push_back({native, std::string(t->description()), t->parameters()});
    } else {
      react_tools.push_back(t.get());
    }
  }
  json::object started_data{
      {"agent_name", a.agent_name}, {"task_name", a.task_name}, {"trace_id", s.trace_id}, {"model", a.model}};
  const HookSubject subject{a.task_name, a.agent_name, "", a.model};
  AgentPersona persona = a.persona;
  if (a.hooks && a.hooks->wants(HookPhase::before, HookTarget::agent, subject)) {
    run.emit(EventType::agent_started, s.trace_id, a.parent_trace_id, started_data);
    started_data["input"] = {{"role", persona.role}, {"goal", persona.goal}, {"backstory", persona.backstory}};
    auto hook_call =
        a.hooks->before(HookTarget::agent, subject,
                        {EventType::agent_started, s.trace_id, a.parent_trace_id, std::move(started_data)});
    if (auto replaced = co_await std::move(hook_call)) {
      persona.role = std::string(replaced->at("role").as_string());
      persona.goal = std::string(replaced->at("goal").as_string());
      persona.backstory = std::string(replaced->at("backstory").as_string());
    }
  } else {
    run.emit(EventType::agent_started, s.trace_id, a.parent_trace_id, std::move(started_data));
  }
  s.messages.push_back({Role::system, system_prompt(persona, react_tools), {}, {}, {}});
  s.messages.push_back({Role::user, task_prompt(a.brief), {}, {}, {}});

  int steps = 0;           // LLM calls that used a tool or had to be corrected
  int schema_retries = 0;  // answers that did not match output_json
  std::string answer;
  for (;;) {
    bool forced = steps >= a.max_iter;
    if (forced) s.messages.push_back({Role::user, final_answer_now_message(steps), {}, {}, {}});
    ChatResult reply = co_await call_llm(s, forced);

    if (s.native && !forced && !reply.tool_calls.empty()) {
      ++steps;
      s.messages.push_back({Role::assistant, reply.content, reply.tool_calls, {}, {}});
      for (const auto& call : reply.tool_calls) {
        auto it = s.by_native_name.find(call.name);
        auto observation = co_await call_tool(s, it == s.by_native_name.end() ? nullptr : it->second, call.name,
                                              call.arguments);
        s.messages.push_back({Role::tool, std::move(observation), {}, call.id, call.name});
      }
      continue;
    }
    if (s.native || a.tools.empty() || forced) {
      // Plain text is the answer; a "Final Answer:" label, if the model wrote one, is dropped.
      auto step = parse_react(reply.content);
      answer = step.kind == ReactStep::Kind::final_answer ? step.answer : reply.content;
      s.out.forced_final = forced;
    } else {
      auto step = parse_react(reply.content);
      if (step.kind == ReactStep::Kind::action) {
        ++steps;
        auto it = s.by_lower_name.find(core::ascii_lower(step.tool));
        s.messages.push_back({Role::assistant, reply.content, {}, {}, {}});
        auto observation =
            co_await call_tool(s, it == s.by_lower_name.end() ? nullptr : it->second, step.tool, step.tool_input);
        s.messages.push_back({Role::user, observation_message(observation), {}, {}, {}});
        continue;
      }
      if (step.kind == ReactStep::Kind::malformed) {
        ++steps;
        s.messages.push_back({Role::assistant, reply.content, {}, {}, {}});
        s.messages.push_back({Role::user, format_error_message(step.problem, true), {}, {}, {}});
        continue;
      }
      answer = step.answer;
    }

    auto checked = check_answer(s, answer);
    if (!checked.errors.empty()) {
      if (schema_retries >= a.max_retry_limit) {
        std::string list;
        for (const auto& e : checked.errors) list += "\n- " + e;
        throw EngineError("output_validation", "the answer of agent \"" + a.agent_name + "\" for task \"" + a.task_name +
                                                   "\" does not match output_json after " +
                                                   std::to_string(schema_retries + 1) + " attempt(s):" + list);
      }
      ++schema_retries;
      s.messages.push_back({Role::assistant, answer, {}, {}, {}});
      s.messages.push_back({Role::user, schema_retry_message(checked.errors), {}, {}, {}});
      continue;
    }
    s.out.json = std::move(checked.json);
    break;
  }

  s.out.output = s.a.brief.output_schema && s.out.json ? json::serialize(*s.out.json) : answer;
  if (s.cost_known) s.out.cost = s.cost;
  json::object completed{{"agent_name", a.agent_name},
                         {"task_name", a.task_name},
                         {"output", s.out.output},
                         {"duration", seconds_since(started)},
                         {"tokens", s.out.usage.input_tokens + s.out.usage.output_tokens},
                         {"llm_calls", s.out.llm_calls},
                         {"tool_calls", s.out.tool_calls}};
  if (a.hooks && a.hooks->wants(HookPhase::after, HookTarget::agent, subject)) {
    run.emit(EventType::agent_completed, s.trace_id, a.parent_trace_id, completed);
    auto hook_call =
        a.hooks->after(HookTarget::agent, subject,
                       {EventType::agent_completed, s.trace_id, a.parent_trace_id, std::move(completed)});
    co_await std::move(hook_call);
  } else {
    run.emit(EventType::agent_completed, s.trace_id, a.parent_trace_id, std::move(completed));
  }
  co_return std::move(s.out);
}

}  // namespace aop::engine
