#include "engine/tools/workspace.hpp"

#include <algorithm>

namespace aop::engine::tools {

namespace fs = std::filesystem;

namespace {

bool inside(const fs::path& root, const fs::path& path) {
  auto [r, p] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return r == root.end();
}

WorkspacePath refused(std::string why) { return {{}, std::move(why)}; }

}  // namespace

WorkspacePath resolve_in_workspace(const std::string& workspace_dir, std::string_view relative) {
  if (workspace_dir.empty()) return refused("this run has no workspace, so files cannot be used");
  if (relative.empty()) return refused("give a file path relative to the workspace, e.g. \"notes/summary.md\"");
  if (relative.find('\0') != std::string_view::npos) return refused("the path contains a NUL character");
  fs::path given{std::string(relative)};
  if (given.has_root_path())
    return refused("absolute paths are not allowed: give a path relative to the workspace, e.g. \"notes/summary.md\"");
  fs::path normal = given.lexically_normal();
  if (!normal.empty() && *normal.begin() == "..")
    return refused("\"" + std::string(relative) + "\" leads outside the workspace; paths must stay inside it");

  std::error_code ec;
  fs::path root = fs::canonical(workspace_dir, ec);
  if (ec) return refused("the workspace is not available (" + ec.message() + ")");
  fs::path resolved = fs::weakly_canonical(root / normal, ec);
  if (ec) return refused("cannot resolve \"" + std::string(relative) + "\" (" + ec.message() + ")");
  if (!inside(root, resolved))
    return refused("\"" + std::string(relative) +
                   "\" leads outside the workspace through a symbolic link; paths must stay inside it");
  return {resolved, ""};
}

std::string display_path(const std::string& workspace_dir, const fs::path& path) {
  std::error_code ec;
  fs::path root = fs::canonical(workspace_dir, ec);
  if (ec) return path.filename().string();
  auto relative = path.lexically_relative(root);
  return relative.empty() || relative == "." ? std::string(".") : relative.string();
}

}  // namespace aop::engine::tools
