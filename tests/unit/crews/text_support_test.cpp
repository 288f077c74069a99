// The small text utilities under the readers: positions, UTF-8 checks, typo distance.
#include <gtest/gtest.h>

#include <random>

#include "crews/key_suggestion.hpp"
#include "crews/text_position.hpp"

using namespace aop::crews;

TEST(TextPosition, LocationAtCountsLinesAndCharacters) {
  std::string_view text = "ab\ncé\n\nxyz";
  EXPECT_EQ(location_at(text, 0), (Location{1, 1}));
  EXPECT_EQ(location_at(text, 2), (Location{1, 3}));
  EXPECT_EQ(location_at(text, 3), (Location{2, 1}));
  EXPECT_EQ(location_at(text, 6), (Location{2, 3})) << "é is one character, two bytes";
  EXPECT_EQ(location_at(text, 8), (Location{4, 1}));
  EXPECT_EQ(location_at(text, 999), (Location{4, 4})) << "clamped to the end";
}

TEST(TextPosition, ColumnIndexMatchesCountingOnLongMixedLines) {
  std::mt19937 rng(7);
  const char* pieces[] = {"a", "é", "한", "😀", " ", "\n"};
  std::string text;
  for (int i = 0; i < 3000; ++i) text += pieces[rng() % 6];
  ColumnIndex index(text);
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // not a character start
    auto expected = location_at(text, i);
    ASSERT_EQ(index.column(line_start, i), expected.column) << "offset " << i;
    if (text[i] == '\n') line_start = i + 1;
  }
  ColumnIndex ascii("plain ascii text");
  EXPECT_EQ(ascii.column(6, 11), 6);
}

TEST(TextPosition, FindsInvalidUtf8) {
  EXPECT_EQ(find_invalid_utf8("plain é 한 😀"), std::string_view::npos);
  EXPECT_EQ(find_invalid_utf8("ab\xff"), 2u);
  EXPECT_EQ(find_invalid_utf8("a\xc3"), 1u) << "truncated";
  EXPECT_EQ(find_invalid_utf8("\xc0\xaf"), 0u) << "overlong";
  EXPECT_EQ(find_invalid_utf8("\xed\xa0\x80"), 0u) << "surrogate";
  EXPECT_EQ(find_invalid_utf8("\xf4\x90\x80\x80"), 0u) << "past U+10FFFF";
  EXPECT_TRUE(is_yaml_printable(U'é'));
  EXPECT_FALSE(is_yaml_printable(0x01));
  EXPECT_FALSE(is_yaml_printable(0xFFFE));
  EXPECT_EQ(utf8_length("héllo 한"), 7u);
}

TEST(KeySuggestion, EditDistance) {
  EXPECT_EQ(edit_distance("backstory", "backstroy", 2), 1) << "a swap counts once";
  EXPECT_EQ(edit_distance("goal", "goals", 2), 1);
  EXPECT_EQ(edit_distance("Role", "role", 2), 0) << "case-insensitive";
  EXPECT_EQ(edit_distance("expected_output", "expected_ouput", 2), 1);
  EXPECT_EQ(edit_distance("memory", "max_rpm", 2), 3) << "stops past the limit";
  EXPECT_EQ(edit_distance("", "abc", 5), 3);
}

TEST(KeySuggestion, SuggestsOnlyCloseKnownKeys) {
  constexpr std::string_view known[] = {"role", "goal", "backstory", "llm", "tools"};
  constexpr std::string_view accepted[] = {"cache"};
  EXPECT_EQ(suggest_key("backstroy", known), "backstory");
  EXPECT_EQ(suggest_key("tool", known), "tools");
  EXPECT_EQ(suggest_key("lm", known), "llm");
  EXPECT_FALSE(suggest_key("ttl", known)) << "short keys allow one edit only";
  EXPECT_FALSE(suggest_key("memory", known));
  EXPECT_FALSE(suggest_key("cache", known, accepted));
}

TEST(TextPosition, CharIndexMatchesLocationAt) {
  std::mt19937 rng(11);
  const char* pieces[] = {"a", "é", "한", "😀", " ", "\n", "\r\n"};
  std::string text;
  for (int i = 0; i < 2000; ++i) text += pieces[rng() % 7];
  CharIndex index(text);
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // not a character start
    ASSERT_EQ(index.location(chars), location_at(text, i)) << "character " << chars;
    ++chars;
  }
  EXPECT_EQ(index.location(chars + 5), location_at(text, text.size())) << "clamped to the end";
  EXPECT_EQ(index.location(0), (Location{1, 1})) << "backwards after the last line";
  EXPECT_EQ(CharIndex("").location(3), (Location{1, 1}));
}
