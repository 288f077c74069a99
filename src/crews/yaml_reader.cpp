// YAML text -> SourceDocument, through yaml-cpp. Plain scalars are typed with the YAML 1.2
// core schema (yaml_scalar.hpp); quoted and block scalars (`>`, `|`) are always strings.
#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <string>

#include "crews/source_document.hpp"
#include "crews/text_position.hpp"
#include "crews/yaml_scalar.hpp"

namespace aop::crews {

namespace {

namespace json = boost::json;

class YamlConverter {
 public:
  YamlConverter(std::string_view text, SourceMap& locations, Diagnostics& errors)
      : text_(text), locations_(locations), errors_(errors) {}

  bool over_budget() const { return values_ > k_max_document_values; }

  Location location_of(const YAML::Mark& mark) const {
    if (mark.pos < 0 || mark.line < 0) return {};
    return location_in_line(text_, static_cast<std::size_t>(mark.pos), mark.line);
  }

  json::value convert(const YAML::Node& node, std::string& path, int depth) {
    if (++values_ > k_max_document_values) return nullptr;
    if (depth > k_max_document_depth) {
      if (!too_deep_reported_)  // once: a recursive alias hits the limit on every branch
        error(path, "nested more than " + std::to_string(k_max_document_depth) + " levels deep",
              node.Mark());
      too_deep_reported_ = true;
      return nullptr;
    }
    switch (node.Type()) {
      case YAML::NodeType::Scalar:
        return scalar(node);
      case YAML::NodeType::Sequence:
        return sequence(node, path, depth);
      case YAML::NodeType::Map:
        return mapping(node, path, depth);
      default:
        return nullptr;
    }
  }

 private:
  static json::value scalar(const YAML::Node& node) {
    const std::string& tag = node.Tag();
    const std::string& text = node.Scalar();
    // "?" marks a plain scalar; explicit core tags other than !!str are typed the same way.
    if (tag == "?" || tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float" ||
        tag == "tag:yaml.org,2002:bool" || tag == "tag:yaml.org,2002:null")
      return resolve_plain_scalar(text);
    return json::string(text);
  }

  json::value sequence(const YAML::Node& node, std::string& path, int depth) {
    json::array out;
    out.reserve(node.size());
    const auto base = path.size();
    std::size_t index = 0;
    for (const auto& item : node) {
      append_index(path, index++);
      locations_.set(path, location_of(item.Mark()));
      out.push_back(convert(item, path, depth + 1));
      path.resize(base);
      if (over_budget()) break;
    }
    return out;
  }

  json::value mapping(const YAML::Node& node, std::string& path, int depth) {
    json::object out;
    out.reserve(node.size());
    const auto base = path.size();
    for (const auto& entry : node) {
      const YAML::Node& key = entry.first;
      if (!key.IsScalar() && !key.IsNull()) {
        error(path, "keys must be plain text, not lists or mappings", key.Mark());
        continue;
      }
      const std::string key_text = key.IsScalar() ? key.Scalar() : std::string();
      append_key(path, key_text);
      if (out.contains(key_text)) {
        error(path, "duplicate key \"" + key_text + "\"", key.Mark());
      } else {
        locations_.set(path, location_of(key.Mark()));
        out.emplace(key_text, convert(entry.second, path, depth + 1));
      }
      path.resize(base);
      if (over_budget()) break;
    }
    return out;
  }

  void error(const std::string& path, std::string message, const YAML::Mark& mark) {
    errors_.push_back({path, std::move(message), location_of(mark)});
  }

  std::string_view text_;
  SourceMap& locations_;
  Diagnostics& errors_;
  std::size_t values_ = 0;
  bool too_deep_reported_ = false;
};

std::string describe_char(char32_t c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
  return buf;
}

}  // namespace

ReadResult read_yaml_document(std::string_view text, std::string_view path_prefix) {
  ReadResult result;
  const std::string prefix(path_prefix);
  if (text.size() > k_max_document_bytes) {
    result.errors.push_back({prefix, "document is larger than " +
                                         std::to_string(k_max_document_bytes / 1024) + " KiB", {}});
    return result;
  }
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (auto bad = find_invalid_utf8(text); bad != std::string_view::npos) {
    result.errors.push_back({prefix, "document is not valid UTF-8", location_at(text, bad)});
    return result;
  }
  // yaml-cpp accepts control characters YAML forbids; rejecting them here keeps what the
  // writer emits readable by any YAML parser.
  for (std::size_t i = 0; i < text.size();) {
    std::size_t len = 1;
    char32_t c = decode_utf8(text, i, len);
    if (!is_yaml_printable(c)) {
      result.errors.push_back(
          {prefix, "character " + describe_char(c) + " is not allowed in YAML", location_at(text, i)});
      return result;
    }
    i += len;
  }

  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& e) {
    std::optional<Location> where;
    if (e.mark.pos >= 0 && e.mark.line >= 0)
      where = location_in_line(text, static_cast<std::size_t>(e.mark.pos), e.mark.line);
    std::string message = e.msg;
    if (message == "bad file") message = "nested too deeply";  // yaml-cpp's depth guard
    result.errors.push_back({prefix, "YAML syntax error: " + message, where});
    return result;
  }
  SourceDocument doc;
  YamlConverter converter(text, doc.locations, result.errors);
  if (documents.size() > 1) {
    result.errors.push_back({prefix, "only one YAML document is allowed; found " +
                                         std::to_string(documents.size()),
                             converter.location_of(documents[1].Mark())});
  }
  if (!prefix.empty()) doc.locations.set(prefix, {1, 1});
  if (!documents.empty()) {
    std::string path = prefix;
    doc.root = converter.convert(documents.front(), path, 0);
  }
  if (converter.over_budget()) {
    result.errors.push_back({prefix, "document has more than " +
                                         std::to_string(k_max_document_values) +
                                         " values (aliases expanded)", {}});
    return result;
  }
  result.document = std::move(doc);
  return result;
}

}  // namespace aop::crews
