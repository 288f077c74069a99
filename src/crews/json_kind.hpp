#pragma once
// How a JSON value's kind is named in messages to crew authors ("expected text, got a list").
#include <string>

#include <boost/json/fwd.hpp>

namespace aop::crews {

// "null", "true/false", "a number", "text", "a list" or "a mapping".
std::string json_kind_name(const boost::json::value& v);

}  // namespace aop::crews
