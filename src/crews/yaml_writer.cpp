#include "crews/yaml_writer.hpp"

#include <yaml-cpp/yaml.h>

#include "crews/text_position.hpp"
#include "crews/yaml_scalar.hpp"

namespace aop::crews {

namespace {

namespace json = boost::json;

enum class Style { plain_or_quoted, double_quoted, escaped, literal };

// Characters that are legal but invisible or line-breaking, or that yaml-cpp's quoted
// style does not escape: written as \u escapes.
bool needs_escape(char32_t c) {
  if (c == '\n') return false;
  if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) return true;
  if (c == 0x2028 || c == 0x2029 || c == 0xFEFF) return true;
  if (c >= 0xFDD0 && c <= 0xFDEF) return true;
  return (c & 0xFFFE) == 0xFFFE;
}

// A `|` block gives back the text exactly when it ends in a single line break, does not
// start with blanks (which would need an indentation indicator) and has no blank-only line.
bool literal_safe(std::string_view s) {
  if (s.size() < 2 || s.back() != '\n' || s[s.size() - 2] == '\n') return false;
  if (s[0] == ' ' || s[0] == '\t' || s[0] == '\n') return false;
  std::size_t start = 0;
  while (start < s.size()) {
    auto end = s.find('\n', start);
    auto line = s.substr(start, end - start);
    if (!line.empty() && line.find_first_not_of(" \t") == std::string_view::npos) return false;
    if (!line.empty() && line.back() == ' ' ) return false;  // trailing blanks are easy to lose in editors
    start = end + 1;
  }
  return true;
}

Style choose_style(std::string_view s) {
  if (!resolve_plain_scalar(s).is_string()) return Style::double_quoted;
  bool multi_line = false;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = 1;
    char32_t c = decode_utf8(s, i, len);
    if (needs_escape(c)) return Style::escaped;
    if (c == '\n') multi_line = true;
    i += len;
  }
  if (!multi_line) return s.find('\t') != std::string_view::npos ? Style::double_quoted : Style::plain_or_quoted;
  return literal_safe(s) ? Style::literal : Style::double_quoted;
}

void emit_string(YAML::Emitter& e, std::string_view s) {
  const std::string text(s);
  switch (choose_style(s)) {
    case Style::plain_or_quoted:
      e << text;
      break;
    case Style::double_quoted:
      e << YAML::DoubleQuoted << text;
      break;
    case Style::escaped:
      e << YAML::EscapeNonAscii << YAML::DoubleQuoted << text << YAML::EmitNonAscii;
      break;
    case Style::literal:
      // yaml-cpp writes the block's own line break; the final one comes back through the
      // block's default ("clip") chomping.
      e << YAML::Literal << text.substr(0, text.size() - 1);
      break;
  }
}

bool short_scalar_list(const json::array& a) {
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

void emit(YAML::Emitter& e, const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      e << YAML::Null;
      break;
    case json::kind::bool_:
      e << v.get_bool();
      break;
    case json::kind::int64:
      e << v.get_int64();
      break;
    case json::kind::uint64:
      e << v.get_uint64();
      break;
    case json::kind::double_:
      e << format_double(v.get_double());  // plain: reads back as a float
      break;
    case json::kind::string:
      emit_string(e, v.get_string());
      break;
    case json::kind::array: {
      const auto& a = v.get_array();
      if (a.empty() || short_scalar_list(a)) e << YAML::Flow;
      e << YAML::BeginSeq;
      for (const auto& item : a) emit(e, item);
      e << YAML::EndSeq;
      break;
    }
    case json::kind::object: {
      const auto& o = v.get_object();
      if (o.empty()) e << YAML::Flow;
      e << YAML::BeginMap;
      for (const auto& [key, item] : o) {
        e << YAML::Key;
        emit_string(e, key);
        e << YAML::Value;
        emit(e, item);
      }
      e << YAML::EndMap;
      break;
    }
  }
}

}  // namespace

std::string write_yaml(const json::value& value) {
  YAML::Emitter e;
  e.SetIndent(2);
  e.SetNullFormat(YAML::LowerNull);
  e.SetBoolFormat(YAML::TrueFalseBool);
  emit(e, value);
  std::string out = e.c_str();
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out;
}

}  // namespace aop::crews
