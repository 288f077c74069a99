#include "crews/yaml_breaks.hpp"

namespace aop::crews {

namespace {

// Stand-ins U+10FFC0, U+10FFC1, U+10FFC2 (plane 16, private use) for U+0085, U+2028,
// U+2029: four bytes each, differing only in the last, so one substring search finds them.
constexpr std::string_view k_stand_in = "\xF4\x8F\xBF";
constexpr std::string_view k_breaks[] = {"\xC2\x85", "\xE2\x80\xA8", "\xE2\x80\xA9"};

// "\U0010FFC1" in a double-quoted scalar would make a stand-in of its own.
bool has_plane16_escape(std::string_view text) {
  for (auto at = text.find("\\U"); at != std::string_view::npos; at = text.find("\\U", at + 1)) {
    auto digits = text.substr(at + 2, 6);
    if (digits.size() == 6 && digits.substr(0, 4) == "0010" && (digits[4] | 0x20) == 'f' && (digits[5] | 0x20) == 'f')
      return true;
  }
  return false;
}

}  // namespace

std::optional<std::string> hide_yaml11_breaks(std::string_view text) {
  if (text.find(k_stand_in) != std::string_view::npos || has_plane16_escape(text)) return std::nullopt;
  bool any = false;
  for (auto b : k_breaks) any = any || text.find(b) != std::string_view::npos;
  if (!any) return std::nullopt;
  std::string out;
  out.reserve(text.size() + 64);
  for (std::size_t i = 0; i < text.size();) {
    bool replaced = false;
    for (std::size_t k = 0; k < 3 && !replaced; ++k) {
      if (!text.substr(i).starts_with(k_breaks[k])) continue;
      out += k_stand_in;
      out += static_cast<char>(0x80 + k);
      i += k_breaks[k].size();
      replaced = true;
    }
    if (!replaced) out += text[i++];
  }
  return out;
}

void restore_yaml11_breaks(std::string& scalar) {
  for (auto at = scalar.find(k_stand_in); at != std::string::npos; at = scalar.find(k_stand_in, at)) {
    // Text from hide_yaml11_breaks holds no other U+10FFxx, so the last byte is 0x80-0x82.
    const auto k = static_cast<unsigned char>(scalar[at + 3]) - 0x80u;
    if (k >= 3) {
      at += 4;
      continue;
    }
    scalar.replace(at, 4, k_breaks[k]);
    at += k_breaks[k].size();
  }
}

}  // namespace aop::crews
