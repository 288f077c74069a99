#include "engine/llm/llm_types.hpp"

namespace aop::engine::llm {

std::string_view kind_name(LlmError::Kind kind) {
  switch (kind) {
    case LlmError::Kind::authentication: return "authentication";
    case LlmError::Kind::model_not_found: return "model_not_found";
    case LlmError::Kind::bad_request: return "bad_request";
    case LlmError::Kind::rate_limited: return "rate_limited";
    case LlmError::Kind::server: return "server";
    case LlmError::Kind::timeout: return "timeout";
    case LlmError::Kind::network: return "network";
    case LlmError::Kind::malformed: return "malformed";
    case LlmError::Kind::cancelled: return "cancelled";
  }
  return "unknown";
}

}  // namespace aop::engine::llm
