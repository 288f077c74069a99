#pragma once
// Lenient field access for provider JSON: a missing, null or differently typed field reads
// as empty/zero rather than throwing, because compatible servers differ in what they send.
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace aop::engine::llm::json_fields {

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

inline std::int64_t int_at(const boost::json::object& o, std::string_view key) {
  auto v = find(o, key);
  if (!v) return 0;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
  if (v->is_double()) return static_cast<std::int64_t>(v->get_double());
  return 0;
}

}  // namespace aop::engine::llm::json_fields
