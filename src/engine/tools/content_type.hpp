#pragma once
// What a response body is, from its Content-Type header and, when that is missing or
// generic, its first bytes.
#include <string>
#include <string_view>

namespace aop::engine::tools {

enum class ContentKind { html, text, binary };

ContentKind content_kind(std::string_view content_type, std::string_view body);

// The media type in lower case without parameters: "Text/HTML; charset=utf-8" -> "text/html".
std::string media_type(std::string_view content_type);

// The charset parameter in lower case, or empty: "text/html; charset=ISO-8859-1" -> "iso-8859-1".
std::string charset_of(std::string_view content_type);

}  // namespace aop::engine::tools
