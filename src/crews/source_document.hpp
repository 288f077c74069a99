#pragma once
// Reads YAML or JSON text into one shape: a JSON value tree plus the source position of
// every key and list element. The spec builder works on that shape only, so both formats
// (and CrewAI's two files) follow exactly the same rules.
#include <cstddef>
#include <optional>
#include <string_view>

#include <boost/json/value.hpp>

#include "crews/diagnostic.hpp"

namespace aop::crews {

inline constexpr std::size_t k_max_document_bytes = 2 * 1024 * 1024;
inline constexpr int k_max_document_depth = 64;
// Values and text after alias expansion: `*a` repeated in a tree of anchors grows
// exponentially, so the expanded document is bounded, not only the source text.
inline constexpr std::size_t k_max_document_values = 20'000;
inline constexpr std::size_t k_max_expanded_bytes = 2 * k_max_document_bytes;
// Locations are kept for paths up to this length; deeper or longer paths fall back to the
// nearest recorded ancestor. Keeps the source map linear in the document size.
inline constexpr std::size_t k_max_located_path = 256;
// Syntax-level problems reported per document before the reader stops listing them.
inline constexpr std::size_t k_max_reader_errors = 50;

struct SourceDocument {
  boost::json::value root;
  SourceMap locations;
};

struct ReadResult {
  std::optional<SourceDocument> document;  // absent when the text could not be read at all
  Diagnostics errors;                      // syntax errors, duplicate keys, limits
};

// `path_prefix` is prepended to every recorded path ("agents" for CrewAI's agents.yaml).
ReadResult read_yaml_document(std::string_view text, std::string_view path_prefix = {});
ReadResult read_json_document(std::string_view text, std::string_view path_prefix = {});

// "a.b" / "a[3]" path building shared by the readers and the spec builder.
void append_key(std::string& path, std::string_view key);
void append_index(std::string& path, std::size_t index);

}  // namespace aop::crews
