// An execution's log from its events: levels (and above), errors as level "error", text search,
// and seq paging that crosses the reader's internal scan pages, on both databases.
#include "observability/execution_logs.hpp"

#include <gtest/gtest.h>

#include "executions/event_rows.hpp"
#include "unit/executions/execution_test_support.hpp"
#include "unit/observability/event_script.hpp"

namespace aop::test {
namespace {

using engine::EventType;
using observability::LogQuery;
using store::Dialect;

TEST(ExecutionLogs, LevelsRankAndErrorsAreErrorLines) {
  EXPECT_EQ(observability::log_level_rank("debug"), 0);
  EXPECT_EQ(observability::log_level_rank("error"), 3);
  EXPECT_FALSE(observability::log_level_rank("verbose"));
  EventScript s;
  s.log("t", "warning", "Retrying");
  s.emit(EventType::error, "t2", "root", {{"error_type", "llm_timeout"}, {"message", "It timed out"}, {"trace_id", "t2"}});
  s.log("t", "WARN", "shouting");
  s.emit(EventType::llm_call, "t3", "t", {});
  auto warning = observability::log_entry_of(s.events[0]);
  ASSERT_TRUE(warning);
  EXPECT_EQ(warning->level, "warning");
  EXPECT_EQ(warning->trace_id, "t");
  auto error = observability::log_entry_of(s.events[1]);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->level, "error");
  EXPECT_EQ(error->message, "It timed out");
  EXPECT_EQ(error->trace_id, "t2");
  EXPECT_EQ(observability::log_entry_of(s.events[2])->level, "warning") << "WARN is warning";
  EXPECT_FALSE(observability::log_entry_of(s.events[3])) << "an llm_call is not a log line";

  LogQuery errors_only;
  errors_only.min_rank = 3;
  EXPECT_FALSE(observability::matches(*warning, errors_only));
  EXPECT_TRUE(observability::matches(*error, errors_only));
  LogQuery search;
  search.text = "TIMED";
  EXPECT_TRUE(observability::matches(*error, search)) << "search ignores case";
  EXPECT_FALSE(observability::matches(*warning, search));
}

class ExecutionLogsDbTest : public executions::testing::ExecutionsDbTest {};

// 1,200 events: every third a log line (debug, info, warning in turn), every 100th an error,
// the rest llm calls; so the 500-row scan pages of read_logs hold few matches.
EventScript long_run() {
  EventScript s;
  s.execution_id = "e1";
  const char* levels[] = {"debug", "info", "warning"};
  for (int i = 1; i <= 1200; ++i) {
    if (i % 100 == 0)
      s.emit(EventType::error, "t", "", {{"error_type", "x"}, {"message", "Failure " + std::to_string(i)}});
    else if (i % 3 == 0)
      s.log("t", levels[(i / 3) % 3], "line " + std::to_string(i));
    else
      s.emit(EventType::llm_call, "l" + std::to_string(i), "t", {{"model", "m"}});
  }
  return s;
}

TEST_P(ExecutionLogsDbTest, PagesByCursorThroughFiltersAndSearch) {
  add("e1", 100);
  add("e2", 100);
  auto script = long_run();
  write([&](store::Connection& c) {
    executions::insert_events(c, script.events);
    return 0;
  });
  std::vector<observability::LogEntry> expected;
  for (const auto& e : script.events)
    if (auto entry = observability::log_entry_of(e); entry && entry->level != "debug") expected.push_back(*entry);

  // info and above, 37 at a time: the pages join up to exactly the expected lines.
  LogQuery q;
  q.min_rank = 1;
  q.limit = 37;
  std::vector<std::int64_t> seqs;
  int pages = 0;
  for (;;) {
    auto page = read([&](store::Connection& c) { return observability::read_logs(c, "e1", q); });
    ++pages;
    ASSERT_LE(page.items.size(), 37u);
    for (const auto& item : page.items) seqs.push_back(item.seq);
    if (!page.next_after) break;
    EXPECT_EQ(page.items.size(), 37u) << "only the last page is short";
    EXPECT_EQ(*page.next_after, page.items.back().seq);
    q.after_seq = *page.next_after;
  }
  ASSERT_EQ(seqs.size(), expected.size());
  for (std::size_t i = 0; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], expected[i].seq);
  EXPECT_EQ(pages, static_cast<int>((expected.size() + 36) / 37));

  // Errors only, searched: "failure 1" matches Failure 100 and 1000..1200 (not 200).
  LogQuery errors;
  errors.min_rank = 3;
  errors.text = "failure 1";
  errors.limit = 200;
  auto page = read([&](store::Connection& c) { return observability::read_logs(c, "e1", errors); });
  std::vector<std::string> messages;
  for (const auto& item : page.items) messages.push_back(item.message);
  EXPECT_EQ(messages, (std::vector<std::string>{"Failure 100", "Failure 1000", "Failure 1100", "Failure 1200"}));
  EXPECT_FALSE(page.next_after);

  // A page that ends exactly at the last match has no next page.
  LogQuery exact;
  exact.min_rank = 3;
  exact.limit = 12;
  auto all_errors = read([&](store::Connection& c) { return observability::read_logs(c, "e1", exact); });
  EXPECT_EQ(all_errors.items.size(), 12u);
  EXPECT_FALSE(all_errors.next_after);

  // Another execution's log is its own.
  EXPECT_TRUE(read([&](store::Connection& c) { return observability::read_logs(c, "e2", q); }).items.empty());
}

INSTANTIATE_TEST_SUITE_P(Dialects, ExecutionLogsDbTest, ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         store::testing::DialectName());

}  // namespace
}  // namespace aop::test
