#pragma once
// Paths inside an execution's workspace. File tools accept only relative paths that stay
// inside it: absolute paths, ".." escapes and symlinks that lead outside are refused.
#include <filesystem>
#include <string>
#include <string_view>

namespace aop::engine::tools {

struct WorkspacePath {
  std::filesystem::path path;  // absolute, inside the workspace (valid when error is empty)
  std::string error;           // why the path is refused, in words a model can act on
};

// Resolves `relative` against `workspace_dir`. Symlinks in the part that exists are followed
// and the result must still lie inside the (canonical) workspace; the file itself may not
// exist yet. The tools then open it with O_NOFOLLOW, so a symlink swapped in afterwards is
// not followed either.
WorkspacePath resolve_in_workspace(const std::string& workspace_dir, std::string_view relative);

// `path` relative to the workspace, for messages ("notes/a.txt").
std::string display_path(const std::string& workspace_dir, const std::filesystem::path& path);

}  // namespace aop::engine::tools
