// YAML text -> SourceDocument. yaml-cpp's event parser drives a small builder, so the tree
// is built once, straight into JSON values, and every limit (depth, expanded size, number
// of documents) is enforced while parsing rather than after. Plain scalars are typed with
// the YAML 1.2 core schema (yaml_scalar.hpp); quoted and block scalars are strings.
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "crews/source_document.hpp"
#include "crews/text_position.hpp"
#include "crews/yaml_scalar.hpp"

namespace aop::crews {

namespace {

namespace json = boost::json;

// Thrown from the handler to stop yaml-cpp early; the diagnostic is already recorded.
struct StopParsing {};

class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(std::string_view text, std::string prefix, SourceMap& locations, Diagnostics& errors)
      : columns_(text), prefix_(prefix), path_(std::move(prefix)), locations_(locations), errors_(errors) {}

  json::value take_root() { return std::move(root_); }
  bool failed() const { return failed_; }  // stopped by a limit: no usable tree

  std::optional<Location> location_of(const YAML::Mark& mark) const {
    // yaml-cpp counts columns in bytes; editors want characters.
    if (mark.pos < 0 || mark.line < 0 || mark.column < 0 || mark.column > mark.pos) return std::nullopt;
    const auto pos = static_cast<std::size_t>(mark.pos);
    return Location{mark.line + 1, columns_.column(pos - static_cast<std::size_t>(mark.column), pos)};
  }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (documents_++ > 0) {
      error(prefix_, "unexpected content after the first document; a crew is one YAML document", mark);
      throw StopParsing{};  // also sidesteps yaml-cpp looping on stray ',' at the top level
    }
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (discarding()) return;
    if (in_key_position()) return key(mark, "");
    place(mark);
    charge(1, 0);
    store_anchor(anchor, nullptr, 1, 0);
    attach(nullptr);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& text) override {
    if (discarding()) return;
    if (in_key_position()) {
      store_anchor(anchor, json::string(text), 1, text.size());
      return key(mark, text);
    }
    place(mark);
    // "?" marks a plain scalar; explicit core tags other than !!str are typed the same way.
    json::value v = (tag == "?" || tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float" ||
                     tag == "tag:yaml.org,2002:bool" || tag == "tag:yaml.org,2002:null")
                        ? resolve_plain_scalar(text)
                        : json::value(json::string(text));
    charge(1, text.size());
    store_anchor(anchor, v, 1, text.size());
    attach(std::move(v));
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (discarding()) return;
    if (anchor >= anchors_.size() || !anchors_[anchor].complete) {
      if (in_key_position()) {
        error(path_, "an alias cannot refer to a node that contains it", mark);
        return unusable_key();
      }
      place(mark);
      error(path_, "an alias cannot refer to a node that contains it", mark);
      charge(1, 0);
      return attach(nullptr);
    }
    const auto& a = anchors_[anchor];
    if (in_key_position()) {
      if (a.value.is_string()) return key(mark, std::string(a.value.get_string()));
      error(path_, "keys must be plain text, not lists or mappings", mark);
      return unusable_key();
    }
    place(mark);
    charge(a.values, a.bytes);  // aliases expand, so their copies count against the budget
    attach(a.value);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor, false);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor, true);
  }
  void OnMapEnd() override { close(); }

  void error(const std::string& path, std::string message, const YAML::Mark& mark) {
    if (errors_.size() < k_max_reader_errors) errors_.push_back({path, std::move(message), location_of(mark)});
  }

 private:
  struct Frame {
    bool is_map = false;
    json::value value;
    std::size_t base = 0;          // path length of the container itself
    std::size_t index = 0;         // next sequence index
    bool expect_key = true;        // maps: the next node is a key
    std::string key;               // maps: key of the value being read
    bool drop_value = false;       // maps: the key was unusable, so is its value
    bool in_key = false;           // this container is itself used as a key
    YAML::Mark mark;
    YAML::anchor_t anchor = 0;
    std::size_t values_at_start = 0, bytes_at_start = 0;
  };

  struct Anchored {
    bool complete = false;
    json::value value;
    std::size_t values = 0, bytes = 0;
  };

  bool discarding() const { return discard_depth_ > 0; }
  bool in_key_position() const { return !frames_.empty() && frames_.back().is_map && frames_.back().expect_key; }

  void charge(std::size_t values, std::size_t bytes) {
    values_ += values;
    bytes_ += bytes;
    if (values_ > k_max_document_values || bytes_ > k_max_expanded_bytes) {
      error(prefix_, "document is too large once aliases are expanded (limits: " +
                               std::to_string(k_max_document_values) + " values, " +
                               std::to_string(k_max_expanded_bytes / 1024) + " KiB of text)",
            YAML::Mark::null_mark());
      failed_ = true;
      throw StopParsing{};
    }
  }

  void locate(const YAML::Mark& mark) {
    if (path_.size() > k_max_located_path || keys_open_ > 0) return;
    auto where = location_of(mark);
    if (!where) return;
    charge(0, path_.size());
    locations_.set(std::string_view(path_), *where);
  }

  // Sets the path for a node about to be added to a sequence and records where it is.
  void place(const YAML::Mark& mark) {
    if (frames_.empty() || frames_.back().is_map) return;  // map values: placed at their key
    auto& f = frames_.back();
    path_.resize(f.base);
    append_index(path_, f.index);
    locate(mark);
  }

  void key(const YAML::Mark& mark, const std::string& text) {
    auto& f = frames_.back();
    f.expect_key = false;
    charge(0, text.size());
    path_.resize(f.base);
    append_key(path_, text);
    f.drop_value = f.value.get_object().contains(text);
    if (f.drop_value) {
      error(path_, "duplicate key \"" + text + "\"", mark);
      return;
    }
    f.key = text;
    locate(mark);
  }

  // A map key that is not text: reported by the caller; its value is read and dropped.
  void unusable_key() {
    auto& f = frames_.back();
    f.expect_key = false;
    f.drop_value = true;
  }

  void attach(json::value v) {
    if (frames_.empty()) {
      root_ = std::move(v);
      return;
    }
    auto& f = frames_.back();
    if (!f.is_map) {
      f.value.get_array().push_back(std::move(v));
      ++f.index;
      return;
    }
    if (!f.drop_value) f.value.get_object().emplace(f.key, std::move(v));
    f.expect_key = true;
    f.drop_value = false;
  }

  void store_anchor(YAML::anchor_t anchor, const json::value& v, std::size_t values, std::size_t bytes) {
    if (anchor == 0) return;
    if (anchors_.size() <= anchor) anchors_.resize(anchor + 1);
    anchors_[anchor] = {true, v, values, bytes};
  }

  void open(const YAML::Mark& mark, YAML::anchor_t anchor, bool is_map) {
    if (discarding()) {
      ++discard_depth_;
      return;
    }
    const bool in_key = in_key_position();
    if (frames_.size() >= static_cast<std::size_t>(k_max_document_depth)) {
      if (!in_key) place(mark);
      error(path_, "nested more than " + std::to_string(k_max_document_depth) + " levels deep", mark);
      ++discard_depth_;
      return;
    }
    if (in_key) ++keys_open_;
    else place(mark);
    if (anchor != 0) {
      if (anchors_.size() <= anchor) anchors_.resize(anchor + 1);
      anchors_[anchor] = {};  // in progress: an alias to it now would be recursive
    }
    Frame f;
    f.is_map = is_map;
    f.value = is_map ? json::value(json::object()) : json::value(json::array());
    f.base = path_.size();
    f.in_key = in_key;
    f.mark = mark;
    f.anchor = anchor;
    f.values_at_start = values_;
    f.bytes_at_start = bytes_;
    frames_.push_back(std::move(f));
  }

  void close() {
    if (discarding()) {
      if (--discard_depth_ > 0) return;
      if (in_key_position()) return unusable_key();
      charge(1, 0);
      return attach(nullptr);
    }
    Frame f = std::move(frames_.back());
    frames_.pop_back();
    if (f.in_key) {
      --keys_open_;
      error(path_.substr(0, std::min(path_.size(), f.base)), "keys must be plain text, not lists or mappings",
            f.mark);
      return unusable_key();
    }
    charge(1, 0);  // the container itself; its contents were charged as they arrived
    if (f.anchor != 0) {
      const std::size_t values = values_ - f.values_at_start, bytes = bytes_ - f.bytes_at_start;
      charge(values, bytes);  // the kept copy costs as much again (nested anchors would add up)
      anchors_[f.anchor] = {true, f.value, values, bytes};
    }
    attach(std::move(f.value));
  }

  ColumnIndex columns_;
  const std::string prefix_;  // path of the document root ("agents" for CrewAI's agents.yaml)
  std::string path_;
  SourceMap& locations_;
  Diagnostics& errors_;
  std::vector<Frame> frames_;
  std::vector<Anchored> anchors_;
  json::value root_;
  std::size_t values_ = 0;
  std::size_t bytes_ = 0;  // scalars, keys and recorded paths produced so far
  int documents_ = 0;
  int discard_depth_ = 0;  // containers being skipped past the depth limit
  int keys_open_ = 0;      // containers being read in key position (reported, then dropped)
  bool failed_ = false;
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

  SourceDocument doc;
  if (!prefix.empty()) doc.locations.set(prefix, {1, 1});
  TreeBuilder builder(text, prefix, doc.locations, result.errors);
  std::istringstream stream{std::string(text)};
  try {
    YAML::Parser parser(stream);
    parser.HandleNextDocument(builder);
    parser.HandleNextDocument(builder);  // only to notice a second document
  } catch (const StopParsing&) {
    if (builder.failed()) return result;
  } catch (const YAML::Exception& e) {
    std::optional<Location> where;
    if (e.mark.pos >= 0 && e.mark.line >= 0)
      where = location_in_line(text, static_cast<std::size_t>(e.mark.pos), e.mark.line);
    std::string message = e.msg;
    if (message == "bad file") message = "nested too deeply";  // yaml-cpp's depth guard
    result.errors.push_back({prefix, "YAML syntax error: " + message, where});
    return result;
  }
  doc.root = builder.take_root();
  result.document = std::move(doc);
  return result;
}

}  // namespace aop::crews
