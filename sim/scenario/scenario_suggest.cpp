// scenario_suggest.cpp - edit distance and suggestions for misspelt keys and names.
#include "sim/scenario/scenario_suggest.hpp"
#include "sim/core/ascii.hpp"

#include <algorithm>
#include <cctype>

namespace smtpsim::scenario {

namespace {

// lower - one ASCII character in lower case.
constexpr auto lower = ascii_lower;

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // bounded inputs only: names and keys are short; long text gets a large distance cheaply
  if (a.size() > 256 || b.size() > 256) return std::max(a.size(), b.size());
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]))
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
  if (word.empty()) return "";
  std::size_t limit = std::max<std::size_t>(1, std::min<std::size_t>(3, word.size() / 3));
  std::size_t best = limit + 1;
  std::string pick;
  for (const std::string& c : candidates) {
    if (c == word) continue;
    // the distance is at least the difference in length: skip hopeless candidates cheaply
    std::size_t gap = c.size() > word.size() ? c.size() - word.size() : word.size() - c.size();
    if (gap >= best) continue;
    std::size_t d = edit_distance(word, c);
    if (d < best) {
      best = d;
      pick = c;
    }
  }
  if (pick.empty() && word.size() >= 4) {
    // a cut-short word: "greylist" for "greylisting", "bandw" for "bandwidth"
    for (const std::string& c : candidates)
      if (c.size() > word.size() && edit_distance(word, c.substr(0, word.size())) == 0) return c;
  }
  return pick;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  std::string c = closest(word, candidates);
  return c.empty() ? "" : " (did you mean '" + c + "'?)";
}

std::string join_list(const std::vector<std::string>& items, std::size_t max) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < max; ++i) {
    if (i) out += ", ";
    out += items[i];
  }
  if (items.size() > max) out += ", ... (" + std::to_string(items.size()) + " in all)";
  return out;
}

}  // namespace smtpsim::scenario
