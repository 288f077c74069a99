#pragma once
// JSON shapes of crews, versions, deployments and validation results, shared by the crew
// endpoints.
#include <boost/json/object.hpp>

#include "crews/crew_store.hpp"
#include "crews/diagnostic.hpp"
#include "http/types.hpp"

namespace aop::api {

// {id, name, description, config, status, version, deployed_version, inputs, created_by,
//  created_at, updated_at}
boost::json::object crew_json(const crews::CrewRecord& crew);
// {version, message, author_id, created_at} (+ config and source_yaml when `full`)
boost::json::object version_json(const crews::CrewVersionRecord& version, bool full);
boost::json::object deployment_json(const crews::DeploymentRecord& deployment);
// {valid, errors: [{path, message, line?, column?}], warnings: [...]}
boost::json::object validation_json(const crews::Diagnostics& errors, const crews::Diagnostics& warnings);

// A JSON reply carrying the crew's version as its ETag, for If-Match on the next update.
http::Reply crew_reply(int status, const boost::json::object& body, std::int64_t version);

}  // namespace aop::api
