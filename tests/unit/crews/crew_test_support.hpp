#pragma once
// Helpers shared by the crew tests: fixtures on disk and diagnostics lookups that print
// everything that was reported when an expectation fails.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "crews/diagnostic.hpp"

namespace aop::crews::test {

inline std::string source_dir() {
  const char* root = std::getenv("AOP_SOURCE_DIR");
  return root ? root : AOP_TEST_DEFAULT_SOURCE_DIR;
}

inline std::string read_source_file(const std::string& relative) {
  std::ifstream in(source_dir() + "/" + relative, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string dump(const Diagnostics& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) out += "  " + to_string(d) + "\n";
  return out.empty() ? "  (none)\n" : out;
}

inline const Diagnostic* find_path(const Diagnostics& diagnostics, std::string_view path) {
  for (const auto& d : diagnostics)
    if (d.path == path) return &d;
  return nullptr;
}

// True when a diagnostic has exactly this path and a message containing `message`.
inline ::testing::AssertionResult has(const Diagnostics& diagnostics, std::string_view path,
                                      std::string_view message) {
  for (const auto& d : diagnostics)
    if (d.path == path && d.message.find(message) != std::string::npos)
      return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "no diagnostic at \"" << path << "\" containing \""
                                       << message << "\"; got:\n"
                                       << dump(diagnostics);
}

inline ::testing::AssertionResult none(const Diagnostics& diagnostics) {
  if (diagnostics.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected no diagnostics, got:\n" << dump(diagnostics);
}

}  // namespace aop::crews::test
