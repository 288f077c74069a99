#include <boost/json.hpp>
#include <boost/url/parse_query.hpp>

#include "core/problem.hpp"
#include "http/types.hpp"

namespace aop::http {

std::string_view RequestContext::param(std::string_view name) const {
  for (const auto& [k, v] : path_params)
    if (k == name) return v;
  return {};
}

std::optional<std::string> RequestContext::query_param(std::string_view name) const {
  if (query.empty()) return std::nullopt;
  auto parsed = boost::urls::parse_query(query);
  if (!parsed) return std::nullopt;
  boost::urls::encoding_opts opts;
  opts.space_as_plus = true;  // HTML forms encode spaces as '+'
  for (auto p : *parsed)
    if (p.key.decode(opts) == name) return p.value.decode(opts);
  return std::nullopt;
}

std::string_view RequestContext::header(std::string_view name) const {
  auto it = request.find(name);
  if (it == request.end()) return {};
  return it->value();
}

boost::json::value RequestContext::json_body() const {
  auto type = header("Content-Type");
  if (!type.empty() && type.find("json") == std::string_view::npos)
    throw core::Problem(415, "", "Expected a JSON body (Content-Type: application/json), got \"" +
                                     std::string(type) + "\".");
  const std::string& body = request.body();
  if (body.empty()) throw core::Problem::bad_request("The request body is empty; a JSON document is required.",
                                                     {{"body", "required"}});
  boost::json::stream_parser parser;
  boost::system::error_code ec;
  std::size_t consumed = parser.write(body.data(), body.size(), ec);
  if (!ec) {
    parser.finish(ec);
    consumed = body.size();
  }
  if (ec || !parser.done()) {
    // Report line and column of the failure so the user can find it.
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < consumed && i < body.size(); ++i) {
      if (body[i] == '\n') { ++line; column = 1; } else { ++column; }
    }
    throw core::Problem::bad_request(
        "Malformed JSON at line " + std::to_string(line) + ", column " + std::to_string(column) +
            " (byte " + std::to_string(consumed) + "): " + (ec ? ec.message() : "incomplete document"),
        {{"body", "malformed JSON at byte " + std::to_string(consumed)}});
  }
  return parser.release();
}

Reply json_reply(int status, const boost::json::value& body) {
  Reply r;
  r.response.result(static_cast<unsigned>(status));
  r.response.set(bhttp::field::content_type, "application/json");
  r.response.body() = boost::json::serialize(body);
  return r;
}

Reply text_reply(int status, std::string body, std::string content_type) {
  Reply r;
  r.response.result(static_cast<unsigned>(status));
  r.response.set(bhttp::field::content_type, content_type);
  r.response.body() = std::move(body);
  return r;
}

Reply empty_reply(int status) {
  Reply r;
  r.response.result(static_cast<unsigned>(status));
  return r;
}

}  // namespace aop::http
