// How `aop run` prints costs and events.
#include <gtest/gtest.h>

#include <sstream>

#include "app/terminal_view.hpp"

namespace aop::test {
namespace {

TEST(TerminalView, CostsReadTheSameEverywhereAndUnknownIsNotZero) {
  EXPECT_EQ(app::format_usd(std::nullopt), "n/a");
  EXPECT_EQ(app::format_usd(0.0), "$0.00000");
  EXPECT_EQ(app::format_usd(0.004), "$0.00400");  // under a cent: enough digits to see it
  EXPECT_EQ(app::format_usd(1.5), "$1.500");
}

TEST(TerminalView, AnLlmCallLineShowsItsCostOrNa) {
  std::ostringstream out;
  app::TerminalView view(out);
  engine::Event priced{1, engine::EventType::llm_call, 0, "e", "t1", "a",
                       {{"model", "openai/gpt-4o-mini"}, {"input_tokens", 10}, {"output_tokens", 2},
                        {"duration", 0.5}, {"cost", 0.004}, {"agent_name", "a"}}};
  view.emit(priced);
  engine::Event unknown = priced;
  unknown.data["cost"] = nullptr;
  view.emit(unknown);
  auto text = out.str();
  EXPECT_NE(text.find("$0.00400"), std::string::npos) << text;
  EXPECT_NE(text.find("n/a"), std::string::npos) << text;
}

}  // namespace
}  // namespace aop::test
