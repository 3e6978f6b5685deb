// Small-cell suppression for case statistics.
//
// Below province level (or when cells are communes) any count from 1 to 4 is shown as "<5".
// Complementary suppression then hides more cells, smallest first, until at least two cells are
// hidden and the hidden cells add up to 5 or more, so that the total minus the shown cells
// cannot reveal a hidden count; if that is impossible the total is hidden too. Zero cells are
// shown (a zero describes no one). Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "cases/model.h"

namespace khien::cases {

inline constexpr int64_t kSuppressBelow = 5;

// Fills `suppressed` on every cell and on `total` (whose count must be the sum of the cells).
void Suppress(std::vector<StatsCell>& cells, StatsCell& total);

// "<5" for a suppressed cell, else the count.
std::string CellText(const StatsCell& cell);

}  // namespace khien::cases
