// Small helpers shared by the two backends: identifier checks, number formatting, the
// errors every backend returns. Internal to src/store.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace khien::store::internal {

// Table and column names handed to BulkInsert come from code, never from users; they are
// still checked (letters, digits, '_', not starting with a digit, optionally one
// "schema." prefix) and then double-quoted.
// Errors: kInvalidInput naming the bad identifier.
Result<std::string> QuoteIdentifier(std::string_view name);
Result<std::string> QuoteIdentifierList(const std::vector<std::string>& names);

// Shortest text that parses back to exactly `v`. Non-finite values use PostgreSQL's
// spelling: "NaN", "Infinity", "-Infinity".
std::string FormatDouble(double v);

// Parses a whole decimal integer; false if `s` is not one or overflows.
bool ParseInt64(std::string_view s, int64_t* out);
// Parses a whole real number (also "NaN", "Infinity", "-Infinity"); false otherwise.
bool ParseDouble(std::string_view s, double* out);

// The errors both backends return, bilingual. `detail_en` must not contain values.
Error ConflictError();
Error UnavailableError(std::string_view detail_en);
Error InternalError(std::string_view detail_en);
Error BadParameterError(std::string_view detail_en);

}  // namespace khien::store::internal
