#include "cases/stats.h"

#include <algorithm>

namespace khien::cases {

void Suppress(std::vector<StatsCell>& cells, StatsCell& total) {
  int64_t hidden_sum = 0;
  int hidden = 0;
  for (StatsCell& c : cells) {
    c.suppressed = c.count > 0 && c.count < kSuppressBelow;
    if (c.suppressed) {
      hidden_sum += c.count;
      ++hidden;
    }
  }
  total.suppressed = total.count > 0 && total.count < kSuppressBelow;
  if (total.suppressed) {
    for (StatsCell& c : cells) c.suppressed = c.count > 0;
    return;
  }
  while (hidden > 0 && (hidden < 2 || hidden_sum < kSuppressBelow)) {
    StatsCell* next = nullptr;
    for (StatsCell& c : cells) {
      if (!c.suppressed && c.count > 0 && (next == nullptr || c.count < next->count)) next = &c;
    }
    if (next == nullptr) {
      total.suppressed = true;
      return;
    }
    next->suppressed = true;
    hidden_sum += next->count;
    ++hidden;
  }
}

std::string CellText(const StatsCell& cell) {
  return cell.suppressed ? "<5" : std::to_string(cell.count);
}

}  // namespace khien::cases
