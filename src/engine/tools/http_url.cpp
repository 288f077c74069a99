#include "engine/tools/http_url.hpp"

#include <charconv>

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

namespace aop::engine::tools {

namespace urls = boost::urls;

namespace {

std::optional<HttpUrl> from_view(const urls::url_view_base& u, std::string& error) {
  if (u.scheme_id() != urls::scheme::http && u.scheme_id() != urls::scheme::https) {
    error = "only http and https URLs are allowed";
    return std::nullopt;
  }
  if (!u.has_authority() || u.encoded_host().empty()) {
    error = "the URL has no host";
    return std::nullopt;
  }
  if (u.has_userinfo()) {
    error = "user names and passwords in URLs are not allowed; send credentials in a header instead";
    return std::nullopt;
  }
  if (u.host_type() == urls::host_type::ipvfuture) {
    error = "the URL's host is not an address or name that can be reached";
    return std::nullopt;
  }
  HttpUrl out;
  out.tls = u.scheme_id() == urls::scheme::https;
  out.host = u.host_address();
  if (out.host.find_first_of(std::string_view("\0 \t\r\n/", 6)) != std::string::npos) {
    error = "the URL's host contains characters a host name cannot have";
    return std::nullopt;
  }
  out.port = out.tls ? 443 : 80;
  if (u.has_port()) {
    auto text = u.port();
    unsigned value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535) {
      error = "the URL's port is not a number from 1 to 65535";
      return std::nullopt;
    }
    out.port = static_cast<std::uint16_t>(value);
  }
  out.target = u.encoded_target();
  if (out.target.empty() || out.target.front() != '/') out.target.insert(0, "/");
  urls::url normalized(u);
  normalized.remove_fragment();
  if (normalized.encoded_path().empty()) normalized.set_encoded_path("/");
  out.text = normalized.buffer();
  return out;
}

}  // namespace

std::string HttpUrl::host_header() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != (tls ? 443 : 80)) h += ":" + std::to_string(port);
  return h;
}

std::string HttpUrl::origin() const {
  return std::string(tls ? "https" : "http") + "://" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) +
         ":" + std::to_string(port);
}

std::optional<HttpUrl> parse_http_url(std::string_view text, std::string& error) {
  auto parsed = urls::parse_uri(text);
  if (!parsed) {
    error = "\"" + std::string(text) + "\" is not a valid absolute URL (like https://example.com/page)";
    return std::nullopt;
  }
  return from_view(*parsed, error);
}

std::optional<HttpUrl> redirect_target(const HttpUrl& base, std::string_view location, std::string& error) {
  auto ref = urls::parse_uri_reference(location);
  auto base_url = urls::parse_uri(base.text);
  urls::url resolved;
  if (!ref || !base_url || !urls::resolve(*base_url, *ref, resolved)) {
    error = "the server redirected to an invalid location \"" + std::string(location) + "\"";
    return std::nullopt;
  }
  return from_view(resolved, error);
}

}  // namespace aop::engine::tools
