#pragma once
// Problems found in a crew document, with the path of the offending key
// ("tasks.review.context[0]") and, when known, where it sits in the source text so an
// editor can underline it.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace aop::crews {

// 1-based line and column; columns count Unicode characters, not bytes.
struct Location {
  int line = 0;
  int column = 0;
  bool operator==(const Location&) const = default;
};

// Path -> location of every key and list element read from the source text. Positions
// describe where a spec came from, not what it is, so they never affect equality.
class SourceMap {
 public:
  void set(std::string path, Location location) { entries_.insert_or_assign(std::move(path), location); }
  void set(std::string_view path, Location location) { set(std::string(path), location); }
  // The location of `path`, or of its nearest ancestor that has one ("tasks.a.agent" falls
  // back to "tasks.a", then "tasks").
  std::optional<Location> find(std::string_view path) const;
  std::optional<Location> find_exact(std::string_view path) const;
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  void clear() { entries_.clear(); }
  void merge(SourceMap&& other) { entries_.merge(other.entries_); }
  void reserve(std::size_t n) { entries_.reserve(n); }

  friend bool operator==(const SourceMap&, const SourceMap&) { return true; }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, Location, Hash, std::equal_to<>> entries_;
};

struct Diagnostic {
  std::string path;  // "" = the document as a whole
  std::string message;
  std::optional<Location> location;
  bool operator==(const Diagnostic&) const = default;
};

using Diagnostics = std::vector<Diagnostic>;

// A list stops at this many entries (plus one saying so): enough for any editor, and a
// hostile document cannot turn 2 MiB of text into millions of messages.
inline constexpr std::size_t k_max_diagnostics = 1000;

// Appends unless the list is full; the first refusal adds a final "too many problems" note.
void add_diagnostic(Diagnostics& list, Diagnostic diagnostic);

// "path: message (line L, column C)", for logs and test failure messages.
std::string to_string(const Diagnostic& diagnostic);

}  // namespace aop::crews
