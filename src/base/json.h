// Reading fields of JSON request objects with clear bilingual errors. Every API handler uses
// these so that a wrong request always gets the same kind of answer:
//
//   KHIEN_ASSIGN_OR_RETURN(std::string name, json::RequiredString(body, "name", 200));
//   KHIEN_ASSIGN_OR_RETURN(auto year, json::OptionalInt(body, "birth_year", 1900, 2100));
//
// Failures are Error::InvalidInput with `field` set to the field name and messages such as
// "Trường 'name' là bắt buộc." / "Field 'name' is required.". Messages name the field but
// never repeat its value (values may be survivor data).
//
// Strings go through text::CleanInput (NFC, no control or zero-width characters, trimmed)
// before their length is checked; lengths count Unicode code points, not bytes.
// A JSON null counts as a missing field.
//
// Thread-safety: pure functions, safe from any thread.
#pragma once

#include <boost/json/object.hpp>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace khien::json {

// A non-empty string of at most `max_chars` characters after cleaning.
Result<std::string> RequiredString(const boost::json::object& obj, std::string_view field,
                                   size_t max_chars);

// Like RequiredString, but a missing or null field gives std::nullopt. A present string that
// is empty after cleaning is returned as "" (clients clear a value that way).
Result<std::optional<std::string>> OptionalString(const boost::json::object& obj,
                                                  std::string_view field, size_t max_chars);

// An integer in [min, max]. Accepts JSON integers and integral floating-point numbers
// (2000.0); rejects fractions, strings and booleans.
Result<int64_t> RequiredInt(const boost::json::object& obj, std::string_view field,
                            int64_t min, int64_t max);

// Like RequiredInt, but a missing or null field gives std::nullopt.
Result<std::optional<int64_t>> OptionalInt(const boost::json::object& obj,
                                           std::string_view field, int64_t min, int64_t max);

// true or false; `default_value` when missing or null.
Result<bool> OptionalBool(const boost::json::object& obj, std::string_view field,
                          bool default_value);

// An array of at most `max_items` non-empty strings of at most `max_chars` characters each,
// cleaned. A missing or null field gives an empty vector.
Result<std::vector<std::string>> StringArray(const boost::json::object& obj,
                                             std::string_view field, size_t max_items,
                                             size_t max_chars);

// Fails on the first key of `obj` that is not in `allowed`, so typos ("birthyear") are
// reported instead of silently ignored.
Result<void> RejectUnknownFields(const boost::json::object& obj,
                                 std::initializer_list<std::string_view> allowed);

}  // namespace khien::json
