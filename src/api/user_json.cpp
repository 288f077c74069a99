#include "api/user_json.hpp"

#include <boost/json.hpp>

#include "api/body_reader.hpp"

namespace aop::api {

boost::json::object user_json(const auth::User& u) {
  boost::system::error_code ec;
  auto settings = boost::json::parse(u.settings, ec);
  return {{"id", u.id},
          {"email", u.email},
          {"name", u.name},
          {"role", u.role},
          {"is_active", u.is_active},
          {"settings", !ec && settings.is_object() ? settings : boost::json::object()},
          {"last_login_at", timestamp(u.last_login_at)},
          {"created_at", timestamp(u.created_at)},
          {"updated_at", timestamp(u.updated_at)}};
}

}  // namespace aop::api
