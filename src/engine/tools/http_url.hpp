#pragma once
// The parts of an http(s) URL a request needs, and where a redirect leads.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace aop::engine::tools {

struct HttpUrl {
  bool tls = false;  // https
  std::string host;  // a name or an IP literal (IPv6 without brackets)
  std::uint16_t port = 0;
  std::string target;  // path and query, "/" at least; the fragment is dropped
  std::string text;    // the whole URL, normalized

  std::string host_header() const;  // "example.com", "example.com:8080", "[::1]:8080"
  std::string origin() const;       // "https://example.com:443"
};

// Parses an absolute http or https URL. On failure `error` says what is wrong with it.
std::optional<HttpUrl> parse_http_url(std::string_view text, std::string& error);

// The absolute URL a Location header leads to from `base` (relative references allowed).
std::optional<HttpUrl> redirect_target(const HttpUrl& base, std::string_view location, std::string& error);

}  // namespace aop::engine::tools
