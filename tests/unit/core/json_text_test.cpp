// Hand-written JSON text must read back as the values written, whatever the bytes.
#include "core/json_text.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <limits>

namespace aop::core {
namespace {

TEST(JsonText, StringsReadBackExactlyWhateverTheyContain) {
  std::string nasty = "quote \" backslash \\ newline \n cr \r tab \t bell \x07 nul";
  nasty.push_back('\0');
  nasty += " unit-sep \x1f korean \xea\xb0\x80 end";
  std::string out;
  append_json_string(out, nasty);
  EXPECT_EQ(out.find('\n'), std::string::npos) << "no raw line break: the text is safe inside an SSE data line";
  EXPECT_EQ(boost::json::parse(out).as_string(), nasty);
}

TEST(JsonText, NumbersReadBackToTheSameValue) {
  for (double v : {0.0, 0.1, 3.605215000000001e-2, 1e-12, 12345678.9, -2.5}) {
    std::string out;
    append_json_number(out, v);
    EXPECT_EQ(boost::json::parse(out).to_number<double>(), v) << out;
  }
  std::string big;
  append_json_number(big, std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(boost::json::parse(big).as_int64(), std::numeric_limits<std::int64_t>::min());
}

TEST(JsonText, AbsentValuesAndNonFiniteNumbersAreNull) {
  std::string out;
  append_json_number(out, std::numeric_limits<double>::infinity());
  out += ',';
  append_json_number(out, std::optional<double>{});
  out += ',';
  append_json_number(out, std::optional<std::int64_t>{});
  out += ',';
  append_json_string(out, std::optional<std::string>{});
  EXPECT_EQ(out, "null,null,null,null");
}

}  // namespace
}  // namespace aop::core
