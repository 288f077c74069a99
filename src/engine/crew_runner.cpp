#include "engine/crew_runner.hpp"

#include <map>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include "core/clock.hpp"
#include "crews/condition.hpp"
#include "crews/crew_inputs.hpp"
#include "engine/agent_executor.hpp"
#include "engine/delegation_tools.hpp"
#include "engine/hooks/hook_dispatcher.hpp"
#include "engine/interpolation.hpp"

namespace aop::engine {

namespace asio = boost::asio;
namespace json = boost::json;
using crews::HookPhase;
using crews::HookTarget;

namespace {

using SteadyClock = std::chrono::steady_clock;

// The manager a hierarchical crew gets when it names only manager_llm (our own wording).
const AgentPersona k_default_manager = {
    "Crew Manager",
    "Get the crew's tasks done well by handing each piece of work to the coworker best suited to it and checking "
    "what comes back",
    "You lead a team of specialists. You do not do the work yourself: you split it, brief the right coworker with "
    "everything they need, ask questions when something is unclear, and judge the quality of the results before "
    "you answer."};

bool matches_type(const json::value& v, std::string_view type) {
  if (type == "string") return v.is_string();
  if (type == "number") return v.is_number();
  if (type == "integer") return v.is_int64() || v.is_uint64() || (v.is_double() && v.get_double() == static_cast<double>(static_cast<std::int64_t>(v.get_double())));
  if (type == "boolean") return v.is_bool();
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  return true;
}

double seconds_since(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

void add_usage(TokenUsage& into, const TokenUsage& from) {
  into.input_tokens += from.input_tokens;
  into.output_tokens += from.output_tokens;
  into.cached_input_tokens += from.cached_input_tokens;
}

// An async task in flight: joined by waiting on `signal` until `done`.
struct AsyncSlot {
  explicit AsyncSlot(const asio::any_io_executor& executor) : signal(executor, SteadyClock::time_point::max()) {}
  bool done = false;
  std::exception_ptr error;
  asio::steady_timer signal;
};

class CrewSession final : public CoworkerRunner {
 public:
  CrewSession(RunContext& run, const CrewRunRequest& request) : run_(run), request_(request), crew_(request.crew) {
    crews::add_implicit_inputs(crew_);
    records_.resize(crew_.tasks.size());
    for (std::size_t i = 0; i < crew_.tasks.size(); ++i) records_[i].name = crew_.tasks[i].name;
    if (crew_.hooks) {
      auto read = crews::read_hooks(*crew_.hooks);
      for (const auto& e : read.errors) hook_errors_ += (hook_errors_.empty() ? "" : "; ") + crews::to_string(e);
      if (!read.hooks.empty()) hooks_ = std::make_unique<HookDispatcher>(run_, std::move(read.hooks));
    }
  }

  asio::awaitable<CrewRunResult> run() {
    auto started = SteadyClock::now();
    root_trace_ = run_.new_trace_id();
    started_data_ = {{"execution_id", run_.execution_id()},
                     {"crew_id", request_.crew_id},
                     {"crew_name", crew_.name},
                     {"started_at", core::format_iso8601(run_.clock().now_ms())},
                     {"inputs", request_.inputs}};
    run_.emit(EventType::execution_started, root_trace_, "", started_data_);
    CrewRunResult result;
    result.status = "completed";
    try {
      co_await run_tasks();
    } catch (const Cancelled&) {
      result.status = "cancelled";
    } catch (const EngineError& e) {
      result.status = "failed";
      result.error_type = e.type();
      result.error_message = e.what();
      if (!error_reported_) report_error(e.type(), e.what(), root_trace_);
    } catch (const std::exception& e) {
      result.status = "failed";
      result.error_type = "internal";
      result.error_message = e.what();
      report_error("internal", e.what(), root_trace_);
    }
    co_await settle_async_tasks(result.status != "completed");

    for (auto& rec : records_)
      if (rec.status == "pending" && result.status == "cancelled") rec.status = "cancelled";
    json::object outputs;
    for (const auto& rec : records_) {
      if (rec.status != "completed") continue;
      outputs[rec.name] = rec.output;
      result.final_output = rec.output;
    }
    result.tasks = records_;
    result.total_duration = seconds_since(started);
    result.usage = usage_;
    if (cost_known_) result.total_cost = cost_;
    json::object done{{"execution_id", run_.execution_id()},
                      {"status", result.status},
                      {"outputs", std::move(outputs)},
                      {"final_output", result.final_output},
                      {"total_duration", result.total_duration},
                      {"total_cost", result.total_cost ? json::value(*result.total_cost) : json::value(nullptr)},
                      {"input_tokens", usage_.input_tokens},
                      {"output_tokens", usage_.output_tokens}};
    if (!result.error_message.empty()) done["error"] = {{"type", result.error_type}, {"message", result.error_message}};
    if (hooks_ && hooks_->wants(HookPhase::after, HookTarget::execution, {})) {
      // Before the final event, which closes the run's stream; delivered even when the run
      // was cancelled or failed, each hook within its own time limit.
      try {
        auto hook_call =
            hooks_->after(HookTarget::execution, {}, {EventType::execution_completed, root_trace_, "", done}, true);
        co_await std::move(hook_call);
      } catch (const std::exception& e) {
        report_error("internal", std::string("after_execution hooks failed: ") + e.what(), root_trace_);
      }
    }
    run_.emit(EventType::execution_completed, root_trace_, "", std::move(done));
    co_return result;
  }

  asio::awaitable<std::string> run_coworker(const crews::AgentSpec& coworker, std::string request, std::string context,
                                            bool is_question, const tools::ToolContext& call) override {
    AgentAssignment a = assignment_for(coworker, "delegated by the manager");
    a.brief = {std::move(request),
               is_question ? "A clear, complete answer to the question." : "The complete result of this work.",
               std::move(context), std::nullopt};
    a.parent_trace_id = call.trace_id;
    a.hooks = hooks_.get();
    try {
      auto outcome = co_await run_agent(run_, a);
      account(outcome);
      co_return outcome.output;
    } catch (const EngineError& e) {
      co_return std::string("Error: ") + coworker.role + " could not finish: " + e.what();
    }
  }

 private:
  asio::awaitable<void> run_tasks() {
    if (!hook_errors_.empty()) throw EngineError("invalid_hooks", "the crew's hooks are invalid: " + hook_errors_);
    json::object given = request_.inputs;
    if (hooks_ && hooks_->wants(HookPhase::before, HookTarget::execution, {})) {
      json::object data = started_data_;
      data["input"] = given;
      auto hook_call =
          hooks_->before(HookTarget::execution, {}, {EventType::execution_started, root_trace_, "", std::move(data)});
      if (auto replaced = co_await std::move(hook_call)) given = std::move(*replaced);
    }
    auto resolved = resolve_inputs(crew_, given);
    if (!resolved.problems.empty()) {
      std::string list;
      for (const auto& p : resolved.problems)
        list += (list.empty() ? "" : "; ") + ("input \"" + p.input + "\" " + p.message);
      throw EngineError("invalid_inputs", list);
    }
    inputs_ = std::move(resolved.values);
    if (crew_.max_execution_time) crew_deadline_ = SteadyClock::now() + std::chrono::seconds(*crew_.max_execution_time);
    if (crew_.max_rpm) crew_gate_ = std::make_unique<RateGate>(*crew_.max_rpm);
    if (crew_.process == crews::Process::hierarchical) set_up_manager();
    else
      for (const auto& agent : crew_.agents) {
        if (!agent.allow_delegation) continue;
        for (const auto& other : crew_.agents)
          if (other.name != agent.name) coworkers_of_[agent.name].push_back(&other);
      }

    auto executor = co_await asio::this_coro::executor;
    for (std::size_t i = 0; i < crew_.tasks.size(); ++i) {
      if (!crew_.tasks[i].async_execution) {
        co_await run_task(i);
        continue;
      }
      // Runs alongside the next tasks; whichever needs its output waits for it.
      auto slot = std::make_shared<AsyncSlot>(executor);
      pending_.emplace_back(crew_.tasks[i].name, slot);
      asio::co_spawn(executor, run_task(i), [slot](std::exception_ptr error) {
        slot->done = true;
        slot->error = error;
        slot->signal.cancel();
      });
    }
    co_await join_all();
  }

  asio::awaitable<void> run_task(std::size_t index) {
    const auto& task = crew_.tasks[index];
    auto& rec = records_[index];
    std::string trace = run_.new_trace_id();
    auto started = SteadyClock::now();
    try {
      // CrewAI's rule: a task that lists its context waits for those tasks; a synchronous task
      // without a list waits for every async task before it; an async task without a list
      // starts at once with whatever has finished so far.
      if (task.context) {
        for (const auto& name : *task.context) co_await join(name);
      } else if (!task.async_execution) {
        co_await join_all_before(task.name);
      }
      if (task.condition && !co_await condition_holds(task, trace)) {
        rec.status = "skipped";
        co_return;
      }
      run_.throw_if_cancelled();
      AgentAssignment a = task_assignment(task, trace);
      rec.agent = a.agent_name;
      run_.emit(EventType::task_started, trace, root_trace_,
                {{"task_name", task.name}, {"agent_name", a.agent_name}, {"trace_id", trace}});
      if (task.human_input)
        run_.emit(EventType::log, trace, root_trace_,
                  {{"level", "warning"},
                   {"message", "human_input is not supported yet: the task's answer is used without review"},
                   {"timestamp", core::format_iso8601(run_.clock().now_ms())},
                   {"trace_id", trace}});
      const HookSubject subject{task.name, a.agent_name, "", a.model};
      if (hooks_ && hooks_->wants(HookPhase::before, HookTarget::task, subject)) {
        HookEvent event{EventType::task_started, trace, root_trace_,
                        {{"task_name", task.name},
                         {"agent_name", a.agent_name},
                         {"trace_id", trace},
                         {"input",
                          {{"description", a.brief.description}, {"expected_output", a.brief.expected_output}}}}};
        auto hook_call = hooks_->before(HookTarget::task, subject, std::move(event));
        if (auto replaced = co_await std::move(hook_call)) {
          a.brief.description = std::string(replaced->at("description").as_string());
          a.brief.expected_output = std::string(replaced->at("expected_output").as_string());
        }
      }
      a.hooks = hooks_.get();
      auto outcome = co_await run_agent(run_, a);
      account(outcome);
      rec.status = "completed";
      rec.output = outcome.output;
      rec.json = outcome.json;
      rec.usage = outcome.usage;
      rec.cost = outcome.cost;
      rec.llm_calls = outcome.llm_calls;
      rec.tool_calls = outcome.tool_calls;
      rec.duration = seconds_since(started);
      json::object completed{{"task_name", task.name},
                             {"agent_name", rec.agent},
                             {"output", rec.output},
                             {"duration", rec.duration},
                             {"cost", rec.cost ? json::value(*rec.cost) : json::value(nullptr)}};
      if (hooks_ && hooks_->wants(HookPhase::after, HookTarget::task, subject)) {
        run_.emit(EventType::task_completed, trace, root_trace_, completed);
        auto hook_call = hooks_->after(HookTarget::task, subject,
                                       {EventType::task_completed, trace, root_trace_, std::move(completed)});
        co_await std::move(hook_call);
      } else {
        run_.emit(EventType::task_completed, trace, root_trace_, std::move(completed));
      }
    } catch (const Cancelled&) {
      rec.status = "cancelled";
      rec.duration = seconds_since(started);
      throw;
    } catch (const EngineError& e) {
      rec.status = "failed";
      rec.duration = seconds_since(started);
      report_error(e.type(), "task \"" + task.name + "\": " + e.what(), trace,
                   {{"task_name", task.name}, {"agent_name", rec.agent}});
      throw;
    }
  }

  asio::awaitable<bool> condition_holds(const crews::TaskSpec& task, const std::string& trace) {
    auto parsed = crews::parse_condition(*task.condition);
    if (!parsed.ok())
      throw EngineError("condition", "the condition of task \"" + task.name + "\" is invalid: " + parsed.error.message);
    for (const auto& name : crews::referenced_tasks(*parsed.condition)) co_await join(name);
    crews::ConditionContext context;
    context.inputs = inputs_;
    for (const auto& rec : records_)
      if (rec.status == "completed") context.tasks[rec.name] = {rec.output, rec.json};
    auto verdict = crews::evaluate(*parsed.condition, context);
    if (!verdict.ok())
      throw EngineError("condition", "the condition of task \"" + task.name + "\" could not be evaluated: " +
                                         verdict.error->message);
    if (verdict.value) co_return true;
    run_.emit(EventType::task_skipped, trace, root_trace_,
              {{"task_name", task.name}, {"reason", "condition is false: " + *task.condition}});
    co_return false;
  }

  AgentAssignment task_assignment(const crews::TaskSpec& task, const std::string& trace) {
    AgentAssignment a;
    if (crew_.process == crews::Process::hierarchical) {
      a = manager_assignment();
    } else {
      const crews::AgentSpec* agent = nullptr;
      if (task.agent) agent = crews::find_agent(crew_, *task.agent);
      else if (crew_.agents.size() == 1) agent = &crew_.agents.front();
      if (!agent)
        throw EngineError("no_agent", task.agent ? "task \"" + task.name + "\" names agent \"" + *task.agent +
                                                       "\", which the crew does not define"
                                                 : "task \"" + task.name + "\" has no agent, and the crew has " +
                                                       std::to_string(crew_.agents.size()) + " agents to choose from");
      a = assignment_for(*agent, task.name);
      a.max_retry_limit = task.max_retry_limit.value_or(agent->max_retry_limit);
    }
    a.task_name = task.name;
    a.brief.description = fill(task.description, "tasks." + task.name + ".description");
    a.brief.expected_output = fill(task.expected_output, "tasks." + task.name + ".expected_output");
    a.brief.context = context_for(task);
    a.brief.output_schema = task.output_json;
    a.parent_trace_id = trace;
    return a;
  }

  // Persona, model, tools and limits of an agent (the brief is the caller's).
  AgentAssignment assignment_for(const crews::AgentSpec& agent, const std::string& task_name) {
    AgentAssignment a;
    a.agent_name = agent.name;
    a.task_name = task_name;
    a.persona = {fill(agent.role, "agents." + agent.name + ".role"), fill(agent.goal, "agents." + agent.name + ".goal"),
                 fill(agent.backstory, "agents." + agent.name + ".backstory")};
    a.model = agent.llm.value_or(crew_.llm.value_or(run_.settings().default_model));
    for (const auto& name : agent.tools) {
      auto tool = run_.tools().tool(name);
      if (!tool) throw EngineError("unknown_tool", "agent \"" + agent.name + "\" uses tool \"" + name +
                                                       "\", which this server does not provide");
      a.tools.push_back(std::move(tool));
    }
    if (auto it = coworkers_of_.find(agent.name); it != coworkers_of_.end()) {
      for (auto& t : delegation_tools(*this, it->second)) a.tools.push_back(std::move(t));
    }
    a.max_iter = agent.max_iter;
    a.max_retry_limit = agent.max_retry_limit;
    a.deadline = crew_deadline_;
    if (agent.max_execution_time) {
      auto own = SteadyClock::now() + std::chrono::seconds(*agent.max_execution_time);
      a.deadline = a.deadline ? std::min(*a.deadline, own) : own;
    }
    if (agent.max_rpm) {
      auto& gate = agent_gates_[agent.name];
      if (!gate) gate = std::make_unique<RateGate>(*agent.max_rpm);
      a.rate_gates.push_back(gate.get());
    }
    if (crew_gate_) a.rate_gates.push_back(crew_gate_.get());
    return a;
  }

  void set_up_manager() {
    std::string manager_name;
    if (crew_.manager_agent) {
      if (auto* name = std::get_if<std::string>(&*crew_.manager_agent)) {
        manager_name = *name;
        if (auto* spec = crews::find_agent(crew_, *name)) manager_ = *spec;
        else throw EngineError("no_agent", "manager_agent \"" + *name + "\" is not one of the crew's agents");
      } else {
        manager_ = std::get<crews::AgentSpec>(*crew_.manager_agent);
      }
    }
    for (const auto& agent : crew_.agents)
      if (agent.name != manager_name) workers_.push_back(&agent);
    if (workers_.empty()) throw EngineError("no_agent", "a hierarchical crew needs at least one agent besides the manager");
  }

  AgentAssignment manager_assignment() {
    AgentAssignment a;
    if (manager_) {
      crews::AgentSpec spec = *manager_;
      spec.tools.clear();  // a manager works through its coworkers
      a = assignment_for(spec, "");
      if (crew_.manager_llm && !manager_->llm) a.model = *crew_.manager_llm;
    } else {
      a.agent_name = std::string(crews::k_default_manager_name);
      a.persona = k_default_manager;
      a.model = crew_.manager_llm.value_or(crew_.llm.value_or(run_.settings().default_model));
      a.deadline = crew_deadline_;
      if (crew_gate_) a.rate_gates.push_back(crew_gate_.get());
    }
    for (auto& t : delegation_tools(*this, workers_)) a.tools.push_back(std::move(t));
    return a;
  }

  // Explicit context: those tasks' outputs; none given: every earlier output (CrewAI's rule).
  std::string context_for(const crews::TaskSpec& task) const {
    std::string out;
    auto add = [&](const TaskRecord& rec) {
      if (rec.status != "completed" || rec.output.empty()) return;
      if (!out.empty()) out += k_context_separator;
      out += rec.output;
    };
    if (task.context) {
      for (const auto& name : *task.context)
        for (const auto& rec : records_)
          if (rec.name == name) add(rec);
    } else {
      for (const auto& rec : records_) {
        if (rec.name == task.name) break;
        add(rec);
      }
    }
    return out;
  }

  std::string fill(const std::string& text, const std::string& where) const {
    auto r = interpolate(text, inputs_);
    if (!r.ok()) throw EngineError("missing_input", where + " uses {" + r.missing.front() + "}, which has no value");
    return std::move(r.text);
  }

  asio::awaitable<void> wait_for(AsyncSlot& slot) {
    while (!slot.done) {
      boost::system::error_code ec;
      co_await slot.signal.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
  }

  // Index loops and shared_ptr copies: pending_ may grow while we wait.
  asio::awaitable<void> join(const std::string& task_name) {
    for (std::size_t i = 0; i < pending_.size(); ++i) {
      if (pending_[i].first != task_name) continue;
      auto slot = pending_[i].second;
      co_await wait_for(*slot);
      if (slot->error) std::rethrow_exception(slot->error);
    }
  }

  asio::awaitable<void> join_all_before(const std::string& task_name) {
    for (std::size_t i = 0; i < pending_.size(); ++i) {
      if (pending_[i].first == task_name) break;
      std::string name = pending_[i].first;
      co_await join(name);
    }
  }

  asio::awaitable<void> join_all() {
    for (std::size_t i = 0; i < pending_.size(); ++i) {
      std::string name = pending_[i].first;
      co_await join(name);
    }
  }

  // Async tasks must finish before the session goes away: after a failure they are cancelled.
  asio::awaitable<void> settle_async_tasks(bool failed) {
    bool running = false;
    for (auto& [name, slot] : pending_) running |= !slot->done;
    if (running && failed) run_.cancel()->cancel();
    for (std::size_t i = 0; i < pending_.size(); ++i) {
      auto slot = pending_[i].second;
      co_await wait_for(*slot);
    }
  }

  void account(const AgentOutcome& outcome) {
    add_usage(usage_, outcome.usage);
    if (outcome.cost) cost_ += *outcome.cost;
    else cost_known_ = false;
  }

  // stack_trace stays null: the engine is native code with no interpreter stack to show, so
  // `context` says where the error happened instead (the crew, and the task and its agent).
  void report_error(const std::string& type, const std::string& message, const std::string& trace,
                    json::object context = {}) {
    error_reported_ = true;
    context["execution_id"] = run_.execution_id();
    context["crew_name"] = crew_.name;
    run_.emit(EventType::error, trace, trace == root_trace_ ? "" : root_trace_,
              {{"error_type", type},
               {"message", message},
               {"trace_id", trace},
               {"stack_trace", nullptr},
               {"context", std::move(context)}});
  }

  RunContext& run_;
  const CrewRunRequest& request_;
  crews::CrewSpec crew_;  // with implicit inputs declared
  json::object inputs_;
  std::vector<TaskRecord> records_;
  std::vector<std::pair<std::string, std::shared_ptr<AsyncSlot>>> pending_;
  std::map<std::string, std::unique_ptr<RateGate>> agent_gates_;
  std::unique_ptr<RateGate> crew_gate_;
  std::optional<SteadyClock::time_point> crew_deadline_;
  std::optional<crews::AgentSpec> manager_;
  std::vector<const crews::AgentSpec*> workers_;
  std::map<std::string, std::vector<const crews::AgentSpec*>> coworkers_of_;
  std::string root_trace_;
  TokenUsage usage_;
  double cost_ = 0;
  bool cost_known_ = true;
  bool error_reported_ = false;
  std::unique_ptr<HookDispatcher> hooks_;  // null when the crew has none
  std::string hook_errors_;               // the run fails at its start when set
  json::object started_data_;             // execution_started's data, for before_execution hooks
};

}  // namespace

ResolvedInputs resolve_inputs(const crews::CrewSpec& crew, const json::object& given) {
  crews::CrewSpec declared;
  declared.inputs = crew.inputs;
  declared.agents = crew.agents;
  declared.manager_agent = crew.manager_agent;
  declared.tasks = crew.tasks;
  crews::add_implicit_inputs(declared);
  ResolvedInputs out;
  out.values = given;
  for (const auto& in : declared.inputs) {
    if (auto* v = given.if_contains(in.name)) {
      if (!matches_type(*v, in.type))
        out.problems.push_back({in.name, "must be of type " + in.type + ", got " + json::serialize(*v)});
    } else if (in.default_value) {
      out.values[in.name] = *in.default_value;
    } else if (in.required) {
      out.problems.push_back({in.name, "is required"});
    } else {
      out.values[in.name] = nullptr;
    }
  }
  return out;
}

asio::awaitable<CrewRunResult> run_crew(RunContext& run, const CrewRunRequest& request) {
  CrewSession session(run, request);
  co_return co_await session.run();
}

}  // namespace aop::engine
