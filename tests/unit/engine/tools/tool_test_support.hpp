#pragma once
// Shared bits of the builtin tools' tests: a tool context with a time budget, fetch limits
// that let tools reach the 127.0.0.1 test servers, a temp file.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "core/ids.hpp"
#include "engine/tools/http_fetch.hpp"

namespace aop::test {

inline engine::tools::ToolContext tool_context(std::chrono::milliseconds budget = std::chrono::seconds(5)) {
  engine::tools::ToolContext context;
  context.deadline = std::chrono::steady_clock::now() + budget;
  context.cancel = std::make_shared<engine::CancelToken>();
  return context;
}

// Tests talk to servers on 127.0.0.1, which the default policy refuses.
inline engine::tools::FetchLimits loopback_allowed() {
  engine::tools::FetchLimits limits;
  limits.policy.allow_private_networks = true;
  return limits;
}

// A file with `content` that is removed when this goes away.
class TempFile {
 public:
  explicit TempFile(const std::string& content)
      : path_(std::filesystem::temp_directory_path() / ("aop-test-" + core::new_id())) {
    std::ofstream(path_, std::ios::binary) << content;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

inline double milliseconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace aop::test
