// Rule files: the checker's rules as data, in a small strict subset of TOML.
//
//   # comment
//   [[rule]]
//   id = "scam.otp_request"                  # stable; reasons and tests refer to it
//   category = "scam"                        # scam | grooming | toxic | privacy
//   view = "folded"                          # original | folded | deobfuscated | expanded
//   patterns = ['\bma otp\b', '''mat khau''']  # Hyperscan regexes over the view
//   signal = "lookalike_domain"              # instead of patterns: fired by extractors/lists
//   requires = '\b(chuyen|nap)\b'            # optional PCRE2 check over the whole view
//   unless = '\bkhong bao gio\b'             # optional PCRE2 check that vetoes the rule
//   near = ["money", "url"]                  # optional: one of these entities must be present
//   stage = "secrecy"                        # optional grooming stage (conversations)
//   weight = 2.5                             # log-odds added to the category score
//   explanation_vi = "..."
//   explanation_en = "..."
//   advice = ["no_transfer", "keep_evidence"]
//
//   [[advice]]
//   id = "no_transfer"
//   vi = "..."
//   en = "..."
//
// Values: "basic strings" (escapes \" \\ \n \t \uXXXX), 'literal strings', '''literal''',
// numbers, true/false, and arrays of strings (may span lines, trailing comma allowed).
// Unknown keys, duplicate keys, missing required keys and anything else are errors naming
// the file and line. Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"

namespace khien::safety {

struct RuleFileSource {
  std::string name;      // shown in errors, e.g. "rules/scam.toml"
  std::string contents;  // UTF-8
};

// One [[table]] of a rule file, keys to values, before validation.
struct RawTable {
  std::string kind;  // "rule" or "advice"
  int line = 0;      // line of the [[...]] header
  struct Value {
    std::string key;
    int line = 0;
    bool is_array = false;
    std::string scalar;               // strings, numbers and booleans as written/unescaped
    bool is_string = false;
    std::vector<std::string> items;  // arrays
  };
  std::vector<Value> values;
};

// Parses the TOML subset. Error kInvalidInput with "name:line: what" in both languages.
Result<std::vector<RawTable>> ParseRuleFile(const RuleFileSource& source);

// "name:line: vi" / "name:line: en" error.
Error RuleFileError(const std::string& name, int line, const std::string& vi,
                    const std::string& en);

}  // namespace khien::safety
