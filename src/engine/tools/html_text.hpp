#pragma once
// Readable text from an HTML page, for a model: scripts, styles, <head> and other
// non-content dropped, block elements as line breaks, list items as "- ", table cells
// separated by " | ", headings marked with "#", entities decoded, whitespace collapsed.
// Parsed with libxml2's HTML parser (SAX, so no tree is built); the charset comes from
// the Content-Type header when given, else from the page.
#include <string>
#include <string_view>

namespace aop::engine::tools {

struct HtmlText {
  std::string title;
  std::string text;
  bool cut = false;  // the page was nested too deeply; the text stops where that began
};

// Pages nested deeper than this stop being read: deep nesting costs the parser time that
// grows with the depth, and real pages stay far below it.
constexpr int k_max_html_depth = 256;

HtmlText html_to_text(std::string_view html, std::string_view charset = {});

}  // namespace aop::engine::tools
