// Keeps docs/crew-format.md true to the code: every key is documented, and every complete
// example in it parses and validates.
#include <gtest/gtest.h>

#include "crews/crew_check.hpp"
#include "crews/hook_spec.hpp"
#include "crews/spec_builder.hpp"
#include "crew_test_support.hpp"

using namespace aop::crews;

namespace {

std::vector<std::string> yaml_blocks(const std::string& doc) {
  std::vector<std::string> blocks;
  const std::string open = "```yaml\n";
  for (auto start = doc.find(open); start != std::string::npos; start = doc.find(open, start)) {
    start += open.size();
    auto end = doc.find("```", start);
    if (end == std::string::npos) break;
    blocks.push_back(doc.substr(start, end - start));
    start = end + 3;
  }
  return blocks;
}

}  // namespace

TEST(CrewFormatDoc, DocumentsEveryKey) {
  auto doc = test::read_source_file("docs/crew-format.md");
  ASSERT_FALSE(doc.empty());
  for (auto keys : {crew_keys(), agent_keys(), task_keys(), input_keys(), hook_keys()})
    for (auto key : keys)
      EXPECT_NE(doc.find("`" + std::string(key) + "`"), std::string::npos) << "docs/crew-format.md does not mention `" << key << "`";
}

TEST(CrewFormatDoc, CompleteExamplesValidate) {
  auto doc = test::read_source_file("docs/crew-format.md");
  int complete = 0;
  for (const auto& block : yaml_blocks(doc)) {
    if (!block.starts_with("name:")) continue;  // fragments illustrate one key
    ++complete;
    auto check = check_crew(block);
    EXPECT_TRUE(check.ok()) << block << test::dump(check.errors);
    EXPECT_TRUE(check.warnings.empty()) << block << test::dump(check.warnings);
  }
  EXPECT_GE(complete, 3) << "sequential, hierarchical and conditional examples";
}
