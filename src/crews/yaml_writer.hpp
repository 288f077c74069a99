#pragma once
// JSON value -> YAML text that reads back (through read_yaml_document) as the same value:
// strings that would read as numbers, booleans or null are quoted, multi-line text uses
// `|` blocks when that is exact, and unusual characters are escaped.
#include <string>

#include <boost/json/value.hpp>

namespace aop::crews {

std::string write_yaml(const boost::json::value& value);

}  // namespace aop::crews
