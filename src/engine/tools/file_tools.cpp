#include "engine/tools/file_tools.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>

#include <boost/json.hpp>

#include "engine/tools/tool_text.hpp"
#include "engine/tools/workspace.hpp"

namespace aop::engine::tools {

namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

ToolResult failure(std::string message) { return {std::move(message), true}; }

std::string in_quotes(const std::string& text) { return "\"" + text + "\""; }

// Why open() failed, for a path the model gave.
std::string open_error(int error, const std::string& shown) {
  switch (error) {
    case ENOENT:
      return "there is no file " + in_quotes(shown) + " in the workspace";
    case ELOOP:
      return in_quotes(shown) + " is a symbolic link; file tools do not follow links";
    case EISDIR:
      return in_quotes(shown) + " is a directory";
    case EACCES:
    case EPERM:
      return "no permission to open " + in_quotes(shown);
    default:
      return "cannot open " + in_quotes(shown) + " (" + std::strerror(error) + ")";
  }
}

std::string directory_listing(const fs::path& dir, const std::string& shown) {
  constexpr std::size_t k_shown_entries = 50;
  std::set<std::string> names;
  std::size_t total = 0;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    ++total;
    if (names.size() < k_shown_entries)
      names.insert(it->path().filename().string() + (it->is_directory(ec) ? "/" : ""));
  }
  std::string text = in_quotes(shown) + " is a directory";
  if (names.empty()) return text + " and it is empty";
  text += "; it contains:";
  for (const auto& n : names) text += "\n- " + n;
  if (total > names.size()) text += "\n(and " + std::to_string(total - names.size()) + " more)";
  return text;
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

FileReadTool::FileReadTool() {
  parameters_ = {{"type", "object"},
                 {"properties",
                  {{"path",
                    {{"type", "string"},
                     {"description", "Path of the file, relative to the workspace, e.g. \"notes/summary.md\""}}}}},
                 {"required", {"path"}}};
}

std::string_view FileReadTool::description() const {
  return "Reads a text file from this run's workspace (paths are relative to it; files written with file_write are "
         "there). Shows at most the first 1 MiB. A directory path lists its entries.";
}

boost::asio::awaitable<ToolResult> FileReadTool::invoke(const json::object& arguments, const ToolContext& context) {
  const auto* path_arg = string_argument(arguments, "path");
  if (!path_arg) co_return failure("file_read needs {\"path\": \"...\"}, a path relative to the workspace");
  std::string shown(*path_arg);
  auto where = resolve_in_workspace(context.workspace_dir, shown);
  if (!where.error.empty()) co_return failure(where.error);

  // O_NONBLOCK: a FIFO in the workspace must not hang the run.
  FileDescriptor fd(::open(where.path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
  if (fd.get() < 0) co_return failure(open_error(errno, shown));
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) co_return failure(open_error(errno, shown));
  if (S_ISDIR(info.st_mode)) co_return ToolResult{directory_listing(where.path, shown), false};
  if (!S_ISREG(info.st_mode)) co_return failure(in_quotes(shown) + " is not a regular file");

  std::string content(std::min<std::size_t>(static_cast<std::size_t>(info.st_size), k_file_read_limit), '\0');
  std::size_t got = 0;
  while (got < content.size()) {
    ssize_t n = ::read(fd.get(), content.data() + got, content.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) co_return failure("cannot read " + in_quotes(shown) + " (" + std::strerror(errno) + ")");
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  content.resize(got);
  auto size = static_cast<std::size_t>(info.st_size);
  if (looks_binary(content))
    co_return failure(in_quotes(shown) + " is a binary file (" + byte_size_text(size) + "); file_read shows text only");
  if (size == 0) co_return ToolResult{in_quotes(shown) + " is empty", false};
  std::string text = valid_utf8(utf8_prefix(content, k_file_read_limit));
  if (size > content.size())
    text += "\n[cut: " + in_quotes(shown) + " has " + byte_size_text(size) + "; only the first " +
            byte_size_text(k_file_read_limit) + " are shown]";
  co_return ToolResult{std::move(text), false};
}

FileWriteTool::FileWriteTool() {
  parameters_ = {{"type", "object"},
                 {"properties",
                  {{"path",
                    {{"type", "string"},
                     {"description", "Path of the file, relative to the workspace; missing directories are created"}}},
                   {"content", {{"type", "string"}, {"description", "The text to write"}}},
                   {"append",
                    {{"type", "boolean"},
                     {"description", "Add to the end of the file instead of replacing it (default false)"}}}}},
                 {"required", {"path", "content"}}};
}

std::string_view FileWriteTool::description() const {
  return "Writes a text file in this run's workspace (paths are relative to it), creating missing directories. "
         "Replaces the file unless append is true. Files may hold at most 10 MiB.";
}

boost::asio::awaitable<ToolResult> FileWriteTool::invoke(const json::object& arguments, const ToolContext& context) {
  const auto* path_arg = string_argument(arguments, "path");
  const auto* content = string_argument(arguments, "content");
  if (!path_arg || !content)
    co_return failure("file_write needs {\"path\": \"...\", \"content\": \"...\"} (and optionally \"append\": true)");
  const auto* append_arg = arguments.if_contains("append");
  if (append_arg && !append_arg->is_bool() && !append_arg->is_null())
    co_return failure("\"append\" must be true or false");
  bool append = append_arg && append_arg->is_bool() && append_arg->get_bool();
  std::string shown(*path_arg);
  if (content->size() > k_file_write_limit)
    co_return failure("the content is " + byte_size_text(content->size()) + "; file_write takes at most " +
                      byte_size_text(k_file_write_limit));

  auto where = resolve_in_workspace(context.workspace_dir, shown);
  if (!where.error.empty()) co_return failure(where.error);
  if (display_path(context.workspace_dir, where.path) == ".")
    co_return failure("give a file name, not the workspace itself");
  std::error_code ec;
  fs::create_directories(where.path.parent_path(), ec);
  if (ec) co_return failure("cannot create the directories for " + in_quotes(shown) + " (" + ec.message() + ")");

  FileDescriptor fd(::open(where.path.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0644));
  if (fd.get() < 0) co_return failure(open_error(errno, shown));
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode))
    co_return failure(in_quotes(shown) + " is not a regular file");
  auto before = static_cast<std::size_t>(info.st_size);
  if (append && before + content->size() > k_file_write_limit)
    co_return failure("appending " + byte_size_text(content->size()) + " would make " + in_quotes(shown) + " " +
                      byte_size_text(before + content->size()) + "; files may hold at most " +
                      byte_size_text(k_file_write_limit));
  bool ok = append ? ::lseek(fd.get(), 0, SEEK_END) >= 0 : ::ftruncate(fd.get(), 0) == 0;
  if (!ok || !write_all(fd.get(), *content))
    co_return failure("cannot write " + in_quotes(shown) + " (" + std::strerror(errno) + ")");
  if (append)
    co_return ToolResult{"appended " + byte_size_text(content->size()) + " to " + in_quotes(shown) + " (now " +
                             byte_size_text(before + content->size()) + ")",
                         false};
  co_return ToolResult{"wrote " + byte_size_text(content->size()) + " to " + in_quotes(shown), false};
}

}  // namespace aop::engine::tools
