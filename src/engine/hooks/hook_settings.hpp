#pragma once
// What a server or `aop run` lets a crew's hooks do (RunSettings::hooks). Kept apart from
// the dispatcher so run_context.hpp stays light.
#include <memory>

#include "engine/tools/net_policy.hpp"

namespace aop::engine::tools {
class HttpFetcher;
}

namespace aop::engine {

struct HookSettings {
  // Webhook addresses follow the tools' rules (AOP_TOOLS_ALLOW_PRIVATE_NETWORKS,
  // AOP_TOOLS_ALLOWED_HOSTS): a crew author must not reach the server's own networks.
  tools::NetPolicy policy;
  // Command hooks run programs on the host running the crew: fine for `aop run` on one's own
  // machine, off by default in a server (AOP_HOOKS_ALLOW_COMMANDS).
  bool allow_commands = false;
  std::shared_ptr<tools::HttpFetcher> http;  // shared TLS context; null: each run makes its own on first use
};

}  // namespace aop::engine
