// Normaliser: turns a message into the views the checker matches on, each of which maps
// every byte back to the original text so a match can be highlighted.
//
//   folded        NFC, zero-width/control removed, lower case, marks removed, đ→d
//                 (base/text FoldWithOffsets).
//   deobfuscated  folded + links rejoined ("hxxp", "abc[.]com", "abc dot com",
//                 "a b c . c o m") + look-alike letters and leetspeak undone inside words
//                 ("B4m v4o" → "bam vao", "d!eu k!en" → "dieu kien", "nh4n_T1EN" → "nhan tien",
//                 Cyrillic/Greek/full-width look-alikes → Latin). Numbers such as "500k",
//                 "5tr" or "0912 345 678" are left alone.
//   expanded      deobfuscated + teencode expanded from rules/teencode.tsv
//                 ("ko" → "khong", "stk" → "so tai khoan", "ck" → "chuyen khoan" near money
//                 and "chong" elsewhere).
//
// Ownership: NormalizedText owns its views; `original` points into the caller's string,
// which must outlive it. Failure: none; any valid UTF-8 is accepted (callers validate).
// Thread-safety: a Normalizer is immutable after Create; Normalize is safe from many threads.
#pragma once

#include <bitset>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/result.h"

namespace khien::safety {

enum class ViewKind { kOriginal = 0, kFolded = 1, kDeobfuscated = 2, kExpanded = 3 };
inline constexpr int kViewCount = 4;

std::string_view ViewKindName(ViewKind kind);  // "original", "folded", ...
Result<ViewKind> ParseViewKind(std::string_view name);

// A derived text plus, for each of its bytes, the byte range [starts[i], ends[i]) of the
// original text it came from.
struct TextView {
  std::string text;
  std::vector<uint32_t> starts;
  std::vector<uint32_t> ends;

  // Byte range of the original text behind view bytes [begin, end).
  // REQUIRES: begin < end <= text.size().
  std::pair<uint32_t, uint32_t> OriginalSpan(size_t begin, size_t end) const {
    return {starts[begin], ends[end - 1]};
  }
};

struct NormalizedText {
  std::string_view original;
  TextView folded;
  TextView deobfuscated;
  TextView expanded;

  // The text of a view; kOriginal is the original itself.
  std::string_view Text(ViewKind kind) const;
  // Original byte span of view bytes [begin, end) (identity for kOriginal).
  std::pair<uint32_t, uint32_t> OriginalSpan(ViewKind kind, size_t begin, size_t end) const;
};

// Teencode abbreviations: folded key → folded expansion. An entry may carry a context
// ("money") with an alternative used when the context is absent ("ck").
struct TeencodeEntry {
  std::string expansion;
  std::string context;      // empty, or "money"
  std::string alternative;  // used when `context` is set and absent from the message
};

class TeencodeTable {
 public:
  // Parses TSV lines "key<TAB>expansion[<TAB>context<TAB>alternative]"; '#' starts a comment.
  // Keys and expansions are folded, so they may be written with diacritics.
  // Error kInvalidInput naming `source`:line for a malformed line or a duplicate key.
  static Result<TeencodeTable> Parse(std::string_view tsv, std::string_view source);

  // No allocation; most words are no abbreviation and are turned away by a bit test (inline,
  // as the normaliser asks for every word).
  const TeencodeEntry* Find(std::string_view folded_key) const {
    return MayContain(folded_key) ? Lookup(folded_key) : nullptr;
  }
  bool MayContain(std::string_view folded_key) const {
    return !folded_key.empty() && first_and_length_.test(FilterIndex(folded_key));
  }
  size_t size() const { return entries_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // A one-hash Bloom filter over first, second and last byte and length (8 KiB; ~300 keys
  // leave under 1 % of other words to the hash lookup). REQUIRES: !key.empty().
  const TeencodeEntry* Lookup(std::string_view folded_key) const;
  static size_t FilterIndex(std::string_view key) {
    const uint32_t c0 = static_cast<unsigned char>(key[0]);
    const uint32_t c1 = key.size() > 1 ? static_cast<unsigned char>(key[1]) : 0;
    const uint32_t cl = static_cast<unsigned char>(key.back());
    const uint32_t h = ((c0 * 257 + c1) * 257 + cl) * 31 + static_cast<uint32_t>(key.size());
    return (h * 2654435761u) >> 16;
  }
  std::unordered_map<std::string, TeencodeEntry, Hash, std::equal_to<>> entries_;
  std::bitset<65536> first_and_length_;  // FilterIndex of every key
};

class Normalizer {
 public:
  explicit Normalizer(TeencodeTable teencode) : teencode_(std::move(teencode)) {}

  // REQUIRES: text is valid UTF-8 and shorter than 4 GiB.
  NormalizedText Normalize(std::string_view text) const;
  // The same into `out`, reusing its buffers: no allocation once they have grown to the
  // size of the messages seen (the checker keeps one NormalizedText per thread). Any text
  // shorter than 4 GiB: returns false, leaving `out` unspecified, when it is not valid
  // UTF-8 (checked by the fold, so the checker validates without a pass of its own).
  bool Normalize(std::string_view text, NormalizedText* out) const;

  const TeencodeTable& teencode() const { return teencode_; }

 private:
  TeencodeTable teencode_;
};

// Steps of the pipeline, exposed for tests and the fuzzer.
TextView FoldView(std::string_view original);
TextView RejoinLinks(const TextView& in);
TextView Deobfuscate(const TextView& in);
TextView ExpandTeencode(const TextView& in, const TeencodeTable& table);
// The same steps writing into `out` (its buffers reused). REQUIRES: out is not `in`.
// FoldViewInto returns whether `original` is valid UTF-8 (text::FoldWithSpans).
bool FoldViewInto(std::string_view original, TextView* out);
void RejoinLinksInto(const TextView& in, TextView* out);
void DeobfuscateInto(const TextView& in, TextView* out);
void ExpandTeencodeInto(const TextView& in, const TeencodeTable& table, TextView* out);

// Maps original byte offsets to character (code point) offsets.
class CharOffsets {
 public:
  CharOffsets() = default;
  explicit CharOffsets(std::string_view original) { Reset(original); }
  // Switches to `original` (which must outlive the next calls).
  void Reset(std::string_view original) {
    original_ = original;
    last_byte_ = 0;
    last_chars_ = 0;
  }
  // Code points starting before `byte_offset` (clamped to the text), so an offset inside a
  // character rounds up to its end. Counted from the previous lookup, forwards or
  // backwards: the checker asks about nearby offsets, so a message is read about once.
  uint32_t operator()(uint32_t byte_offset) const;

 private:
  std::string_view original_;
  mutable size_t last_byte_ = 0;     // the previous lookup,
  mutable uint32_t last_chars_ = 0;  // and its answer
};

}  // namespace khien::safety
