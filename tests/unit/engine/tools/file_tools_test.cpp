#include "engine/tools/file_tools.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../engine_test_support.hpp"
#include "core/ids.hpp"
#include "engine/tools/workspace.hpp"

namespace aop::test {
namespace {

namespace fs = std::filesystem;
using engine::tools::FileReadTool;
using engine::tools::FileWriteTool;
using engine::tools::ToolContext;
using engine::tools::ToolResult;

class FileTools : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("aop-file-tools-" + core::new_id());
    workspace_ = base_ / "workspace";
    fs::create_directories(workspace_);
    context_.workspace_dir = workspace_.string();
  }
  void TearDown() override { fs::remove_all(base_); }

  ToolResult read(const boost::json::object& arguments) { return run_to_completion(read_.invoke(arguments, context_)); }
  ToolResult write(const boost::json::object& arguments) {
    return run_to_completion(write_.invoke(arguments, context_));
  }
  static std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  static void put(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
  }

  fs::path base_, workspace_;
  ToolContext context_;
  FileReadTool read_;
  FileWriteTool write_;
};

TEST_F(FileTools, WriteThenReadCreatesDirectoriesInsideTheWorkspace) {
  auto wrote = write({{"path", "notes/2025/summary.md"}, {"content", "# Summary\nall good\n"}});
  EXPECT_FALSE(wrote.is_error) << wrote.output;
  EXPECT_EQ(wrote.output, "wrote 19 bytes to \"notes/2025/summary.md\"");
  EXPECT_EQ(slurp(workspace_ / "notes/2025/summary.md"), "# Summary\nall good\n");

  auto got = read({{"path", "notes/2025/summary.md"}});
  EXPECT_FALSE(got.is_error);
  EXPECT_EQ(got.output, "# Summary\nall good\n");
  // "./" and inner ".." that stay inside are fine.
  EXPECT_EQ(read({{"path", "./notes/../notes/2025/summary.md"}}).output, "# Summary\nall good\n");
}

TEST_F(FileTools, WriteReplacesAndAppendAdds) {
  write({{"path", "log.txt"}, {"content", "one\n"}});
  auto replaced = write({{"path", "log.txt"}, {"content", "two\n"}, {"append", false}});
  EXPECT_EQ(replaced.output, "wrote 4 bytes to \"log.txt\"");
  EXPECT_EQ(slurp(workspace_ / "log.txt"), "two\n");
  auto appended = write({{"path", "log.txt"}, {"content", "three\n"}, {"append", true}});
  EXPECT_FALSE(appended.is_error);
  EXPECT_EQ(appended.output, "appended 6 bytes to \"log.txt\" (now 10 bytes)");
  EXPECT_EQ(slurp(workspace_ / "log.txt"), "two\nthree\n");
  // Appending creates a missing file.
  EXPECT_FALSE(write({{"path", "new.txt"}, {"content", "x"}, {"append", true}}).is_error);
  EXPECT_EQ(slurp(workspace_ / "new.txt"), "x");
  EXPECT_TRUE(write({{"path", "log.txt"}, {"content", "x"}, {"append", "yes"}}).is_error);
}

TEST_F(FileTools, TraversalAndAbsolutePathsAreRefused) {
  put(base_ / "secret.txt", "top secret");
  for (const char* path : {"../secret.txt", "notes/../../secret.txt", "..", "a/b/../../../secret.txt"}) {
    auto r = read({{"path", path}});
    EXPECT_TRUE(r.is_error) << path;
    EXPECT_NE(r.output.find("leads outside the workspace"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("top secret"), std::string::npos);
    EXPECT_TRUE(write({{"path", path}, {"content", "pwned"}}).is_error) << path;
  }
  EXPECT_EQ(slurp(base_ / "secret.txt"), "top secret");

  auto absolute = read({{"path", (base_ / "secret.txt").string()}});
  EXPECT_TRUE(absolute.is_error);
  EXPECT_NE(absolute.output.find("absolute paths are not allowed"), std::string::npos);
  EXPECT_TRUE(write({{"path", "/tmp/aop-should-not-exist.txt"}, {"content", "x"}}).is_error);
  EXPECT_FALSE(fs::exists("/tmp/aop-should-not-exist.txt"));
}

TEST_F(FileTools, SymlinksLeadingOutsideAreRefused) {
  put(base_ / "outside/secret.txt", "top secret");
  fs::create_symlink(base_ / "outside/secret.txt", workspace_ / "link.txt");
  fs::create_directory_symlink(base_ / "outside", workspace_ / "linkdir");
  fs::create_symlink(base_ / "outside/new.txt", workspace_ / "dangling.txt");  // target does not exist yet

  auto via_file = read({{"path", "link.txt"}});
  EXPECT_TRUE(via_file.is_error);
  EXPECT_NE(via_file.output.find("leads outside the workspace through a symbolic link"), std::string::npos);
  EXPECT_TRUE(read({{"path", "linkdir/secret.txt"}}).is_error);
  EXPECT_TRUE(write({{"path", "linkdir/secret.txt"}, {"content", "pwned"}}).is_error);
  EXPECT_TRUE(write({{"path", "link.txt"}, {"content", "pwned"}}).is_error);
  EXPECT_EQ(slurp(base_ / "outside/secret.txt"), "top secret");

  // A dangling link passes the path check (nothing to resolve) but O_NOFOLLOW stops the open.
  auto dangling = write({{"path", "dangling.txt"}, {"content", "pwned"}});
  EXPECT_TRUE(dangling.is_error);
  EXPECT_NE(dangling.output.find("symbolic link"), std::string::npos) << dangling.output;
  EXPECT_FALSE(fs::exists(base_ / "outside/new.txt"));

  // A link that stays inside the workspace is followed.
  put(workspace_ / "real.txt", "inside");
  fs::create_symlink(workspace_ / "real.txt", workspace_ / "alias.txt");
  EXPECT_EQ(read({{"path", "alias.txt"}}).output, "inside");
}

TEST_F(FileTools, ReadCutsAtOneMebibyteAndSaysSo) {
  std::string big(engine::tools::k_file_read_limit + 5000, 'a');
  put(workspace_ / "big.txt", big);
  auto r = read({{"path", "big.txt"}});
  EXPECT_FALSE(r.is_error);
  ASSERT_GT(r.output.size(), engine::tools::k_file_read_limit);
  EXPECT_EQ(r.output.substr(0, engine::tools::k_file_read_limit), big.substr(0, engine::tools::k_file_read_limit));
  EXPECT_EQ(r.output.substr(engine::tools::k_file_read_limit),
            "\n[cut: \"big.txt\" has 1.0 MiB; only the first 1 MiB are shown]");
}

TEST_F(FileTools, WriteLimitsAreEnforced) {
  std::string too_big(engine::tools::k_file_write_limit + 1, 'x');
  auto r = write({{"path", "big.txt"}, {"content", too_big}});
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.output.find("at most 10 MiB"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(workspace_ / "big.txt"));

  std::string almost(engine::tools::k_file_write_limit - 10, 'x');
  EXPECT_FALSE(write({{"path", "big.txt"}, {"content", almost}}).is_error);
  auto grow = write({{"path", "big.txt"}, {"content", std::string(11, 'y')}, {"append", true}});
  EXPECT_TRUE(grow.is_error);
  EXPECT_NE(grow.output.find("files may hold at most 10 MiB"), std::string::npos) << grow.output;
  EXPECT_EQ(fs::file_size(workspace_ / "big.txt"), almost.size());
}

TEST_F(FileTools, MissingFilesDirectoriesAndBinaryFilesAreExplained) {
  auto missing = read({{"path", "nope.txt"}});
  EXPECT_TRUE(missing.is_error);
  EXPECT_EQ(missing.output, "there is no file \"nope.txt\" in the workspace");

  put(workspace_ / "docs/a.txt", "a");
  put(workspace_ / "docs/sub/b.txt", "b");
  auto dir = read({{"path", "docs"}});
  EXPECT_FALSE(dir.is_error);
  EXPECT_EQ(dir.output, "\"docs\" is a directory; it contains:\n- a.txt\n- sub/");

  put(workspace_ / "image.png", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  auto binary = read({{"path", "image.png"}});
  EXPECT_TRUE(binary.is_error);
  EXPECT_EQ(binary.output, "\"image.png\" is a binary file (16 bytes); file_read shows text only");

  put(workspace_ / "empty.txt", "");
  EXPECT_EQ(read({{"path", "empty.txt"}}).output, "\"empty.txt\" is empty");

  put(workspace_ / "latin1.txt", "caf\xE9");
  EXPECT_EQ(read({{"path", "latin1.txt"}}).output, "caf\xEF\xBF\xBD");  // invalid UTF-8 becomes U+FFFD

  EXPECT_TRUE(write({{"path", "docs"}, {"content", "x"}}).is_error);
  EXPECT_TRUE(write({{"path", "."}, {"content", "x"}}).is_error);
}

TEST_F(FileTools, BadArgumentsAndNoWorkspace) {
  EXPECT_TRUE(read({}).is_error);
  EXPECT_TRUE(read({{"path", 3}}).is_error);
  EXPECT_TRUE(read({{"path", ""}}).is_error);
  EXPECT_TRUE(write({{"path", "a.txt"}}).is_error);
  EXPECT_TRUE(write({{"content", "x"}}).is_error);
  context_.workspace_dir.clear();
  auto r = read({{"path", "a.txt"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_EQ(r.output, "this run has no workspace, so files cannot be used");
}

TEST(Workspace, ResolvesInsideAndRefusesEscapes) {
  auto base = fs::temp_directory_path() / ("aop-workspace-" + core::new_id());
  fs::create_directories(base / "ws");
  fs::create_directories(base / "ws-evil");
  auto ws = (base / "ws").string();
  auto inside = engine::tools::resolve_in_workspace(ws, "a/b.txt");
  EXPECT_TRUE(inside.error.empty());
  EXPECT_EQ(inside.path, fs::canonical(base / "ws") / "a/b.txt");
  // A sibling whose name starts with the workspace's is still outside (paths compare by component).
  fs::create_directory_symlink(base / "ws-evil", base / "ws" / "evil");
  EXPECT_FALSE(engine::tools::resolve_in_workspace(ws, "evil/x").error.empty());
  EXPECT_FALSE(engine::tools::resolve_in_workspace(ws, std::string("a\0b", 3)).error.empty());
  EXPECT_EQ(engine::tools::display_path(ws, inside.path), "a/b.txt");
  fs::remove_all(base);
}

}  // namespace
}  // namespace aop::test
