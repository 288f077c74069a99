#include <gtest/gtest.h>

#include <stdexcept>

#include "engine/llm/sse_parser.hpp"

using aop::engine::llm::SseMessage;
using aop::engine::llm::SseParser;

namespace {

// Every rule the LLM streams lean on, in one stream: LF, CRLF and CR line ends, a BOM,
// comments (OpenRouter's ": OPENROUTER PROCESSING"), event names, multi-line data, a field
// without a colon, no space after the colon, an event without data (dropped), an id.
const std::string k_stream =
    "\xEF\xBB\xBF: keep-alive comment\n"
    "event: message_start\n"
    "data: {\"a\":1}\n"
    "\n"
    "data: line one\r\n"
    "data:line two\r\n"
    "\r\n"
    "event: only-a-name\n"
    "\n"
    "id: 7\r"
    "data: cr ended\r"
    "\r"
    "data\n"
    "\n"
    "retry: 100\n"
    "data: [DONE]\n"
    "\n";

const std::vector<SseMessage> k_expected = {
    {"message_start", "{\"a\":1}", ""},
    {"", "line one\nline two", ""},
    {"", "cr ended", "7"},
    {"", "", ""},
    {"", "[DONE]", ""},
};

std::vector<SseMessage> parse_in_pieces(const std::vector<std::string_view>& pieces) {
  std::vector<SseMessage> out;
  SseParser parser([&](const SseMessage& m) { out.push_back(m); });
  for (auto piece : pieces) parser.feed(piece);
  EXPECT_FALSE(parser.has_partial_event());
  return out;
}

void expect_messages(const std::vector<SseMessage>& got, const std::string& context) {
  ASSERT_EQ(got.size(), k_expected.size()) << context;
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].event, k_expected[i].event) << context << " message " << i;
    EXPECT_EQ(got[i].data, k_expected[i].data) << context << " message " << i;
    EXPECT_EQ(got[i].id, k_expected[i].id) << context << " message " << i;
  }
}

TEST(SseParser, WholeStreamAtOnce) { expect_messages(parse_in_pieces({k_stream}), "whole"); }

TEST(SseParser, OneByteAtATime) {
  std::vector<std::string_view> pieces;
  for (std::size_t i = 0; i < k_stream.size(); ++i) pieces.push_back(std::string_view(k_stream).substr(i, 1));
  expect_messages(parse_in_pieces(pieces), "bytewise");
}

TEST(SseParser, EveryPairOfChunkBoundaries) {
  std::string_view s = k_stream;
  for (std::size_t i = 0; i <= s.size(); ++i)
    for (std::size_t j = i; j <= s.size(); ++j) {
      auto got = parse_in_pieces({s.substr(0, i), s.substr(i, j - i), s.substr(j)});
      expect_messages(got, "split at " + std::to_string(i) + "," + std::to_string(j));
      if (::testing::Test::HasFailure()) return;  // one report, not thousands
    }
}

TEST(SseParser, CrLfSplitAcrossPiecesIsOneLineEnd) {
  // "\r" ends one piece and "\n" starts the next: one line end, not an extra blank line
  // that would dispatch a half-built event.
  std::vector<SseMessage> out;
  SseParser parser([&](const SseMessage& m) { out.push_back(m); });
  parser.feed("data: a\r");
  parser.feed("\ndata: b\r");
  parser.feed("\n\r");
  parser.feed("\n");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].data, "a\nb");
}

TEST(SseParser, UnfinishedEventIsReportedNotDispatched) {
  std::vector<SseMessage> out;
  SseParser parser([&](const SseMessage& m) { out.push_back(m); });
  parser.feed("data: {\"complete\":true}\n\ndata: {\"cut");
  EXPECT_EQ(out.size(), 1u);
  EXPECT_TRUE(parser.has_partial_event());
  parser.feed("\"}\n");
  EXPECT_TRUE(parser.has_partial_event()) << "a data line without the blank line is still pending";
  parser.feed("\n");
  EXPECT_FALSE(parser.has_partial_event());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].data, "{\"cut\"}");
}

TEST(SseParser, OverlongLineIsRefused) {
  SseParser parser([](const SseMessage&) {}, 64);
  EXPECT_NO_THROW(parser.feed("data: " + std::string(50, 'x') + "\n"));
  EXPECT_THROW(parser.feed("data: " + std::string(100, 'x')), std::length_error);
}

}  // namespace
