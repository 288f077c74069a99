#pragma once
// "Did you mean?" for unknown keys: an unknown key one or two edits away from a known one
// is probably a typo (`backstroy`, `expected_ouput`) rather than a field for another tool.
#include <optional>
#include <span>
#include <string_view>

namespace aop::crews {

// Edit distance counting insertions, deletions, substitutions and swaps of neighbours,
// case-insensitively. Stops early and returns limit + 1 once it exceeds `limit`.
int edit_distance(std::string_view a, std::string_view b, int limit);

// The known key `key` is most likely a misspelling of, if any: distance <= 1 for keys of
// up to four characters, <= 2 otherwise. Keys in `accepted` (fields of CrewAI that AOP keeps
// but does not model) never produce a suggestion.
std::optional<std::string_view> suggest_key(std::string_view key,
                                            std::span<const std::string_view> known,
                                            std::span<const std::string_view> accepted = {});

}  // namespace aop::crews
