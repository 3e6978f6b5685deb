// Case statistics as an XLSX file (libxlsxwriter): one sheet with Vietnamese headers and the
// cells exactly as the API shows them, suppressed cells as the text "<5". Pure apart from a
// temporary file that is removed before returning; thread-safe.
#pragma once

#include <string>

#include "base/result.h"
#include "cases/model.h"

namespace khien::cases {

// Vietnamese label of a statistics dimension ("core_type" → "Loại bạo lực (GBVIMS)").
std::string DimensionLabelVi(const std::string& by);

// Error kInternal if libxlsxwriter fails.
Result<std::string> StatsXlsx(const Stats& stats, const StatsQuery& query);

}  // namespace khien::cases
