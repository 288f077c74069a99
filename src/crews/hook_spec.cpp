#include "crews/hook_spec.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>

#include "core/ascii.hpp"
#include "crews/json_kind.hpp"
#include "crews/key_suggestion.hpp"
#include "crews/source_document.hpp"

namespace aop::crews {

namespace {

namespace json = boost::json;
using namespace std::string_view_literals;

constexpr std::array k_hook_key_list = {"on"sv, "name"sv, "match"sv, "log"sv, "webhook"sv, "command"sv};
constexpr std::array k_action_keys = {"log"sv, "webhook"sv, "command"sv};
constexpr std::array k_match_keys = {"task"sv, "agent"sv, "tool"sv, "model"sv};
constexpr std::array k_webhook_keys = {"url"sv, "timeout_ms"sv, "headers"sv};
constexpr std::array k_command_keys = {"argv"sv, "timeout_ms"sv};
// Framing headers belong to the client; Content-Type is always application/json.
constexpr std::array k_reserved_headers = {"host"sv,    "content-length"sv, "transfer-encoding"sv, "connection"sv,
                                           "upgrade"sv, "te"sv,             "trailer"sv,           "keep-alive"sv,
                                           "accept-encoding"sv, "content-type"sv};

constexpr std::array k_target_names = {"execution"sv, "task"sv, "agent"sv, "llm_call"sv, "tool_call"sv};

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

bool is_token_char(unsigned char c) {
  return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

// Why `url` cannot be a webhook address, or empty. The network policy is the server's, at run time.
std::string url_problem(std::string_view url) {
  std::string_view rest;
  if (url.starts_with("http://")) rest = url.substr(7);
  else if (url.starts_with("https://")) rest = url.substr(8);
  else return "expected an http:// or https:// URL";
  for (unsigned char c : url)
    if (c <= ' ' || c == 0x7f) return "the URL contains spaces or control characters";
  auto authority = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string_view host = authority;
  if (host.starts_with('[')) {
    auto close = host.find(']');
    if (close == std::string_view::npos) return "the URL's IPv6 host is missing its ']'";
    host = host.substr(1, close - 1);
  } else if (auto colon = host.find(':'); colon != std::string_view::npos) {
    auto port = host.substr(colon + 1);
    host = host.substr(0, colon);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos ||
        std::stoi(std::string(port)) > 65535 || std::stoi(std::string(port)) == 0)
      return "the URL's port is not a number from 1 to 65535";
  }
  if (host.empty()) return "the URL has no host";
  return {};
}

class HookReader {
 public:
  HookReader(HookReadResult& out, const SourceMap& locations) : out_(out), locations_(locations) {}

  void read(const json::value& hooks) {
    if (hooks.is_null()) return;
    if (!hooks.is_array()) {
      return error("hooks", "expected a list of hooks (`- on: before_task` ...), got " + json_kind_name(hooks));
    }
    std::size_t i = 0;
    for (const auto& entry : hooks.get_array()) {
      std::string path = "hooks";
      append_index(path, i);
      if (auto hook = read_hook(entry, path)) out_.hooks.push_back(std::move(*hook));
      ++i;
    }
  }

 private:
  void error(std::string path, std::string message) {
    auto where = locations_.find(path);
    add_diagnostic(out_.errors, {std::move(path), std::move(message), where});
    ++problems_;
  }
  static std::string join(const std::string& base, std::string_view key) {
    std::string p = base;
    append_key(p, key);
    return p;
  }

  void unknown_key(const std::string& path, std::string_view key, std::span<const std::string_view> known) {
    std::string message = "unknown key \"" + std::string(key) + "\"";
    if (auto near = suggest_key(key, known)) message += "; did you mean \"" + std::string(*near) + "\"?";
    else {
      message += "; expected ";
      for (std::size_t i = 0; i < known.size(); ++i) message += (i ? ", " : "") + std::string(known[i]);
    }
    error(join(path, key), std::move(message));
  }

  std::optional<std::string> text(const json::value& v, const std::string& path) {
    if (!v.is_string()) return error(path, "expected text, got " + json_kind_name(v)), std::nullopt;
    return std::string(v.get_string());
  }

  // A whole number of milliseconds from 1 to k_max_hook_timeout_ms.
  void timeout(const json::value& v, const std::string& path, int& out) {
    if (v.is_null()) return;
    double d = 0;
    if (v.is_int64()) d = static_cast<double>(v.get_int64());
    else if (v.is_uint64()) d = static_cast<double>(v.get_uint64());
    else if (v.is_double()) d = v.get_double();
    else return error(path, "expected a whole number of milliseconds, got " + json_kind_name(v));
    if (d != std::floor(d)) return error(path, "expected a whole number of milliseconds");
    if (d < 1 || d > k_max_hook_timeout_ms)
      return error(path, "must be between 1 and " + std::to_string(k_max_hook_timeout_ms) + " (milliseconds)");
    out = static_cast<int>(d);
  }

  std::optional<HookSpec> read_hook(const json::value& entry, const std::string& path) {
    if (!entry.is_object()) {
      error(path, "expected a hook (a mapping with `on` and an action), got " + json_kind_name(entry));
      return std::nullopt;
    }
    const auto& o = entry.get_object();
    std::size_t problems_before = problems_;
    HookSpec hook;
    hook.name = path;
    for (const auto& [key, value] : o)
      if (std::find(k_hook_key_list.begin(), k_hook_key_list.end(), std::string_view(key)) == k_hook_key_list.end())
        unknown_key(path, key, k_hook_key_list);

    if (auto* name = o.if_contains("name"); name && !name->is_null()) {
      if (auto t = text(*name, join(path, "name"))) {
        if (blank(*t)) error(join(path, "name"), "must not be blank");
        else hook.name = *t;
      }
    }
    bool point_ok = false;
    auto* on = o.if_contains("on");
    if (!on || on->is_null()) {
      error(join(path, "on"), "required: when the hook runs, e.g. before_task or after_tool_call");
    } else if (auto t = text(*on, join(path, "on"))) {
      if (auto point = parse_hook_point(*t)) {
        hook.phase = point->first;
        hook.target = point->second;
        point_ok = true;
      } else {
        error(join(path, "on"), "unknown hook point \"" + *t +
                                    "\"; expected before_ or after_ followed by execution, task, agent, llm_call or "
                                    "tool_call");
      }
    }
    if (auto* match = o.if_contains("match"); match && !match->is_null())
      read_match(*match, join(path, "match"), hook, point_ok);

    std::string first_action;
    for (auto action : k_action_keys) {
      auto* v = o.if_contains(action);
      if (!v || v->is_null()) continue;
      const std::string action_path = join(path, action);
      if (!first_action.empty()) {
        error(action_path, "a hook has exactly one action, and this one already has `" + first_action +
                               "`; write a second hook for a second action");
        continue;
      }
      first_action = std::string(action);
      if (action == "log") read_log(*v, action_path, hook);
      else if (action == "webhook") read_webhook(*v, action_path, hook);
      else read_command(*v, action_path, hook);
    }
    if (first_action.empty()) error(path, "a hook needs one action: log, webhook or command");
    if (problems_ != problems_before) return std::nullopt;
    return hook;
  }

  void read_match(const json::value& v, const std::string& path, HookSpec& hook, bool point_ok) {
    if (!v.is_object()) return error(path, "expected a mapping such as {tool: calculator}, got " + json_kind_name(v));
    for (const auto& [key, value] : v.get_object()) {
      const std::string kp = join(path, key);
      if (std::find(k_match_keys.begin(), k_match_keys.end(), std::string_view(key)) == k_match_keys.end()) {
        unknown_key(path, key, k_match_keys);
        continue;
      }
      if (value.is_null()) continue;
      auto t = text(value, kp);
      if (!t) continue;
      if (point_ok) {
        const auto target = hook.target;
        if (target == HookTarget::execution) {
          error(kp, "execution hooks run once per run and cannot be filtered");
          continue;
        }
        if (key == "tool" && target != HookTarget::tool_call) {
          error(kp, "only tool_call hooks can match a tool");
          continue;
        }
        if (key == "model" && target != HookTarget::llm_call && target != HookTarget::agent) {
          error(kp, "only agent and llm_call hooks can match a model");
          continue;
        }
      }
      if (key == "task") hook.match.task = *t;
      else if (key == "agent") hook.match.agent = *t;
      else if (key == "tool") hook.match.tool = *t;
      else hook.match.model = *t;
    }
  }

  void read_log(const json::value& v, const std::string& path, HookSpec& hook) {
    auto t = text(v, path);
    if (!t) return;
    if (blank(*t)) return error(path, "the log message must not be blank");
    hook.action = LogAction{*t};
  }

  void read_webhook(const json::value& v, const std::string& path, HookSpec& hook) {
    if (!v.is_object())
      return error(path, "expected a mapping with `url` (and optionally timeout_ms, headers), got " + json_kind_name(v));
    WebhookAction w;
    for (const auto& [key, value] : v.get_object()) {
      const std::string kp = join(path, key);
      if (key == "url") {
        if (value.is_null()) continue;
        if (auto t = text(value, kp)) {
          if (auto problem = url_problem(*t); !problem.empty()) error(kp, problem);
          else w.url = *t;
        }
      } else if (key == "timeout_ms") {
        timeout(value, kp, w.timeout_ms);
      } else if (key == "headers") {
        read_headers(value, kp, w);
      } else {
        unknown_key(path, key, k_webhook_keys);
      }
    }
    auto* url = v.get_object().if_contains("url");
    if (!url || url->is_null()) error(join(path, "url"), "required");
    hook.action = std::move(w);
  }

  void read_headers(const json::value& v, const std::string& path, WebhookAction& w) {
    if (v.is_null()) return;
    if (!v.is_object()) return error(path, "expected a mapping of header name to value, got " + json_kind_name(v));
    for (const auto& [name, value] : v.get_object()) {
      const std::string kp = join(path, name);
      bool token = !name.empty();
      for (unsigned char c : std::string_view(name)) token = token && is_token_char(c);
      if (!token) {
        error(kp, "invalid header name \"" + std::string(name) + "\"");
        continue;
      }
      auto l = core::ascii_lower(name);
      if (std::find(k_reserved_headers.begin(), k_reserved_headers.end(), std::string_view(l)) !=
          k_reserved_headers.end() || l.starts_with("proxy-")) {
        error(kp, "header \"" + std::string(name) + "\" is set by AOP itself");
        continue;
      }
      auto t = text(value, kp);
      if (!t) continue;
      if (t->find_first_of("\r\n") != std::string::npos || t->find('\0') != std::string::npos) {
        error(kp, "a header value must be one line");
        continue;
      }
      w.headers.emplace_back(std::string(name), *t);
    }
  }

  void read_command(const json::value& v, const std::string& path, HookSpec& hook) {
    if (!v.is_object())
      return error(path, "expected a mapping with `argv` (and optionally timeout_ms), got " + json_kind_name(v));
    CommandAction c;
    for (const auto& [key, value] : v.get_object()) {
      const std::string kp = join(path, key);
      if (key == "argv") {
        if (value.is_null()) continue;
        if (!value.is_array()) {
          error(kp, "expected a list: the program and its arguments (no shell), got " + json_kind_name(value));
          continue;
        }
        std::size_t i = 0;
        for (const auto& arg : value.get_array()) {
          std::string ap = kp;
          append_index(ap, i++);
          if (!arg.is_string()) error(ap, "expected text, got " + json_kind_name(arg));
          else if (i == 1 && blank(arg.get_string())) error(ap, "the program must not be blank");
          else if (std::string_view(arg.get_string()).find('\0') != std::string_view::npos)
            error(ap, "contains a NUL character");
          else c.argv.emplace_back(arg.get_string());
        }
        if (value.get_array().empty()) error(kp, "must name the program to run");
      } else if (key == "timeout_ms") {
        timeout(value, kp, c.timeout_ms);
      } else {
        unknown_key(path, key, k_command_keys);
      }
    }
    auto* argv = v.get_object().if_contains("argv");
    if (!argv || argv->is_null())
      error(join(path, "argv"), "required: the program and its arguments, e.g. [/usr/bin/jq, .]");
    hook.action = std::move(c);
  }

  HookReadResult& out_;
  const SourceMap& locations_;
  std::size_t problems_ = 0;
};

}  // namespace

std::optional<std::pair<HookPhase, HookTarget>> parse_hook_point(std::string_view text) {
  HookPhase phase;
  if (text.starts_with("before_")) {
    phase = HookPhase::before;
    text.remove_prefix(7);
  } else if (text.starts_with("after_")) {
    phase = HookPhase::after;
    text.remove_prefix(6);
  } else {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < k_target_names.size(); ++i)
    if (text == k_target_names[i]) return std::pair{phase, static_cast<HookTarget>(i)};
  return std::nullopt;
}

std::string hook_point_name(HookPhase phase, HookTarget target) {
  return std::string(phase == HookPhase::before ? "before_" : "after_") +
         std::string(k_target_names[static_cast<std::size_t>(target)]);
}

HookReadResult read_hooks(const json::value& hooks, const SourceMap& locations) {
  HookReadResult out;
  HookReader(out, locations).read(hooks);
  return out;
}

std::span<const std::string_view> hook_keys() { return k_hook_key_list; }

}  // namespace aop::crews
