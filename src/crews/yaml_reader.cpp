// YAML text -> SourceDocument. libyaml's event parser drives a small builder, so the tree
// is built once, straight into JSON values, and every limit (depth, expanded size, number
// of documents) is enforced while parsing rather than after. Plain scalars are typed with
// the YAML 1.2 core schema (yaml_scalar.hpp); quoted and block scalars are strings.
// libyaml rather than yaml-cpp: the editor validates on every keystroke, and yaml-cpp took
// about 2 ms for a 20-agent crew where libyaml takes a fraction of that.
#include <yaml.h>

#include <algorithm>
#include <cstdio>
#include <new>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "crews/source_document.hpp"
#include "crews/text_position.hpp"
#include "crews/yaml_breaks.hpp"
#include "crews/yaml_scalar.hpp"

namespace aop::crews {

namespace {

namespace json = boost::json;

// libyaml's parser and scanner stacks grow with nesting, so a 2 MiB line of '[' would
// cost a hundred MiB or more. Past k_max_document_depth nodes are only skipped; past this
// the document is refused outright.
constexpr std::size_t k_max_parse_depth = 500;

// Character index of a position in the text, as libyaml counts (see CharIndex).
using Mark = std::size_t;
constexpr Mark k_no_mark = static_cast<Mark>(-1);

// Thrown from the builder to stop parsing early; the diagnostic is already recorded.
struct StopParsing {};

std::string_view as_text(const yaml_char_t* s, std::size_t length) {
  return {reinterpret_cast<const char*>(s), length};
}

std::string_view as_text(const yaml_char_t* s) {
  return s ? std::string_view(reinterpret_cast<const char*>(s)) : std::string_view();
}

// Explicit core tags other than !!str type a scalar as if it were plain.
bool is_typing_tag(std::string_view tag) {
  constexpr std::string_view prefix = "tag:yaml.org,2002:";
  if (!tag.starts_with(prefix)) return false;
  tag.remove_prefix(prefix.size());
  return tag == "int" || tag == "float" || tag == "bool" || tag == "null";
}

bool is_null_text(std::string_view t) { return t.empty() || t == "~" || t == "null" || t == "Null" || t == "NULL"; }

class TreeBuilder {
 public:
  // `breaks_hidden`: libyaml reads text from hide_yaml11_breaks, so scalars need restoring.
  TreeBuilder(std::string_view text, std::string prefix, SourceMap& locations, Diagnostics& errors,
              bool breaks_hidden)
      : chars_(text),
        prefix_(prefix),
        path_(std::move(prefix)),
        locations_(locations),
        errors_(errors),
        breaks_hidden_(breaks_hidden) {}

  json::value take_root() { return std::move(root_); }
  bool failed() const { return failed_; }  // stopped by a limit: no usable tree

  std::optional<Location> location_of(Mark mark) const {
    if (mark == k_no_mark) return std::nullopt;
    return chars_.location(mark);
  }

  void handle(const yaml_event_t& e) {
    const Mark mark = e.start_mark.index;
    switch (e.type) {
      case YAML_DOCUMENT_START_EVENT: return document_start(mark);
      case YAML_SCALAR_EVENT: return scalar(e, mark);
      case YAML_ALIAS_EVENT: return alias(mark, as_text(e.data.alias.anchor));
      case YAML_SEQUENCE_START_EVENT: return open(mark, as_text(e.data.sequence_start.anchor), false);
      case YAML_MAPPING_START_EVENT: return open(mark, as_text(e.data.mapping_start.anchor), true);
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: return close();
      default: return;  // stream start/end, document end, no-event
    }
  }

  void error(const std::string& path, std::string message, Mark mark) {
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
    Mark mark = k_no_mark;
    std::string anchor;            // empty: none
    std::size_t anchor_serial = 0;  // which definition of `anchor` this container is
    std::size_t values_at_start = 0, bytes_at_start = 0;
  };

  struct Anchored {
    std::size_t serial = 0;  // definitions in document order: a later one of the same name wins
    bool complete = false;
    json::value value;
    std::size_t values = 0, bytes = 0;
  };

  void document_start(Mark mark) {
    if (documents_++ > 0) {
      error(prefix_, "unexpected content after the first document; a crew is one YAML document", mark);
      throw StopParsing{};
    }
  }

  void scalar(const yaml_event_t& e, Mark mark) {
    if (discarding()) return;
    const auto& s = e.data.scalar;
    std::string_view text = as_text(s.value, s.length);
    std::string restored;
    if (breaks_hidden_) {
      restored.assign(text);
      restore_yaml11_breaks(restored);
      text = restored;
    }
    const std::string_view anchor = as_text(s.anchor);
    const bool plain = s.style == YAML_PLAIN_SCALAR_STYLE;
    if (in_key_position()) {
      // JSON keys are text: a null key (`~:`, `null:`, an empty `? `) is the empty key.
      if (plain && !s.tag && is_null_text(text)) {
        store_anchor(anchor, nullptr, 1, 0);
        return key(mark, "");
      }
      store_anchor(anchor, json::string(text), 1, text.size());
      return key(mark, text);
    }
    place(mark);
    const bool typed = s.tag ? is_typing_tag(as_text(s.tag)) : plain;
    json::value v = typed ? resolve_plain_scalar(text) : json::value(json::string(text));
    charge(1, text.size());
    store_anchor(anchor, v, 1, text.size());
    attach(std::move(v));
  }

  void alias(Mark mark, std::string_view name) {
    if (discarding()) return;
    auto found = anchors_.find(name);
    if (found == anchors_.end()) {
      error(prefix_, "YAML syntax error: alias *" + std::string(name) + " refers to no anchor before it", mark);
      failed_ = true;
      throw StopParsing{};
    }
    const auto& a = found->second;
    if (!a.complete) {
      if (in_key_position()) {
        error(path_, "an alias cannot refer to a node that contains it", mark);
        return unusable_key();
      }
      place(mark);
      error(path_, "an alias cannot refer to a node that contains it", mark);
      charge(1, 0);
      return attach(nullptr);
    }
    if (in_key_position()) {
      if (a.value.is_string()) return key(mark, a.value.get_string());
      error(path_, "keys must be plain text, not lists or mappings", mark);
      return unusable_key();
    }
    place(mark);
    charge(a.values, a.bytes);  // aliases expand, so their copies count against the budget
    attach(a.value);
  }

  bool discarding() const { return discard_depth_ > 0; }
  bool in_key_position() const { return !frames_.empty() && frames_.back().is_map && frames_.back().expect_key; }

  void charge(std::size_t values, std::size_t bytes) {
    values_ += values;
    bytes_ += bytes;
    if (values_ > k_max_document_values || bytes_ > k_max_expanded_bytes) {
      error(prefix_, "document is too large once aliases are expanded (limits: " +
                               std::to_string(k_max_document_values) + " values, " +
                               std::to_string(k_max_expanded_bytes / 1024) + " KiB of text)",
            k_no_mark);
      failed_ = true;
      throw StopParsing{};
    }
  }

  void locate(Mark mark) {
    if (path_.size() > k_max_located_path || keys_open_ > 0) return;
    auto where = location_of(mark);
    if (!where) return;
    charge(0, path_.size());
    locations_.set(std::string_view(path_), *where);
  }

  // Sets the path for a node about to be added to a sequence and records where it is.
  void place(Mark mark) {
    if (frames_.empty() || frames_.back().is_map) return;  // map values: placed at their key
    auto& f = frames_.back();
    path_.resize(f.base);
    append_index(path_, f.index);
    locate(mark);
  }

  void key(Mark mark, std::string_view text) {
    auto& f = frames_.back();
    f.expect_key = false;
    charge(0, text.size());
    path_.resize(f.base);
    append_key(path_, text);
    f.drop_value = f.value.get_object().contains(text);
    if (f.drop_value) {
      error(path_, "duplicate key \"" + std::string(text) + "\"", mark);
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

  void store_anchor(std::string_view anchor, const json::value& v, std::size_t values, std::size_t bytes) {
    if (anchor.empty()) return;
    anchors_.insert_or_assign(std::string(anchor), Anchored{++anchor_serial_, true, v, values, bytes});
  }

  void open(Mark mark, std::string_view anchor, bool is_map) {
    if (frames_.size() + static_cast<std::size_t>(discard_depth_) >= k_max_parse_depth) {
      error(prefix_, "YAML syntax error: nested too deeply", mark);
      failed_ = true;
      throw StopParsing{};
    }
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
    // In progress: an alias to it from inside would be recursive.
    if (!anchor.empty()) anchors_.insert_or_assign(std::string(anchor), Anchored{++anchor_serial_});
    Frame f;
    f.is_map = is_map;
    f.value = is_map ? json::value(json::object()) : json::value(json::array());
    f.base = path_.size();
    f.in_key = in_key;
    f.mark = mark;
    f.anchor = anchor;
    f.anchor_serial = anchor_serial_;
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
    // An alias refers to the latest definition of its name: if one inside this container
    // reused the name, that one stays.
    if (!f.anchor.empty()) {
      auto& a = anchors_.find(f.anchor)->second;  // entered by open()
      if (a.serial == f.anchor_serial) {
        const std::size_t values = values_ - f.values_at_start, bytes = bytes_ - f.bytes_at_start;
        charge(values, bytes);  // the kept copy costs as much again (nested anchors would add up)
        a = Anchored{f.anchor_serial, true, f.value, values, bytes};
      }
    }
    attach(std::move(f.value));
  }

  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  CharIndex chars_;
  const std::string prefix_;  // path of the document root ("agents" for CrewAI's agents.yaml)
  std::string path_;
  SourceMap& locations_;
  Diagnostics& errors_;
  std::vector<Frame> frames_;
  std::unordered_map<std::string, Anchored, Hash, std::equal_to<>> anchors_;
  json::value root_;
  std::size_t values_ = 0;
  std::size_t bytes_ = 0;  // scalars, keys and recorded paths produced so far
  std::size_t anchor_serial_ = 0;
  int documents_ = 0;
  int discard_depth_ = 0;  // containers being skipped past the depth limit
  int keys_open_ = 0;      // containers being read in key position (reported, then dropped)
  bool failed_ = false;
  const bool breaks_hidden_;
};

// Owners of libyaml's C structures, released on every path out (including StopParsing).
struct Parser {
  yaml_parser_t p;
  explicit Parser(std::string_view text) {
    if (!yaml_parser_initialize(&p)) throw std::bad_alloc();
    yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);  // checked and BOM-stripped already
    yaml_parser_set_input_string(&p, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  }
  ~Parser() { yaml_parser_delete(&p); }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;
};

struct Event {
  yaml_event_t e{};
  ~Event() { yaml_event_delete(&e); }
};

std::string syntax_error_message(const yaml_parser_t& p, const TreeBuilder& builder) {
  if (p.error == YAML_MEMORY_ERROR) return "YAML syntax error: out of memory";
  std::string message = "YAML syntax error: ";
  message += p.problem ? p.problem : "unreadable document";
  if (p.context) {
    message += " (";
    message += p.context;
    auto where = builder.location_of(p.context_mark.index);
    message += " that starts at line " + std::to_string(where->line) + ", column " + std::to_string(where->column);
    message += ')';
  }
  return message;
}

// Offset of the first character YAML does not allow, or npos. ASCII is checked inline:
// documents are mostly ASCII, and this runs on every keystroke in the editor.
std::size_t find_unprintable(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7F) return i;
      ++i;
      continue;
    }
    std::size_t len = 1;
    if (!is_yaml_printable(decode_utf8(text, i, len))) return i;
    i += len;
  }
  return std::string_view::npos;
}

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
  // libyaml refuses these too, but without saying which character; checked here so the
  // message names it.
  if (auto bad = find_unprintable(text); bad != std::string_view::npos) {
    std::size_t len = 1;
    result.errors.push_back({prefix, "character " + describe_char(decode_utf8(text, bad, len)) +
                                         " is not allowed in YAML", location_at(text, bad)});
    return result;
  }

  SourceDocument doc;
  if (!prefix.empty()) doc.locations.set(prefix, {1, 1});
  const auto hidden = hide_yaml11_breaks(text);
  TreeBuilder builder(text, prefix, doc.locations, result.errors, hidden.has_value());
  Parser parser(hidden ? std::string_view(*hidden) : text);
  try {
    for (;;) {
      Event event;
      if (!yaml_parser_parse(&parser.p, &event.e)) {
        // Reader errors (bad bytes) carry a byte offset; the checks above leave none.
        auto where = parser.p.error == YAML_READER_ERROR
                         ? std::optional<Location>(location_at(text, parser.p.problem_offset))
                         : builder.location_of(parser.p.problem_mark.index);
        result.errors.push_back({prefix, syntax_error_message(parser.p, builder), where});
        return result;
      }
      if (event.e.type == YAML_STREAM_END_EVENT) break;
      builder.handle(event.e);
    }
  } catch (const StopParsing&) {
    if (builder.failed()) return result;
  }
  doc.root = builder.take_root();
  result.document = std::move(doc);
  return result;
}

}  // namespace aop::crews
