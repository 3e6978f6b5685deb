// Vietnamese text handling: NFC normalisation and the one folding function used by every
// search and match in Khiên.
//
// Fold("Đắk Liêng") == "dak lieng"; Fold("Tuy Hoà") == Fold("Tuy Hòa") == "tuy hoa";
// Fold of the NFD form equals Fold of the NFC form. Folding lower-cases, removes every
// combining mark, maps đ/Đ to d, and collapses runs of whitespace to one space.
// Apostrophes and hyphens are kept ("ea h'leo").
//
// Thread-safety: all functions are safe to call from many threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace khien::text {

// ASCII byte classes by table: scanners that test every byte of a message pay one load
// instead of range comparisons. Bytes >= 0x80 are in no class.
namespace ascii {
enum : uint8_t { kLower = 1, kUpper = 2, kDigit = 4 };
inline constexpr auto kClass = [] {
  struct Table { uint8_t c[256] = {}; } t;
  for (int c = 'a'; c <= 'z'; ++c) t.c[c] = kLower;
  for (int c = 'A'; c <= 'Z'; ++c) t.c[c] = kUpper;
  for (int c = '0'; c <= '9'; ++c) t.c[c] = kDigit;
  return t;
}();
inline uint8_t Class(char c) { return kClass.c[static_cast<unsigned char>(c)]; }
inline bool IsLower(char c) { return Class(c) == kLower; }
inline bool IsLetter(char c) { return (Class(c) & (kLower | kUpper)) != 0; }
inline bool IsDigit(char c) { return Class(c) == kDigit; }
inline bool IsAlnum(char c) { return Class(c) != 0; }
inline bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
}  // namespace ascii

// True if `s` is well-formed UTF-8 (no overlongs, no surrogates, no code points > 0x10FFFF).
bool IsValidUtf8(std::string_view s);

// NFC form of valid UTF-8 `s`. REQUIRES: IsValidUtf8(s).
std::string ToNfc(std::string_view s);

// Validates UTF-8, removes control characters other than \n and \t (so \r\n becomes \n)
// and zero-width characters (U+200B..U+200D, U+2060, U+FEFF), converts to NFC and trims
// surrounding Unicode whitespace. Every piece of user text goes through this on input.
// Error: kMalformed for invalid UTF-8.
Result<std::string> CleanInput(std::string_view s);

// The search key of `s` (any normalisation form). Per character:
//   - letters with marks lose them (canonical decomposition, every combining mark dropped),
//     đ/Đ become d, everything is lower-cased (ICU simple case mapping);
//   - Unicode whitespace (NBSP, ideographic space, ...) becomes a space; runs collapse to one
//     space and the result is trimmed;
//   - controls and format characters (zero-width space/joiners, BOM, soft hyphen) vanish;
//   - typographic apostrophes (U+2018, U+2019, U+02BC) become ', Unicode hyphens become -.
// Guarantees: Fold(Fold(s)) == Fold(s) and Fold(s) == Fold(ToNfc(s)).
// ASCII and Latin letters (U+0000..U+024F, U+1E00..U+1EFF) come from a table built once;
// other characters ask ICU. Ill-formed UTF-8 is not a supported input, but each bad byte
// folds to U+FFFD and nothing is read out of bounds.
std::string Fold(std::string_view s);

// Fold() plus a map from each byte of the folded string to the byte offset in `s` where
// the character it came from starts, so a match in the folded text can be highlighted in
// the original. offsets.size() == folded.size() + 1 (the last entry is s.size()).
struct FoldedWithOffsets {
  std::string folded;
  std::vector<uint32_t> offsets;
};
FoldedWithOffsets FoldWithOffsets(std::string_view s);

// Fold() of `s` into caller buffers, reused (no allocation once they have grown), with for
// each folded byte i the span [starts[i], ends[i]) of `s` behind it: starts as in
// FoldWithOffsets, ends the start of the next character that left a byte in the result (or
// s.size()), so characters that vanish (marks, zero-width) belong to the byte before them.
// Same result as FoldWithOffsets, in one pass: the message checker folds every message.
// Returns IsValidUtf8(s), checked on the way (the fold decodes every character anyway), so
// the checker need not read the message twice; when false, each bad byte folded as U+FFFD.
bool FoldWithSpans(std::string_view s, std::string* folded, std::vector<uint32_t>* starts,
                   std::vector<uint32_t>* ends);

// Appends the UTF-8 encoding of `cp`; surrogates and values above U+10FFFF become U+FFFD.
void AppendUtf8(std::string& out, char32_t cp);

// Number of Unicode code points in valid UTF-8 `s` (spans in API results count characters).
size_t CodePointCount(std::string_view s);

// The longest prefix of `s` of at most `max_bytes` bytes that does not end inside a UTF-8
// sequence (a preview cut in the middle of "ấ" would be invalid UTF-8).
std::string_view Utf8Prefix(std::string_view s, size_t max_bytes);

// True if `s` (UTF-8; ill-formed bytes count as no letter) has at least `n` letters in any
// script. Stops reading at the n-th.
bool HasLetters(std::string_view s, size_t n);

// True if `s` holds nothing to read: only white space, control and format characters
// (zero-width space, BOM). Ill-formed UTF-8 is not blank.
bool IsBlank(std::string_view s);

}  // namespace khien::text
