#include "engine/tools/content_type.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "engine/tools/tool_text.hpp"

namespace aop::engine::tools {

namespace {

std::string lower_trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool starts_like_html(std::string_view body) {
  std::size_t i = 0;
  if (body.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // UTF-8 byte order mark
  while (i < body.size() && std::isspace(static_cast<unsigned char>(body[i]))) ++i;
  auto head = lower_trimmed(body.substr(i, 15));
  return head.starts_with("<!doctype html") || head.starts_with("<html") || head.starts_with("<head") ||
         head.starts_with("<body");
}

}  // namespace

std::string media_type(std::string_view content_type) {
  return lower_trimmed(content_type.substr(0, content_type.find(';')));
}

std::string charset_of(std::string_view content_type) {
  auto params = lower_trimmed(content_type);
  auto at = params.find("charset=");
  if (at == std::string::npos) return {};
  auto value = params.substr(at + 8);
  value = value.substr(0, value.find(';'));
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
  return lower_trimmed(value);
}

ContentKind content_kind(std::string_view content_type, std::string_view body) {
  auto type = media_type(content_type);
  if (type == "text/html" || type == "application/xhtml+xml") return ContentKind::html;
  static constexpr std::array<std::string_view, 8> k_text_types = {"application/json",
                                                                   "application/xml",
                                                                   "application/javascript",
                                                                   "application/ecmascript",
                                                                   "application/yaml",
                                                                   "application/x-yaml",
                                                                   "application/x-www-form-urlencoded",
                                                                   "application/x-ndjson"};
  bool texty = type.starts_with("text/") || type.ends_with("+json") || type.ends_with("+xml") ||
               std::find(k_text_types.begin(), k_text_types.end(), type) != k_text_types.end();
  bool unknown = type.empty() || type == "application/octet-stream";
  if (!texty && !unknown) return ContentKind::binary;
  // Servers often mislabel; a body with NUL bytes is not text whatever the header says.
  auto sample = body.substr(0, 4096);
  if (looks_binary(sample)) return ContentKind::binary;
  if (unknown && starts_like_html(body)) return ContentKind::html;
  if (unknown && type == "application/octet-stream") return ContentKind::binary;
  return ContentKind::text;
}

}  // namespace aop::engine::tools
