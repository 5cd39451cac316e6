// scenario_suggest.hpp - "did you mean ...?": edit distance between what was written and what exists.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace smtpsim::scenario {

// edit_distance - optimal string alignment distance (insert, delete, substitute, swap neighbours),
// ASCII case-insensitive.
std::size_t edit_distance(std::string_view a, std::string_view b);

// closest - the candidate nearest to `word` if it is near enough to be a likely typo (distance
// <= max(1, min(3, len/3)), or a case-only difference), else the first candidate that `word`
// (4+ characters) begins; "" otherwise. Ties: the first candidate.
std::string closest(std::string_view word, const std::vector<std::string>& candidates);

// did_you_mean - " (did you mean 'x'?)" for the closest candidate, or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

// join_list - "a, b, c" (or "a, b, c, ... (12 in all)" past `max` entries).
std::string join_list(const std::vector<std::string>& items, std::size_t max = 12);

}  // namespace smtpsim::scenario
