#pragma once
// Lenient field access for JSON written elsewhere (provider responses, stored event data): a
// missing, null or differently typed field reads as empty/zero/absent rather than throwing,
// because compatible servers differ in what they send and old events in what they carry.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace aop::core::json_fields {

inline const boost::json::value* find(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it == o.end() ? nullptr : &it->value();
}

inline const boost::json::object* object_at(const boost::json::object& o, std::string_view key) {
  auto v = find(o, key);
  return v && v->is_object() ? &v->get_object() : nullptr;
}

inline const boost::json::array* array_at(const boost::json::object& o, std::string_view key) {
  auto v = find(o, key);
  return v && v->is_array() ? &v->get_array() : nullptr;
}

inline std::string string_at(const boost::json::object& o, std::string_view key) {
  auto v = find(o, key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

inline bool has_int(const boost::json::object& o, std::string_view key) {
  auto v = find(o, key);
  return v && (v->is_int64() || v->is_uint64() || v->is_double());
}

// A number as an integer (a double is truncated); nullopt when absent or not a number.
inline std::optional<std::int64_t> optional_int_at(const boost::json::object& o, std::string_view key) {
  auto v = find(o, key);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
  if (v->is_double()) return static_cast<std::int64_t>(v->get_double());
  return std::nullopt;
}

inline std::int64_t int_at(const boost::json::object& o, std::string_view key) {
  return optional_int_at(o, key).value_or(0);
}

// Any number as a double; nullopt when absent, null or not a number.
inline std::optional<double> number_at(const boost::json::object& o, std::string_view key) {
  auto v = find(o, key);
  if (!v) return std::nullopt;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  return std::nullopt;
}

}  // namespace aop::core::json_fields
