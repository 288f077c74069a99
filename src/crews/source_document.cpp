#include "crews/source_document.hpp"

#include <string>

namespace aop::crews {

void append_key(std::string& path, std::string_view key) {
  if (!path.empty()) path += '.';
  path += key;
}

void append_index(std::string& path, std::size_t index) {
  path += '[';
  path += std::to_string(index);
  path += ']';
}

}  // namespace aop::crews
