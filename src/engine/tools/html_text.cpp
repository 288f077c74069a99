#include "engine/tools/html_text.hpp"

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <climits>
#include <mutex>
#include <vector>

#include "engine/tools/tool_text.hpp"

namespace aop::engine::tools {

namespace {

using namespace std::string_view_literals;

constexpr std::array k_skipped = {"script"sv, "style"sv,  "noscript"sv, "svg"sv,    "head"sv,   "template"sv,
                                  "iframe"sv, "object"sv, "embed"sv,    "canvas"sv, "select"sv, "math"sv};
// Blocks set off by a blank line; the others below by a line break.
constexpr std::array k_paragraphs = {"p"sv,   "h1"sv,         "h2"sv,    "h3"sv,     "h4"sv, "h5"sv, "h6"sv,
                                     "pre"sv, "blockquote"sv, "table"sv, "figure"sv, "hr"sv, "dl"sv};
constexpr std::array k_blocks = {"div"sv,     "section"sv, "article"sv, "header"sv,   "footer"sv,     "main"sv,
                                 "nav"sv,     "aside"sv,   "address"sv, "li"sv,       "dt"sv,         "dd"sv,
                                 "tr"sv,      "caption"sv, "form"sv,    "fieldset"sv, "figcaption"sv, "details"sv,
                                 "summary"sv, "center"sv,  "legend"sv,  "tbody"sv,    "thead"sv,      "tfoot"sv};

template <std::size_t N>
bool in(const std::array<std::string_view, N>& set, std::string_view tag) {
  return std::find(set.begin(), set.end(), tag) != set.end();
}

// A <meta charset> or http-equiv Content-Type near the top, which libxml2 will follow.
bool declares_charset(std::string_view html) {
  std::string head(html.substr(0, 2048));
  for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return head.find("charset=") != std::string::npos;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

std::string collapse(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (is_space(c)) {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

// Builds the text from libxml2's SAX events.
class Extractor {
 public:
  HtmlText run(std::string_view html, std::string_view charset) {
    static std::once_flag init;
    std::call_once(init, [] { xmlInitParser(); });
    htmlSAXHandler sax{};
    sax.startElement = [](void* self, const xmlChar* name, const xmlChar**) {
      static_cast<Extractor*>(self)->start(reinterpret_cast<const char*>(name));
    };
    sax.endElement = [](void* self, const xmlChar* name) {
      static_cast<Extractor*>(self)->end(reinterpret_cast<const char*>(name));
    };
    sax.characters = [](void* self, const xmlChar* text, int length) {
      static_cast<Extractor*>(self)->characters(
          {reinterpret_cast<const char*>(text), static_cast<std::size_t>(length)});
    };
    sax.ignorableWhitespace = sax.characters;
    sax.cdataBlock = sax.characters;  // script and style bodies, dropped by the skip stack
    sax.initialized = XML_SAX2_MAGIC;
    sax.serror = [](void*, xmlErrorPtr) {};  // parse errors are normal on the web; stay quiet

    ctxt_ = htmlCreatePushParserCtxt(&sax, this, nullptr, 0, nullptr, XML_CHAR_ENCODING_NONE);
    if (!ctxt_) throw std::bad_alloc();
    htmlCtxtUseOptions(ctxt_, HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    // Without a charset libxml2 falls back to Latin-1 (the HTML4 default); today's pages are
    // UTF-8, so text that is valid UTF-8 is read as such unless the page says otherwise.
    std::string encoding(charset);
    if (encoding.empty() && is_valid_utf8(html) && !declares_charset(html)) encoding = "utf-8";
    if (!encoding.empty())
      if (auto* handler = xmlFindCharEncodingHandler(encoding.c_str())) xmlSwitchToEncoding(ctxt_, handler);
    html = html.substr(0, INT_MAX);
    htmlParseChunk(ctxt_, html.data(), static_cast<int>(html.size()), 1);
    if (ctxt_->myDoc) xmlFreeDoc(ctxt_->myDoc);
    htmlFreeParserCtxt(ctxt_);
    ctxt_ = nullptr;

    while (!out_.empty() && (out_.back() == '\n' || out_.back() == ' ')) out_.pop_back();
    return {collapse(title_), std::move(out_), cut_};
  }

 private:
  void start(std::string_view tag) {
    open_.emplace_back(tag);
    if (open_.size() > static_cast<std::size_t>(k_max_html_depth) && !cut_) {
      cut_ = true;
      xmlStopParser(ctxt_);
      return;
    }
    if (tag == "title" && skipping_only_head()) ++in_title_;
    if (in(k_skipped, tag)) ++skip_;
    if (skip_) return;

    if (tag == "br") {
      hard_break();
    } else if (tag == "ul" || tag == "ol") {
      if (lists_.empty()) break_lines(2);
      lists_.push_back(tag == "ol" ? 1 : 0);
    } else if (tag == "li") {
      break_lines(1);
      std::string marker(lists_.empty() ? 0 : 2 * (lists_.size() - 1), ' ');
      if (!lists_.empty() && lists_.back() > 0)
        marker += std::to_string(lists_.back()++) + ". ";
      else
        marker += "- ";
      prefix_ = marker;
    } else if (tag.size() == 2 && tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6') {
      break_lines(2);
      prefix_ = std::string(tag[1] - '0', '#') + " ";
    } else if (tag == "td" || tag == "th") {
      if (cells_++ > 0) separator_ = " | ";
    } else if (tag == "tr") {
      break_lines(1);
      cells_ = 0;
    } else if (tag == "dd") {
      break_lines(1);
      prefix_ = "  ";
    } else if (in(k_paragraphs, tag)) {
      break_lines(2);
    } else if (in(k_blocks, tag)) {
      break_lines(1);
    }
    if (tag == "pre") ++pre_;
  }

  void end(std::string_view tag) {
    // libxml2 reports every element it closes, also the ones it closes implicitly.
    auto it = std::find(open_.rbegin(), open_.rend(), tag);
    if (it == open_.rend()) return;
    open_.erase(std::next(it).base(), open_.end());
    if (tag == "title" && in_title_) --in_title_;
    if (in(k_skipped, tag)) {
      if (skip_) --skip_;
      return;
    }
    if (skip_) return;
    if (tag == "pre" && pre_) --pre_;
    if ((tag == "ul" || tag == "ol") && !lists_.empty()) {
      lists_.pop_back();
      break_lines(lists_.empty() ? 2 : 1);
    } else if (in(k_paragraphs, tag)) {
      break_lines(2);
    } else if (in(k_blocks, tag)) {
      break_lines(1);
    }
  }

  void characters(std::string_view text) {
    if (in_title_) {
      title_ += text;
      return;
    }
    if (skip_) return;
    for (std::size_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      if (c == '\xC2' && i + 1 < text.size() && text[i + 1] == '\xA0') {  // &nbsp;
        c = ' ';
        ++i;
      }
      if (pre_ && c == '\n') {
        hard_break();
      } else if (is_space(c) && !pre_) {
        space_ = true;
      } else {
        put(c);
      }
    }
  }

  // The title is read in <head> (which is otherwise skipped) but not inside an <svg>.
  bool skipping_only_head() const {
    return std::none_of(open_.begin(), open_.end(),
                        [](const std::string& t) { return t != "head" && t != "title" && in(k_skipped, t); });
  }

  void put(char c) {
    if (newlines_ > 0) {
      out_ += prefix_;
      prefix_.clear();
    } else if (!separator_.empty()) {
      out_ += separator_;
    } else if (space_) {
      out_ += ' ';
    }
    separator_.clear();
    space_ = false;
    out_ += c;
    newlines_ = 0;
  }

  // At least `lines` line ends after the text so far (1: a new line, 2: a blank line).
  void break_lines(int lines) {
    space_ = false;
    separator_.clear();
    if (out_.empty()) return;  // no blank lines before the first text
    while (!out_.empty() && out_.back() == ' ') out_.pop_back();
    for (; newlines_ < lines; ++newlines_) out_ += '\n';
  }

  void hard_break() {
    space_ = false;
    separator_.clear();
    while (!out_.empty() && out_.back() == ' ') out_.pop_back();
    if (newlines_ < 2) {
      out_ += '\n';
      ++newlines_;
    }
  }

  htmlParserCtxtPtr ctxt_ = nullptr;
  std::vector<std::string> open_;  // elements open now, outermost first
  std::vector<int> lists_;         // per open list: next number (ol) or 0 (ul)
  int skip_ = 0, in_title_ = 0, pre_ = 0, cells_ = 0;
  std::string out_, title_, prefix_, separator_;
  int newlines_ = 2;  // line ends at the end of out_ (counts as a fresh paragraph at the start)
  bool space_ = false;
  bool cut_ = false;
};

}  // namespace

HtmlText html_to_text(std::string_view html, std::string_view charset) { return Extractor().run(html, charset); }

}  // namespace aop::engine::tools
