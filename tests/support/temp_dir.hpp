#pragma once
// A fresh directory under $TMPDIR, removed (with its contents) when the object dies.
// Set AOP_TEST_KEEP_TEMP=1 to keep it for a post-mortem; its path is then printed.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>

namespace aop::test {

// Thrown when the test harness itself cannot do its job (missing binary, no database, server
// not starting). gtest reports the message as the test's failure.
class HarnessError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "aop-test-") {
    auto pattern = (std::filesystem::temp_directory_path() / (prefix + "XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr)
      throw HarnessError("cannot create a temporary directory from " + pattern);
    path_ = pattern;
  }
  ~TempDir() {
    if (path_.empty()) return;
    if (const char* keep = std::getenv("AOP_TEST_KEEP_TEMP"); keep && *keep && std::string(keep) != "0") {
      std::fprintf(stderr, "[harness] kept %s\n", path_.c_str());
      return;
    }
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  TempDir& operator=(TempDir&&) = delete;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// The whole file, or "" when it does not exist.
inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline void write_file(const std::filesystem::path& path, const std::string& content) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out) throw HarnessError("cannot write " + path.string());
}

}  // namespace aop::test
