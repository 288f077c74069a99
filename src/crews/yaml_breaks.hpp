#pragma once
// YAML 1.2 (and so the format, and yaml-cpp before it) reads NEL, LS and PS (U+0085,
// U+2028, U+2029) as ordinary characters; libyaml follows YAML 1.1, where they break lines,
// so a pasted U+2028 would end a plain scalar or a block mid-text. The reader hands libyaml
// the text with private-use stand-ins for them and puts them back in every scalar. One
// character for one, so libyaml's character positions still match the original text.
#include <optional>
#include <string>
#include <string_view>

namespace aop::crews {

// The text with stand-ins, or nothing when it has no NEL/LS/PS to hide, or already contains
// a stand-in (then libyaml reads it as YAML 1.1 would).
std::optional<std::string> hide_yaml11_breaks(std::string_view text);

// Replaces stand-ins in a scalar read from hidden text with the characters they stand for.
void restore_yaml11_breaks(std::string& scalar);

}  // namespace aop::crews
