// Keeps the README's configuration table true to the code: every setting is documented.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/config.hpp"

TEST(Docs, ReadmeDocumentsEverySetting) {
  const char* root = std::getenv("AOP_SOURCE_DIR");
  if (!root) root = AOP_TEST_DEFAULT_SOURCE_DIR;
  std::ifstream in(std::string(root) + "/README.md");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string readme = ss.str();
  ASSERT_FALSE(readme.empty());
  aop::core::Config defaults;
  for (const auto& s : aop::core::settings()) {
    EXPECT_NE(readme.find("| `" + s.key + "` | `" + s.env + "` |"), std::string::npos)
        << "README.md has no row for " << s.key << " / " << s.env;
  }
}
