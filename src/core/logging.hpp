#pragma once
// Process logging through spdlog: readable text for terminals, JSON lines for production.
// Logging is asynchronous with a bounded queue that drops the oldest message when full,
// so a slow terminal or pipe never blocks an I/O thread.
#include <string>

namespace aop::core {

// format: "text" | "json"; level: spdlog level name. Replaces the default logger.
void init_logging(const std::string& format, const std::string& level);

// Flushes pending messages (call before exit).
void flush_logging();

// Escapes text for embedding inside a JSON string literal (no surrounding quotes).
std::string json_escape(std::string_view text);

}  // namespace aop::core
