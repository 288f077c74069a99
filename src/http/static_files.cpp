#include "http/static_files.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace aop::http {

namespace fs = std::filesystem;

std::string content_type_for(const std::string& path) {
  static const std::map<std::string, std::string> types = {
      {".html", "text/html; charset=utf-8"},  {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},          {".map", "application/json"},
      {".svg", "image/svg+xml"},              {".png", "image/png"},
      {".jpg", "image/jpeg"},                 {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},                  {".webp", "image/webp"},
      {".ico", "image/x-icon"},               {".woff", "font/woff"},
      {".woff2", "font/woff2"},               {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},  {".yaml", "application/yaml"},
      {".webmanifest", "application/manifest+json"}, {".wasm", "application/wasm"},
  };
  auto ext = fs::path(path).extension().string();
  auto it = types.find(ext);
  return it == types.end() ? "application/octet-stream" : it->second;
}

bool looks_hashed(const std::string& filename) {
  // Vite names chunks like index-BdPZ3x1q.js: a dash or dot, then 8+ url-safe characters.
  static const std::regex hashed(R"(.*[-.][A-Za-z0-9_]{8,}\.[A-Za-z0-9]+$)");
  return std::regex_match(filename, hashed);
}

namespace {
std::string http_date(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}
std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
std::string etag_of(const std::string& content) {
  // FNV-1a 64: cheap and stable; strong validator for identical bytes.
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : content) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "\"%016llx\"", static_cast<unsigned long long>(h));
  return buf;
}
// True when the Accept-Encoding list names `coding` without q=0.
bool accepts_encoding(std::string_view header, std::string_view coding) {
  while (!header.empty()) {
    auto comma = header.find(',');
    auto item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    auto semicolon = item.find(';');
    auto name = item.substr(0, semicolon);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name != coding) continue;
    if (semicolon == std::string_view::npos) return true;
    auto q = item.substr(semicolon + 1);
    while (!q.empty() && q.front() == ' ') q.remove_prefix(1);
    return !(q == "q=0" || q == "q=0.0" || q == "q=0.00" || q == "q=0.000");
  }
  return false;
}

}  // namespace

StaticFiles StaticFiles::load(const std::string& dir, std::size_t max_total_bytes) {
  StaticFiles out;
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) return out;
  std::size_t total = 0;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    auto rel = fs::relative(it->path(), dir).generic_string();
    if (rel.ends_with(".gz") || rel.ends_with(".br")) continue;  // attached to the uncompressed file below
    if (it->path().filename().string().starts_with(".")) continue;  // build stamps, dotfiles
    if (total + it->file_size() > max_total_bytes) break;
    StaticFile f;
    f.content = read_file(it->path());
    total += f.content.size();
    auto gz = it->path().string() + ".gz";
    if (fs::exists(gz)) f.gzip = read_file(gz);
    auto br = it->path().string() + ".br";
    if (fs::exists(br)) f.brotli = read_file(br);
    f.content_type = content_type_for(rel);
    f.etag = etag_of(f.content);
    struct stat st{};
    if (::stat(it->path().c_str(), &st) == 0) f.last_modified = http_date(st.st_mtime);
    f.immutable = looks_hashed(it->path().filename().string());
    out.files_.emplace(rel, std::move(f));
  }
  return out;
}

const StaticFile* StaticFiles::find(const std::string& relative_path) const {
  auto it = files_.find(relative_path);
  return it == files_.end() ? nullptr : &it->second;
}

std::optional<Reply> StaticFiles::serve(const std::string& relative_path, const Request& request) const {
  const StaticFile* f = find(relative_path);
  if (!f) return std::nullopt;
  Reply r;
  auto& res = r.response;
  res.set(bhttp::field::etag, f->etag);
  if (!f->last_modified.empty()) res.set(bhttp::field::last_modified, f->last_modified);
  res.set(bhttp::field::cache_control,
          f->immutable ? "public, max-age=31536000, immutable" : "no-cache");
  res.set(bhttp::field::vary, "Accept-Encoding");
  if (auto inm = request.find(bhttp::field::if_none_match);
      inm != request.end() && inm->value().find(f->etag) != std::string_view::npos) {
    res.result(bhttp::status::not_modified);
    return r;
  }
  res.result(bhttp::status::ok);
  res.set(bhttp::field::content_type, f->content_type);
  std::string_view accepted;
  if (auto ae = request.find(bhttp::field::accept_encoding); ae != request.end()) accepted = ae->value();
  if (f->brotli && accepts_encoding(accepted, "br")) {
    res.set(bhttp::field::content_encoding, "br");
    res.body() = *f->brotli;
  } else if (f->gzip && accepts_encoding(accepted, "gzip")) {
    res.set(bhttp::field::content_encoding, "gzip");
    res.body() = *f->gzip;
  } else {
    res.body() = f->content;
  }
  return r;
}

}  // namespace aop::http
