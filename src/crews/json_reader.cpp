// JSON text -> SourceDocument. Boost.JSON parses (and gives exact syntax error offsets); a
// second, cheap pass over the now known-valid text records where each key and element
// starts and catches duplicate keys, which Boost.JSON silently merges.
#include <boost/json/parse.hpp>
#include <boost/json/stream_parser.hpp>

#include <cmath>
#include <string>
#include <unordered_set>
#include <vector>

#include "crews/source_document.hpp"
#include "crews/text_position.hpp"

namespace aop::crews {

namespace {

namespace json = boost::json;

class LocationScanner {
 public:
  LocationScanner(std::string_view text, std::string prefix, SourceMap& locations,
                  Diagnostics& errors)
      : text_(text), path_(std::move(prefix)), locations_(locations), errors_(errors) {}

  void run() {
    std::size_t i = 0;
    const auto n = text_.size();
    while (i < n) {
      char c = text_[i];
      switch (c) {
        case ' ': case '\t': case '\n': case '\r': case ':':
          ++i;
          break;
        case '{':
        case '[':
          value_start(i);
          frames_.push_back({c == '{', path_.size()});
          ++i;
          break;
        case '}':
        case ']':
          if (!frames_.empty()) frames_.pop_back();
          ++i;
          break;
        case ',':
          if (!frames_.empty()) {
            auto& f = frames_.back();
            if (f.object) f.expect_key = true;
            else ++f.index;
          }
          ++i;
          break;
        case '"': {
          auto end = string_end(i);
          if (!frames_.empty() && frames_.back().object && frames_.back().expect_key) {
            key(i, end);
          } else {
            value_start(i);
          }
          i = end;
          break;
        }
        default:  // number, true, false, null
          value_start(i);
          while (i < n && text_[i] != ',' && text_[i] != '}' && text_[i] != ']' &&
                 text_[i] != ' ' && text_[i] != '\n' && text_[i] != '\r' && text_[i] != '\t')
            ++i;
      }
    }
  }

 private:
  struct Frame {
    bool object;
    std::size_t base;  // path length of the container itself
    std::size_t index = 0;
    bool expect_key = true;
    std::unordered_set<std::string> keys;
  };

  // One past the closing quote of the string starting at `open`.
  std::size_t string_end(std::size_t open) const {
    std::size_t i = open + 1;
    while (i < text_.size() && text_[i] != '"') i += text_[i] == '\\' ? 2 : 1;
    return i + 1;
  }

  void value_start(std::size_t offset) {
    if (frames_.empty() || frames_.back().object) return;  // object values: recorded at the key
    auto& f = frames_.back();
    path_.resize(f.base);
    append_index(path_, f.index);
    locations_.set(path_, location_at(text_, offset));
  }

  void key(std::size_t open, std::size_t end) {
    auto& f = frames_.back();
    f.expect_key = false;
    auto raw = text_.substr(open, end - open);
    std::string name;
    if (raw.find('\\') == std::string_view::npos) {
      name = std::string(raw.substr(1, raw.size() - 2));
    } else {
      name = std::string(json::parse(raw).as_string());  // valid JSON: escapes decode
    }
    path_.resize(f.base);
    append_key(path_, name);
    auto where = location_at(text_, open);
    if (!f.keys.insert(name).second) {
      errors_.push_back({path_, "duplicate key \"" + name + "\"", where});
      return;
    }
    locations_.set(path_, where);
  }

  std::string_view text_;
  std::string path_;
  SourceMap& locations_;
  Diagnostics& errors_;
  std::vector<Frame> frames_;
};

// 1e400 parses to infinity, which JSON (and YAML's core schema) cannot write back.
void check_finite(const json::value& v, std::string& path, const SourceMap& locations,
                  Diagnostics& errors) {
  if (v.is_double() && !std::isfinite(v.get_double())) {
    errors.push_back({path, "number is out of range", locations.find(path)});
  } else if (v.is_array()) {
    const auto base = path.size();
    std::size_t i = 0;
    for (const auto& item : v.get_array()) {
      append_index(path, i++);
      check_finite(item, path, locations, errors);
      path.resize(base);
    }
  } else if (v.is_object()) {
    const auto base = path.size();
    for (const auto& [k, item] : v.get_object()) {
      append_key(path, k);
      check_finite(item, path, locations, errors);
      path.resize(base);
    }
  }
}

}  // namespace

ReadResult read_json_document(std::string_view text, std::string_view path_prefix) {
  ReadResult result;
  const std::string prefix(path_prefix);
  if (text.size() > k_max_document_bytes) {
    result.errors.push_back({prefix, "document is larger than " +
                                         std::to_string(k_max_document_bytes / 1024) + " KiB", {}});
    return result;
  }
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);

  json::parse_options options;
  options.max_depth = k_max_document_depth;
  json::stream_parser parser({}, options);
  json::error_code ec;
  auto consumed = parser.write(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    std::string message = ec.message();
    if (ec == json::error::too_deep)
      message = "nested more than " + std::to_string(k_max_document_depth) + " levels deep";
    else if (ec == json::error::syntax)
      message = "unexpected character";
    else if (ec == json::error::incomplete)
      message = "unexpected end of the document";
    else if (ec == json::error::extra_data)
      message = "unexpected text after the end of the document";
    result.errors.push_back({prefix, "JSON syntax error: " + message, location_at(text, consumed)});
    return result;
  }
  SourceDocument doc;
  doc.root = parser.release();
  if (!prefix.empty()) doc.locations.set(prefix, {1, 1});
  LocationScanner(text, prefix, doc.locations, result.errors).run();
  std::string path = prefix;
  check_finite(doc.root, path, doc.locations, result.errors);
  result.document = std::move(doc);
  return result;
}

}  // namespace aop::crews
