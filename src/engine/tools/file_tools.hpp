#pragma once
// file_read and file_write: text files inside the execution's workspace (ToolContext::
// workspace_dir). Paths are relative to it; see workspace.hpp for what is refused. Reads
// show at most the first k_file_read_limit bytes; a write or append may not make a file
// larger than k_file_write_limit. The I/O is local and bounded, so it runs inline.
#include <cstddef>

#include "engine/tools/tool.hpp"

namespace aop::engine::tools {

constexpr std::size_t k_file_read_limit = 1024 * 1024;
constexpr std::size_t k_file_write_limit = 10 * 1024 * 1024;

class FileReadTool final : public Tool {
 public:
  FileReadTool();
  std::string_view name() const override { return "file_read"; }
  std::string_view description() const override;
  const boost::json::object& parameters() const override { return parameters_; }
  boost::asio::awaitable<ToolResult> invoke(const boost::json::object& arguments, const ToolContext& context) override;

 private:
  boost::json::object parameters_;
};

class FileWriteTool final : public Tool {
 public:
  FileWriteTool();
  std::string_view name() const override { return "file_write"; }
  std::string_view description() const override;
  const boost::json::object& parameters() const override { return parameters_; }
  boost::asio::awaitable<ToolResult> invoke(const boost::json::object& arguments, const ToolContext& context) override;

 private:
  boost::json::object parameters_;
};

}  // namespace aop::engine::tools
