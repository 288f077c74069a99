#include "api/crew_json.hpp"

#include <boost/json.hpp>

#include "api/body_reader.hpp"

namespace aop::api {

namespace json = boost::json;

namespace {

json::value nullable(const std::optional<std::string>& s) {
  if (!s) return nullptr;
  return json::string(*s);
}

json::value nullable(const std::optional<std::int64_t>& n) {
  if (!n) return nullptr;
  return *n;
}

// Stored JSON written by this server; a corrupt value shows as null rather than failing the listing.
json::value stored_json(const std::string& text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  return ec ? json::value(nullptr) : v;
}

json::array diagnostics_json(const crews::Diagnostics& list) {
  json::array out;
  out.reserve(list.size());
  for (const auto& d : list) {
    json::object item{{"path", d.path}, {"message", d.message}};
    if (d.location) {
      item["line"] = d.location->line;
      item["column"] = d.location->column;
    }
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace

json::object crew_json(const crews::CrewRecord& crew) {
  return {{"id", crew.id},
          {"name", crew.name},
          {"description", crew.description},
          {"config", stored_json(crew.config)},
          {"status", crew.status},
          {"version", crew.version},
          {"deployed_version", nullable(crew.deployed_version)},
          {"inputs", stored_json(crew.inputs)},
          {"created_by", nullable(crew.created_by)},
          {"created_at", timestamp(crew.created_at)},
          {"updated_at", timestamp(crew.updated_at)}};
}

json::object version_json(const crews::CrewVersionRecord& v, bool full) {
  json::object out{{"version", v.version},
                   {"message", v.message},
                   {"author_id", nullable(v.author_id)},
                   {"created_at", timestamp(v.created_at)}};
  if (full) {
    out["config"] = stored_json(v.config);
    out["source_yaml"] = nullable(v.source_yaml);
  }
  return out;
}

json::object deployment_json(const crews::DeploymentRecord& d) {
  return {{"id", d.id},
          {"crew_id", d.crew_id},
          {"version", d.version},
          {"status", d.status},
          {"endpoint", d.endpoint},
          {"deployed_by", nullable(d.deployed_by)},
          {"created_at", timestamp(d.created_at)},
          {"stopped_at", timestamp(d.stopped_at)}};
}

json::object validation_json(const crews::Diagnostics& errors, const crews::Diagnostics& warnings) {
  return {{"valid", errors.empty()}, {"errors", diagnostics_json(errors)}, {"warnings", diagnostics_json(warnings)}};
}

http::Reply crew_reply(int status, const json::object& body, std::int64_t version) {
  auto reply = http::json_reply(status, body);
  reply.response.set(boost::beast::http::field::etag, "\"" + std::to_string(version) + "\"");
  return reply;
}

}  // namespace aop::api
