// The YAML reader on its own: YAML features, positions and limits that the crew-level tests
// in crew_parser_test.cpp do not reach.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "crews/source_document.hpp"
#include "crew_test_support.hpp"

using namespace aop::crews;
using aop::crews::test::has;
using aop::crews::test::none;

namespace {

boost::json::value read_ok(std::string_view text) {
  auto r = read_yaml_document(text);
  EXPECT_TRUE(none(r.errors)) << text;
  return r.document ? r.document->root : boost::json::value();
}

}  // namespace

TEST(YamlReader, BlockScalarsFollowChompingAndIndentationIndicators) {
  auto v = read_ok("a: |-\n  x\n  y\n\nb: >+\n  p\n  q\n\nc: |2\n   lead\nd: >\n  one\n  two\n\n  three\ne: |\n");
  EXPECT_EQ(v, boost::json::parse(R"({"a": "x\ny", "b": "p q\n\n", "c": " lead\n", "d": "one two\nthree\n", "e": ""})"));
}

TEST(YamlReader, QuotedScalarsAndEscapes) {
  auto v = read_ok(R"(a: "tab\there \u00e9 \x41 \N \L \/"
b: 'it''s'
c: "folded
  line"
)");
  EXPECT_EQ(v.at("a"), boost::json::value("tab\there \u00e9 A \u0085 \u2028 /"));
  EXPECT_EQ(v.at("b"), boost::json::value("it's"));
  EXPECT_EQ(v.at("c"), boost::json::value("folded line"));
}

TEST(YamlReader, NullKeysAreTheEmptyKey) {
  EXPECT_EQ(read_ok("~: a\n"), boost::json::parse(R"({"": "a"})"));
  EXPECT_EQ(read_ok("? \n: b\n"), boost::json::parse(R"({"": "b"})"));
  EXPECT_EQ(read_ok("\"~\": c\n"), boost::json::parse(R"({"~": "c"})")) << "quoted: text";
}

TEST(YamlReader, AnAliasReadsTheLatestAnchorOfItsName) {
  auto v = read_ok("a: &x {k: &x inner}\nb: *x\nc: &x 2\nd: *x\n");
  EXPECT_EQ(v.at("b"), boost::json::value("inner")) << "redefined inside the container it named";
  EXPECT_EQ(v.at("d"), boost::json::value(2));
}

TEST(YamlReader, MergeKeysAreOrdinaryKeys) {
  // `<<` is not merged (PyYAML would); it stays a key like any other, as it always was.
  auto v = read_ok("base: &b {x: 1}\nderived: {<<: *b, y: 2}\n");
  EXPECT_EQ(v.at("derived"), boost::json::parse(R"({"<<": {"x": 1}, "y": 2})"));
}

TEST(YamlReader, UnknownAliasIsASyntaxError) {
  auto r = read_yaml_document("a: 1\nb: *nowhere\n");
  EXPECT_FALSE(r.document);
  EXPECT_TRUE(has(r.errors, "", "YAML syntax error: alias *nowhere refers to no anchor before it"));
  EXPECT_EQ(r.errors[0].location, (Location{2, 4}));
}

TEST(YamlReader, SyntaxErrorsSayWhereTheEnclosingNodeStarted) {
  auto r = read_yaml_document("name: x\nagents:\n  a: [1, 2\ntasks: {}\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message,
            "YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence that starts at "
            "line 3, column 6)");
  EXPECT_EQ(r.errors[0].location, (Location{4, 6}));
}

TEST(YamlReader, LinesEndAtLineFeedsOnly) {
  // CRLF, and line or paragraph separators inside text, do not shift later positions: the
  // editor and the JSON reader count lines the same way.
  auto r = read_yaml_document("a: 1\r\nb: x\u2028y\u2029z\nc: \u00e9\n");
  ASSERT_TRUE(r.document) << test::dump(r.errors);
  EXPECT_EQ(r.document->locations.find_exact("b"), (Location{2, 1}));
  EXPECT_EQ(r.document->locations.find_exact("c"), (Location{3, 1}));
}

TEST(YamlReader, NextLineAndSeparatorsAreTextAsInYaml12) {
  // libyaml (YAML 1.1) would end the plain scalar and the block at them.
  auto v = read_ok("plain: a\u2028b\u2029 c\u0085d\n"
                   "quoted: \"a \u2028 b\u0085\"\n"
                   "block: |\n  one\u2028two\n  three\u0085\n"
                   "k\u2028ey: v\n"
                   "escaped: \"\\L\\N\\P\"\n");
  EXPECT_EQ(v, boost::json::parse(R"({"plain": "a\u2028b\u2029 c\u0085d", "quoted": "a \u2028 b\u0085",
      "block": "one\u2028two\nthree\u0085\n", "k\u2028ey": "v", "escaped": "\u2028\u0085\u2029"})"));
  // Other private-use characters near the stand-ins the reader uses come through unchanged.
  auto w = read_ok("a: \"\\U0010FFC0\u2028\"\nb: \U0010FFC3 x\n");
  EXPECT_EQ(w.at("a"), boost::json::value("\U0010FFC0\u2028"));
  EXPECT_EQ(w.at("b"), boost::json::value("\U0010FFC3 x"));
}

TEST(YamlReader, NestingBeyondTheParserLimitIsRefused) {
  // Past 64 levels nodes are skipped with an error (crew_parser_test); this deep, libyaml's
  // own stacks would grow with the text, so the document is refused outright.
  std::string deep = "x: " + std::string(100'000, '[');
  auto r = read_yaml_document(deep);
  EXPECT_FALSE(r.document);
  EXPECT_TRUE(has(r.errors, "", "YAML syntax error: nested too deeply"));
}

TEST(YamlReader, PathPrefixIsPrependedAndLocated) {
  auto r = read_yaml_document("researcher:\n  role: r\n", "agents");
  ASSERT_TRUE(r.document);
  EXPECT_EQ(r.document->locations.find_exact("agents"), (Location{1, 1}));
  EXPECT_EQ(r.document->locations.find_exact("agents.researcher.role"), (Location{2, 3}));
}
