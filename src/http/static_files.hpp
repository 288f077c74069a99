#pragma once
// Serves a directory of built assets (the web UI, Swagger UI) from memory. Files are loaded
// once at start-up, so requests never touch the disk from an I/O thread. Hashed assets
// (name-<hash>.ext) get a one-year immutable cache; others revalidate with ETag.
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "http/types.hpp"

namespace aop::http {

struct StaticFile {
  std::string content;
  std::optional<std::string> gzip;    // precompressed sibling "<name>.gz"
  std::optional<std::string> brotli;  // precompressed sibling "<name>.br" (preferred when accepted)
  std::string content_type;
  std::string etag;
  std::string last_modified;  // RFC 7231 date
  bool immutable = false;
};

class StaticFiles {
 public:
  // Loads every regular file under `dir` (missing dir = empty set).
  static StaticFiles load(const std::string& dir, std::size_t max_total_bytes = 256u << 20);

  bool empty() const { return files_.empty(); }
  std::size_t size() const { return files_.size(); }
  const StaticFile* find(const std::string& relative_path) const;

  // Builds the reply for `relative_path` ("index.html", "assets/app-1a2b3c4d.js"), honouring
  // If-None-Match and Accept-Encoding. nullopt when the file does not exist.
  std::optional<Reply> serve(const std::string& relative_path, const Request& request) const;

 private:
  std::map<std::string, StaticFile, std::less<>> files_;
};

std::string content_type_for(const std::string& path);
bool looks_hashed(const std::string& filename);

}  // namespace aop::http
