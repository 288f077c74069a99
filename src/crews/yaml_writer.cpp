// A small YAML emitter for JSON-shaped trees. Written by hand because what comes back must
// be exactly what went in: yaml-cpp's emitter loses a literal block's final line break,
// turns noncharacters into U+FFFD in quoted text, and writes \N as a raw byte. Quoting is
// conservative: a string is left plain only when it cannot be read as anything else.
#include "crews/yaml_writer.hpp"

#include <cstdio>

#include "crews/text_position.hpp"
#include "crews/yaml_scalar.hpp"

namespace aop::crews {

namespace {

namespace json = boost::json;

// YAML cannot hold an implicit key longer than 1024 characters; longer ones use "? key".
// Bytes as written, which are never fewer than characters.
constexpr std::size_t k_max_implicit_key = 512;

bool special_char(char32_t c) {
  if (c == '\t' || c == '\n') return false;
  if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) return true;
  if (c == 0x2028 || c == 0x2029 || c == 0xFEFF) return true;
  if (c >= 0xFDD0 && c <= 0xFDEF) return true;
  return (c & 0xFFFE) == 0xFFFE;
}

bool has_special_chars(std::string_view s) {
  if (find_invalid_utf8(s) != std::string_view::npos) return true;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = 1;
    if (special_char(decode_utf8(s, i, len))) return true;
    i += len;
  }
  return false;
}

bool plain_safe(std::string_view s, bool flow) {
  if (s.empty() || !resolve_plain_scalar(s).is_string()) return false;
  constexpr std::string_view k_indicators = "-?:,[]{}#&*!|>'\"%@`.<=~";
  if (k_indicators.find(s.front()) != std::string_view::npos) return false;
  if (s.front() == ' ' || s.back() == ' ' || s.back() == ':') return false;
  if (s.find(": ") != std::string_view::npos || s.find(" #") != std::string_view::npos) return false;
  if (s.find_first_of("\t\n\r\\") != std::string_view::npos) return false;
  if (flow && s.find_first_of(",[]{}:#") != std::string_view::npos) return false;
  return !has_special_chars(s);
}

// A `|` block gives back the text exactly when it ends in a single line break, does not
// start with blanks (which would need an indentation indicator), and has no blank-only
// lines or trailing blanks (which editors and the block's own rules eat).
bool literal_safe(std::string_view s) {
  if (s.size() < 2 || s.back() != '\n' || s[s.size() - 2] == '\n') return false;
  if (s[0] == ' ' || s[0] == '\t' || s[0] == '\n') return false;
  if (s.find('\r') != std::string_view::npos || has_special_chars(s)) return false;
  std::size_t start = 0;
  while (start < s.size()) {
    auto end = s.find('\n', start);
    auto line = s.substr(start, end - start);
    if (!line.empty() && (line.back() == ' ' || line.back() == '\t')) return false;
    start = end + 1;
  }
  return true;
}

void append_escape(std::string& out, char32_t c) {
  char buf[16];
  if (c <= 0xFF) std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned>(c));
  else if (c <= 0xFFFF) std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(c));
  else std::snprintf(buf, sizeof buf, "\\U%08X", static_cast<unsigned>(c));
  out += buf;
}

void double_quoted(std::string& out, std::string_view s) {
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = 1;
    char32_t c = decode_utf8(s, i, len);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (special_char(c)) append_escape(out, c);  // \x85, never \N (yaml-cpp misreads it)
        else out.append(s.substr(i, len));
    }
    i += len;
  }
  out += '"';
}

class Writer {
 public:
  std::string take() { return std::move(out_); }

  void root(const json::value& v) {
    if (v.is_object() && !v.get_object().empty()) return mapping(v.get_object(), 0, false);
    if (v.is_array() && !v.get_array().empty() && !flow_list(v.get_array()))
      return sequence(v.get_array(), 0, false);
    inline_value(v, false);
    out_ += '\n';
  }

 private:
  void indent(int n) { out_.append(static_cast<std::size_t>(n), ' '); }

  void scalar_string(std::string_view s, bool flow) {
    if (plain_safe(s, flow)) out_ += s;
    else double_quoted(out_, s);
  }

  static bool flow_list(const json::array& a) {
    std::size_t width = 0;
    for (const auto& v : a) {
      if (v.is_array() || v.is_object()) return false;
      if (v.is_string()) {
        if (v.get_string().find('\n') != json::string::npos) return false;
        width += v.get_string().size() + 2;
      } else {
        width += 8;
      }
    }
    return width <= 72;
  }

  // Scalars, empty containers and short scalar lists: written on the current line.
  void inline_value(const json::value& v, bool flow) {
    switch (v.kind()) {
      case json::kind::null: out_ += "null"; break;
      case json::kind::bool_: out_ += v.get_bool() ? "true" : "false"; break;
      case json::kind::int64: out_ += std::to_string(v.get_int64()); break;
      case json::kind::uint64: out_ += std::to_string(v.get_uint64()); break;
      case json::kind::double_: out_ += format_double(v.get_double()); break;
      case json::kind::string: scalar_string(v.get_string(), flow); break;
      case json::kind::object: out_ += "{}"; break;  // only ever empty here
      case json::kind::array: {
        out_ += '[';
        bool first = true;
        for (const auto& item : v.get_array()) {
          if (!first) out_ += ", ";
          first = false;
          inline_value(item, true);
        }
        out_ += ']';
        break;
      }
    }
  }

  // What follows "key:" or "-": a nested block, a literal block, or an inline value.
  // `column` is the indentation of the key or dash.
  void after_indicator(const json::value& v, int column, bool in_sequence) {
    if (v.is_object() && !v.get_object().empty()) {
      if (in_sequence) {
        out_ += ' ';
        return mapping(v.get_object(), column + 2, true);
      }
      out_ += '\n';
      return mapping(v.get_object(), column + 2, false);
    }
    if (v.is_array() && !v.get_array().empty() && !flow_list(v.get_array())) {
      if (in_sequence) {
        out_ += ' ';
        return sequence(v.get_array(), column + 2, true);
      }
      out_ += '\n';
      return sequence(v.get_array(), column + 2, false);
    }
    if (v.is_string() && literal_safe(v.get_string())) {
      out_ += " |\n";
      std::string_view s = v.get_string();
      std::size_t start = 0;
      while (start < s.size()) {
        auto end = s.find('\n', start);
        auto line = s.substr(start, end - start);
        if (!line.empty()) {
          indent(column + 2);
          out_ += line;
        }
        out_ += '\n';
        start = end + 1;
      }
      return;
    }
    out_ += ' ';
    inline_value(v, false);
    out_ += '\n';
  }

  void mapping(const json::object& o, int column, bool first_inline) {
    bool first = true;
    for (const auto& [key, value] : o) {
      if (!(first && first_inline)) indent(column);
      first = false;
      const auto key_start = out_.size();
      scalar_string(key, false);
      // Measured as written: escapes make a key of control characters four times longer.
      if (out_.size() - key_start > k_max_implicit_key) {
        out_.insert(key_start, "? ");
        out_ += '\n';
        indent(column);
      }
      out_ += ':';
      after_indicator(value, column, false);
    }
  }

  void sequence(const json::array& a, int column, bool first_inline) {
    bool first = true;
    for (const auto& item : a) {
      if (!(first && first_inline)) indent(column);
      first = false;
      out_ += '-';
      after_indicator(item, column, true);
    }
  }

  std::string out_;
};

}  // namespace

std::string write_yaml(const json::value& value) {
  Writer w;
  w.root(value);
  return w.take();
}

}  // namespace aop::crews
