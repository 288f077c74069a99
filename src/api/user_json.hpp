#pragma once
// The public JSON shape of a user (never the password hash).
#include <boost/json/object.hpp>

#include "auth/user_store.hpp"

namespace aop::api {

boost::json::object user_json(const auth::User& user);

}  // namespace aop::api
