// JSON text -> SourceDocument. Boost.JSON parses (and gives exact syntax error offsets); a
// second, cheap pass over the now known-valid text records where each key and element
// starts, catches duplicate keys (which Boost.JSON silently merges) and re-reads floating
// point numbers exactly (Boost.JSON 1.81's parser can be one unit in the last place off,
// which would make a document differ from itself after a round trip).
#include <boost/json/parse.hpp>
#include <boost/json/stream_parser.hpp>

#include <charconv>
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
  // Duplicate keys are rare and costly to look for, so the first pass only counts keys; the
  // caller compares that with the parsed tree and asks for a second, checking pass if needed.
  LocationScanner(std::string_view text, std::string prefix, SourceMap* locations,
                  Diagnostics& errors, json::value* root = nullptr)
      : text_(text), columns_(text), path_(std::move(prefix)), locations_(locations), errors_(errors),
        root_(root) {}

  std::size_t keys() const { return keys_; }

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
        case '[': {
          auto* target = value_target();
          value_start(i);
          frames_.emplace_back();
          frames_.back().object = c == '{';
          frames_.back().base = path_.size();
          frames_.back().container = target;
          ++i;
          break;
        }
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
        default: {  // number, true, false, null
          value_start(i);
          const auto start = i;
          while (i < n && text_[i] != ',' && text_[i] != '}' && text_[i] != ']' &&
                 text_[i] != ' ' && text_[i] != '\n' && text_[i] != '\r' && text_[i] != '\t')
            ++i;
          exact_double(text_.substr(start, i - start));
        }
      }
    }
  }

 private:
  struct Frame {
    bool object = false;
    std::size_t base = 0;  // path length of the container itself
    std::size_t index = 0;
    bool expect_key = true;
    std::unordered_set<std::string> keys;  // checking pass only
    std::string key;                       // objects: key of the value being read
    json::value* container = nullptr;      // the parsed value this container became
  };

  // The parsed value the next value in the text corresponds to, if known.
  json::value* value_target() {
    if (!root_) return nullptr;
    if (frames_.empty()) return root_;
    auto& f = frames_.back();
    if (!f.container) return nullptr;
    if (f.object) return f.container->is_object() ? f.container->get_object().if_contains(f.key) : nullptr;
    if (!f.container->is_array() || f.index >= f.container->get_array().size()) return nullptr;
    return &f.container->get_array()[f.index];
  }

  void exact_double(std::string_view token) {
    auto* target = value_target();
    if (!target || !target->is_double()) return;
    double d = 0;
    auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), d);
    if (ec == std::errc() && ptr == token.data() + token.size() && std::isfinite(d)) *target = d;
  }

  // One past the closing quote of the string starting at `open`.
  std::size_t string_end(std::size_t open) const {
    std::size_t i = open + 1;
    while (true) {
      auto quote = text_.find('"', i);
      if (quote == std::string_view::npos) return text_.size();
      std::size_t backslashes = 0;
      while (quote - backslashes > open + 1 && text_[quote - backslashes - 1] == '\\') ++backslashes;
      if (backslashes % 2 == 0) return quote + 1;  // not escaped
      i = quote + 1;
    }
  }

  void value_start(std::size_t offset) {
    if (frames_.empty() || frames_.back().object) return;  // object values: recorded at the key
    auto& f = frames_.back();
    path_.resize(f.base);
    append_index(path_, f.index);
    locate(offset);
  }

  void key(std::size_t open, std::size_t end) {
    auto& f = frames_.back();
    f.expect_key = false;
    ++keys_;
    auto raw = text_.substr(open, end - open);
    std::string name;
    if (raw.find('\\') == std::string_view::npos) {
      name = std::string(raw.substr(1, raw.size() - 2));
    } else {
      name = std::string(json::parse(raw).as_string());  // valid JSON: escapes decode
    }
    if (root_) f.key = name;
    path_.resize(f.base);
    append_key(path_, name);
    if (!locations_) {  // checking pass
      if (!f.keys.insert(name).second && errors_.size() < k_max_reader_errors)
        errors_.push_back({path_, "duplicate key \"" + name + "\"", location_at(text_, open)});
      return;
    }
    locate(open);
  }

  void locate(std::size_t offset) {
    if (!locations_ || path_.size() > k_max_located_path) return;
    // Line starts are found incrementally: the scan only moves forward.
    while (line_scan_ < offset) {
      if (text_[line_scan_] == '\n') {
        ++line_;
        line_start_ = line_scan_ + 1;
      }
      ++line_scan_;
    }
    locations_->set(std::string_view(path_), Location{line_, columns_.column(line_start_, offset)});
  }

  std::string_view text_;
  ColumnIndex columns_;
  std::string path_;
  SourceMap* locations_;  // null in the duplicate-checking pass
  Diagnostics& errors_;
  json::value* root_;     // set in the first pass, to correct floating point values
  std::vector<Frame> frames_;
  std::size_t keys_ = 0;
  std::size_t line_scan_ = 0;
  std::size_t line_start_ = 0;
  int line_ = 1;
};

// 1e400 parses to infinity, which JSON (and YAML's core schema) cannot write back.
// Also counts the keys the parser kept, to notice duplicates it merged.
void check_values(const json::value& v, std::string& path, const SourceMap& locations,
                  Diagnostics& errors, std::size_t& keys) {
  if (v.is_double() && !std::isfinite(v.get_double())) {
    if (errors.size() < k_max_reader_errors) errors.push_back({path, "number is out of range", locations.find(path)});
  } else if (v.is_array()) {
    const auto base = path.size();
    std::size_t i = 0;
    for (const auto& item : v.get_array()) {
      append_index(path, i++);
      check_values(item, path, locations, errors, keys);
      path.resize(base);
    }
  } else if (v.is_object()) {
    const auto base = path.size();
    keys += v.get_object().size();
    for (const auto& [k, item] : v.get_object()) {
      append_key(path, k);
      check_values(item, path, locations, errors, keys);
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
  LocationScanner scanner(text, prefix, &doc.locations, result.errors, &doc.root);
  scanner.run();
  std::string path = prefix;
  std::size_t kept_keys = 0;
  check_values(doc.root, path, doc.locations, result.errors, kept_keys);
  if (kept_keys != scanner.keys()) LocationScanner(text, prefix, nullptr, result.errors).run();
  result.document = std::move(doc);
  return result;
}

}  // namespace aop::crews
