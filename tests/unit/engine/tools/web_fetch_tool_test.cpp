#include "engine/tools/web_fetch_tool.hpp"

#include <gtest/gtest.h>

#include "../engine_test_support.hpp"
#include "engine/tools/content_type.hpp"
#include "engine/tools/html_text.hpp"
#include "local_http_server.hpp"
#include "tool_test_support.hpp"

namespace aop::test {
namespace {

using engine::tools::content_kind;
using engine::tools::ContentKind;
using engine::tools::html_to_text;
using engine::tools::HttpFetcher;
using engine::tools::WebFetchTool;

constexpr std::string_view k_sample_page = R"(<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>  Caf&eacute; &amp; Bar   menu </title>
  <style>body { color: red; } .x::before { content: "STYLE"; }</style>
  <script>var secret = "SCRIPT"; document.write("<p>nope</p>");</script>
  <link rel="stylesheet" href="/a.css">
</head>
<body>
  <noscript>Please enable JavaScript</noscript>
  <nav><a href="/">Home</a> | <a href="/menu">Menu</a></nav>
  <h1>Today's   specials</h1>
  <p>Fresh <b>coffee</b> &mdash; 3&nbsp;&euro; &lt;hot&gt; &#x263A; &#9731;
     and <a href="https://example.com/tea">our tea</a>.</p>
  <svg width="10" height="10"><text>SVG TEXT</text></svg>
  <ul>
    <li>Espresso</li>
    <li>Drinks
      <ol>
        <li>Latte</li>
        <li>Mocha</li>
      </ol>
    </li>
    <li>Cake</li>
  </ul>
  <table>
    <tr><th>Item</th><th>Price</th></tr>
    <tr><td>Tea</td><td>2.50</td></tr>
  </table>
  <div>First line<br>Second line</div>
  <pre>  keep   this
    spacing</pre>
  <template><p>TEMPLATE</p></template>
  <script type="application/ld+json">{"hidden": true}</script>
</body>
</html>)";

constexpr std::string_view k_sample_text =
    "Home | Menu\n"
    "\n"
    "# Today's specials\n"
    "\n"
    "Fresh coffee \u2014 3 \u20ac <hot> \u263a \u2603 and our tea.\n"
    "\n"
    "- Espresso\n"
    "- Drinks\n"
    "  1. Latte\n"
    "  2. Mocha\n"
    "- Cake\n"
    "\n"
    "Item | Price\n"
    "Tea | 2.50\n"
    "\n"
    "First line\n"
    "Second line\n"
    "\n"
    "  keep   this\n"
    "    spacing";

TEST(HtmlText, TurnsAPageIntoReadableText) {
  auto page = html_to_text(k_sample_page);
  EXPECT_EQ(page.title, "Caf\u00e9 & Bar menu");
  EXPECT_EQ(page.text, k_sample_text);
  EXPECT_FALSE(page.cut);
  for (const char* hidden : {"SCRIPT", "STYLE", "nope", "Please enable", "SVG TEXT", "TEMPLATE", "hidden", "color"})
    EXPECT_EQ(page.text.find(hidden), std::string::npos) << hidden;
}

TEST(HtmlText, FragmentsEntitiesAndCharsets) {
  EXPECT_EQ(html_to_text("plain <strong>words</strong> &amp; more").text, "plain words & more");
  EXPECT_EQ(html_to_text("<p>a</p><p>b</p>").text, "a\n\nb");
  EXPECT_EQ(html_to_text("<p>&#65;&#x42;&quot;&apos;&#39;</p>").text, "AB\"''");
  EXPECT_EQ(html_to_text("").text, "");
  // A Latin-1 page, told by the Content-Type header or by its own <meta>.
  EXPECT_EQ(html_to_text("<p>caf\xE9</p>", "iso-8859-1").text, "caf\u00e9");
  EXPECT_EQ(html_to_text("<html><head><meta charset=\"iso-8859-1\"></head><body>na\xEFve</body></html>").text,
            "na\u00efve");
  // Undeclared text that is valid UTF-8 is read as UTF-8 (libxml2 alone would assume Latin-1).
  EXPECT_EQ(html_to_text("<p>na\u00efve \u65e5\u672c</p>").text, "na\u00efve \u65e5\u672c");
  EXPECT_EQ(html_to_text("<meta charset=\"utf-8\"><p>\u65e5\u672c</p>").text, "\u65e5\u672c");
  EXPECT_EQ(html_to_text("<p>caf\xE9</p>").text, "caf\u00e9");  // not UTF-8: the Latin-1 fallback
}

TEST(HtmlText, DeepNestingIsCutInsteadOfSlowingDown) {
  std::string deep;
  for (int i = 0; i < 200000; ++i) deep += "<div></span>";
  deep += "end";
  auto started = std::chrono::steady_clock::now();
  auto page = html_to_text("<p>start</p>" + deep);
  EXPECT_LT(milliseconds_since(started), 500);
  EXPECT_TRUE(page.cut);
  EXPECT_EQ(page.text, "start");

  std::string fine = "<p>start</p>";
  for (int i = 0; i < 100; ++i) fine += "<div>";
  fine += "deep text";
  auto ok = html_to_text(fine);
  EXPECT_FALSE(ok.cut);
  EXPECT_EQ(ok.text, "start\n\ndeep text");
}

TEST(ContentType, KindsFromHeaderAndBody) {
  EXPECT_EQ(content_kind("text/html; charset=utf-8", "<p>x"), ContentKind::html);
  EXPECT_EQ(content_kind("application/xhtml+xml", "<p>x"), ContentKind::html);
  EXPECT_EQ(content_kind("text/plain", "hello"), ContentKind::text);
  EXPECT_EQ(content_kind("application/json", "{}"), ContentKind::text);
  EXPECT_EQ(content_kind("application/vnd.api+json", "{}"), ContentKind::text);
  EXPECT_EQ(content_kind("image/png", "\x89PNG"), ContentKind::binary);
  EXPECT_EQ(content_kind("application/pdf", "%PDF-1.7"), ContentKind::binary);
  EXPECT_EQ(content_kind("text/plain", std::string("a\0b", 3)), ContentKind::binary);  // mislabelled
  EXPECT_EQ(content_kind("", "  <!DOCTYPE html><html>"), ContentKind::html);
  EXPECT_EQ(content_kind("", "just text"), ContentKind::text);
  EXPECT_EQ(content_kind("application/octet-stream", "<html><body>x"), ContentKind::html);
  EXPECT_EQ(content_kind("application/octet-stream", "text?"), ContentKind::binary);
  EXPECT_EQ(engine::tools::charset_of("text/html; Charset=\"ISO-8859-1\""), "iso-8859-1");
  EXPECT_EQ(engine::tools::media_type(" Text/HTML ; charset=utf-8"), "text/html");
}

class WebFetch : public ::testing::Test {
 protected:
  engine::tools::ToolResult fetch(const std::string& url) {
    return run_to_completion(tool_.invoke({{"url", url}}, tool_context()));
  }
  LocalHttpServer server_{[](const SeenRequest& r) {
    if (r.target == "/page") return Answer{200, std::string(k_sample_page), "text/html; charset=utf-8"};
    if (r.target == "/moved") return Answer{302, "", "text/html", {{"Location", "/page"}}};
    if (r.target == "/notes.txt") return Answer{200, "line 1\n  line 2\n", "text/plain"};
    if (r.target == "/data.json") return Answer{200, R"({"a": [1, 2]})", "application/json"};
    if (r.target == "/photo.jpg") return Answer{200, std::string("\xFF\xD8\xFF\xE0\0\x10JFIF", 10), "image/jpeg"};
    if (r.target == "/empty") return Answer{200, "<html><body><script>x()</script></body></html>", "text/html"};
    return Answer{404, "<html><head><title>Gone</title></head><body><h1>Not here</h1></body></html>", "text/html"};
  }};
  WebFetchTool tool_{std::make_shared<HttpFetcher>(), loopback_allowed()};
};

TEST_F(WebFetch, ReturnsTitleUrlAndText) {
  auto r = fetch(server_.url("/page"));
  EXPECT_FALSE(r.is_error) << r.output;
  EXPECT_EQ(r.output,
            "Title: Caf\u00e9 & Bar menu\nURL: " + server_.url("/page") + "\n\n" + std::string(k_sample_text));
  auto seen = server_.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_TRUE(seen[0].header("accept").starts_with("text/html"));

  auto moved = fetch(server_.url("/moved"));
  EXPECT_TRUE(moved.output.starts_with("Title: Caf\u00e9 & Bar menu\nURL: " + server_.url("/page") + "\n"));
}

TEST_F(WebFetch, TextComesBackAsItIsAndBinaryIsRefused) {
  EXPECT_EQ(fetch(server_.url("/notes.txt")).output, "URL: " + server_.url("/notes.txt") + "\n\nline 1\n  line 2\n");
  EXPECT_EQ(fetch(server_.url("/data.json")).output, "URL: " + server_.url("/data.json") + "\n\n{\"a\": [1, 2]}");
  auto photo = fetch(server_.url("/photo.jpg"));
  EXPECT_TRUE(photo.is_error);
  EXPECT_EQ(photo.output, server_.url("/photo.jpg") +
                              " is image/jpeg (binary, 10 bytes); web_fetch reads web pages "
                              "and text only");
  EXPECT_EQ(fetch(server_.url("/empty")).output,
            "URL: " + server_.url("/empty") + "\n\n(the page has no readable text)");
}

TEST_F(WebFetch, ErrorPagesAndRefusedAddressesAreErrors) {
  auto missing = fetch(server_.url("/nope"));
  EXPECT_TRUE(missing.is_error);
  EXPECT_EQ(missing.output, server_.url("/nope") + " answered HTTP 404 Not Found:\n# Not here");

  WebFetchTool strict(std::make_shared<HttpFetcher>(), engine::tools::FetchLimits{});
  auto refused = run_to_completion(strict.invoke({{"url", server_.url("/page")}}, tool_context()));
  EXPECT_TRUE(refused.is_error);
  EXPECT_TRUE(refused.output.starts_with("refused: 127.0.0.1 is a loopback address")) << refused.output;
  auto no_url = run_to_completion(tool_.invoke({}, tool_context()));
  EXPECT_TRUE(no_url.is_error);
}

TEST_F(WebFetch, LongPagesAreCutWithANote) {
  LocalHttpServer big([](const SeenRequest&) {
    std::string page = "<html><body>";
    for (int i = 0; i < 2000; ++i) page += "<p>paragraph " + std::to_string(i) + "</p>";
    return Answer{200, page, "text/html"};
  });
  auto limits = loopback_allowed();
  limits.max_body_bytes = 4096;
  WebFetchTool small(std::make_shared<HttpFetcher>(), limits);
  auto r = run_to_completion(small.invoke({{"url", big.url("/")}}, tool_context()));
  EXPECT_FALSE(r.is_error);
  EXPECT_NE(r.output.find("paragraph 0\n\nparagraph 1\n"), std::string::npos);
  EXPECT_EQ(r.output.find("paragraph 1999"), std::string::npos);
  EXPECT_TRUE(r.output.ends_with("\n[cut: the page is longer than 4 KiB; only its beginning was read]")) << r.output;
}

}  // namespace
}  // namespace aop::test
