// The stored form of a crew: normalized config, YAML source kept only while it agrees,
// effective inputs; and the demo crews shipped in the binary.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "crews/crew_document.hpp"
#include "crews/crew_parser.hpp"
#include "crews/crew_validator.hpp"
#include "crews/demo_crews.hpp"

using namespace aop::crews;

namespace {

const std::string k_yaml = R"(# comment kept
name: doc-crew
inputs:
  tone: {type: string, required: false, default: friendly}
agents:
  a:
    role: "{topic} writer"
    goal: Write in a {tone} tone
    backstory: B
tasks:
  t:
    description: Write about {topic} for {audience}
    expected_output: Text
    agent: a
)";

CrewSpec parsed(const std::string& text) {
  auto r = parse_crew(text);
  EXPECT_TRUE(r.ok()) << (r.errors.empty() ? "" : to_string(r.errors[0]));
  return *r.spec;
}

TEST(CrewDocument, KeepsTheYamlSourceOnlyWhileItSaysTheSame) {
  auto spec = parsed(k_yaml);
  auto stored = to_stored(spec, k_yaml);
  ASSERT_TRUE(stored.source_yaml.has_value());
  EXPECT_EQ(*stored.source_yaml, k_yaml);
  EXPECT_EQ(load_stored(stored.config_json), spec);

  spec.name = "renamed";
  auto renamed = to_stored(spec, k_yaml);
  EXPECT_FALSE(renamed.source_yaml.has_value()) << "the source no longer matches the config";
  EXPECT_EQ(load_stored(renamed.config_json).name, "renamed");
  EXPECT_FALSE(to_stored(spec, std::nullopt).source_yaml.has_value());
}

TEST(CrewDocument, EffectiveInputsListDeclaredThenImplicitOnes) {
  auto inputs = effective_inputs(parsed(k_yaml));
  ASSERT_EQ(inputs.size(), 3u) << boost::json::serialize(inputs);
  EXPECT_EQ(inputs[0].at("name"), "tone");
  EXPECT_EQ(inputs[0].at("required"), false);
  EXPECT_EQ(inputs[0].at("default"), "friendly");
  EXPECT_EQ(inputs[1].at("name"), "topic");  // first used in the agent's role
  EXPECT_EQ(inputs[1].at("type"), "string");
  EXPECT_EQ(inputs[1].at("required"), true);
  EXPECT_EQ(inputs[2].at("name"), "audience");
  EXPECT_FALSE(inputs[2].as_object().contains("default"));
}

TEST(CrewDocument, LoadStoredRefusesCorruptText) { EXPECT_THROW(load_stored("{not json"), std::runtime_error); }

TEST(DemoCrews, AllThreeAreDeployableAsShipped) {
  auto docs = demo_crew_documents();
  ASSERT_EQ(docs.size(), 3u);
  for (auto text : docs) {
    auto r = parse_crew(text, Format::yaml);
    ASSERT_TRUE(r.ok()) << text;
    EXPECT_TRUE(r.warnings.empty()) << r.spec->name << ": " << to_string(r.warnings[0]);
    auto checked = validate(*r.spec);
    EXPECT_TRUE(checked.errors.empty()) << r.spec->name << ": " << to_string(checked.errors[0]);
    EXPECT_TRUE(checked.warnings.empty()) << r.spec->name << ": " << to_string(checked.warnings[0]);
  }
}

}  // namespace
