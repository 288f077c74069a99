#include "engine/delegation_tools.hpp"

#include <cctype>

#include <boost/json.hpp>

#include "core/json_fields.hpp"

namespace aop::engine {

namespace json = boost::json;

namespace {

class DelegationTool final : public tools::Tool {
 public:
  DelegationTool(bool question, CoworkerRunner& runner, std::vector<const crews::AgentSpec*> coworkers)
      : question_(question), runner_(runner), coworkers_(std::move(coworkers)) {
    json::array roles;
    std::string list;
    for (const auto* c : coworkers_) {
      roles.emplace_back(c->role);
      list += (list.empty() ? "" : ", ") + c->role;
    }
    std::string key = question_ ? "question" : "task";
    description_ = question_
                       ? "Ask one of your coworkers a question and get their answer. Coworkers: " + list +
                             ". Give the question, all the context they need (they know nothing else), and the "
                             "coworker's role exactly as listed."
                       : "Hand a piece of work to one of your coworkers and get their result. Coworkers: " + list +
                             ". Describe the work, give all the context they need (they know nothing else), and the "
                             "coworker's role exactly as listed.";
    parameters_ = {{"type", "object"},
                   {"properties",
                    {{key, {{"type", "string"}, {"description", question_ ? "The question to ask" : "The work to do"}}},
                     {"context", {{"type", "string"}, {"description", "Everything the coworker needs to know"}}},
                     {"coworker", {{"type", "string"}, {"enum", roles}, {"description", "The coworker's role"}}}}},
                   {"required", {key, "context", "coworker"}}};
  }

  std::string_view name() const override {
    return question_ ? "Ask question to coworker" : "Delegate work to coworker";
  }
  std::string_view description() const override { return description_; }
  const json::object& parameters() const override { return parameters_; }

  boost::asio::awaitable<tools::ToolResult> invoke(const json::object& arguments,
                                                   const tools::ToolContext& context) override {
    auto text = [&](std::string_view key) { return core::json_fields::string_at(arguments, key); };
    std::string request = text(question_ ? "question" : "task");
    std::string wanted = text("coworker");
    if (request.empty())
      co_return tools::ToolResult{std::string("Error: say what ") + (question_ ? "to ask" : "to do") + " in \"" +
                                      (question_ ? "question" : "task") + "\".",
                                  true};
    const crews::AgentSpec* found = nullptr;
    for (const auto* c : coworkers_)
      if (normalize_role(c->role) == normalize_role(wanted)) found = c;
    if (!found) {
      std::string list;
      for (const auto* c : coworkers_) list += "\n- " + c->role;
      co_return tools::ToolResult{"Error: there is no coworker \"" + wanted + "\". Your coworkers are:" + list +
                                      "\nUse one of these roles exactly.",
                                  true};
    }
    auto answer = co_await runner_.run_coworker(*found, std::move(request), text("context"), question_, context);
    co_return tools::ToolResult{std::move(answer), false};
  }

 private:
  bool question_;
  CoworkerRunner& runner_;
  std::vector<const crews::AgentSpec*> coworkers_;
  std::string description_;
  json::object parameters_;
};

}  // namespace

std::string normalize_role(std::string_view role) {
  std::string out;
  for (unsigned char c : role) {
    if (std::isspace(c) || c == '"' || c == '\'') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += static_cast<char>(std::tolower(c));
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::vector<std::shared_ptr<tools::Tool>> delegation_tools(CoworkerRunner& runner,
                                                           std::vector<const crews::AgentSpec*> coworkers) {
  return {std::make_shared<DelegationTool>(false, runner, coworkers),
          std::make_shared<DelegationTool>(true, runner, std::move(coworkers))};
}

}  // namespace aop::engine
