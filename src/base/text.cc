#include "base/text.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace khien::text {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Decodes one code point of possibly invalid UTF-8 starting at s[i]. Returns the code point
// and sets `len`; an ill-formed sequence yields U+FFFD with len 1, so callers always advance.
char32_t DecodeAt(std::string_view s, size_t i, size_t& len) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    len = 1;
    return b0;
  }
  const size_t left = s.size() - i;
  auto cont = [&](size_t k) {
    return k < left && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
  };
  auto bits = [&](size_t k) { return static_cast<char32_t>(s[i + k]) & 0x3F; };
  len = 1;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    if (!cont(1)) return kReplacement;
    len = 2;
    return (static_cast<char32_t>(b0 & 0x1F) << 6) | bits(1);
  }
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (!cont(1) || !cont(2)) return kReplacement;
    const char32_t cp = (static_cast<char32_t>(b0 & 0x0F) << 12) | (bits(1) << 6) | bits(2);
    if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)) return kReplacement;  // overlong, surrogate
    len = 3;
    return cp;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return kReplacement;
    const char32_t cp = (static_cast<char32_t>(b0 & 0x07) << 18) | (bits(1) << 12) |
                        (bits(2) << 6) | bits(3);
    if (cp < 0x10000 || cp > 0x10FFFF) return kReplacement;
    len = 4;
    return cp;
  }
  return kReplacement;
}


const icu::Normalizer2& Nfc() {
  static const icu::Normalizer2* const nfc = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status) || n == nullptr) throw std::runtime_error("ICU NFC data missing");
    return n;
  }();
  return *nfc;
}

const icu::Normalizer2& Nfd() {
  static const icu::Normalizer2* const nfd = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFDInstance(status);
    if (U_FAILURE(status) || n == nullptr) throw std::runtime_error("ICU NFD data missing");
    return n;
  }();
  return *nfd;
}

bool IsZeroWidth(char32_t cp) {
  return (cp >= 0x200B && cp <= 0x200D) || cp == 0xFEFF || cp == 0x2060;
}

// The definition of folding for one code point, as UTF-8; an ASCII space in the result
// stands for "whitespace here" and is collapsed by the caller. Every code point of the
// result folds to itself, which makes Fold idempotent. Used directly for rare characters
// and to fill the table that serves ASCII and Vietnamese.
void FoldCodePointSlow(char32_t cp, std::string& out, int depth = 0) {
  switch (cp) {
    case 0x2018: case 0x2019: case 0x02BC:  // typographic apostrophes
      out.push_back('\'');
      return;
    case 0x2010: case 0x2011:  // Unicode hyphens
      out.push_back('-');
      return;
    case 0x0110: case 0x0111:  // Đ, đ do not decompose
      out.push_back('d');
      return;
    default:
      break;
  }
  const auto c = static_cast<UChar32>(cp);
  if (u_isUWhiteSpace(c)) {
    out.push_back(' ');
    return;
  }
  const int8_t type = u_charType(c);
  // Controls, format characters (zero-width space/joiners, BOM, soft hyphen, bidi marks) and
  // every combining mark vanish. Dropping all marks with a non-zero combining class is what
  // makes the result independent of canonical ordering, hence of the normalisation form.
  if (type == U_CONTROL_CHAR || type == U_FORMAT_CHAR || type == U_NON_SPACING_MARK ||
      type == U_ENCLOSING_MARK || u_getCombiningClass(c) != 0) {
    return;
  }
  if (depth > 4) {  // defensive: case and decomposition data never chain this deep
    AppendUtf8(out, cp);
    return;
  }
  icu::UnicodeString decomposition;
  if (Nfd().getDecomposition(c, decomposition)) {
    for (int32_t i = 0; i < decomposition.length();) {
      const UChar32 d = decomposition.char32At(i);
      FoldCodePointSlow(static_cast<char32_t>(d), out, depth + 1);
      i += U16_LENGTH(d);
    }
    return;
  }
  const UChar32 lower = u_tolower(c);
  if (lower != c) {
    FoldCodePointSlow(static_cast<char32_t>(lower), out, depth + 1);
    return;
  }
  AppendUtf8(out, cp);
}

// Precomputed folds for ASCII, Latin-1, Latin Extended-A/B (U+0000..U+024F) and Latin
// Extended Additional (U+1E00..U+1EFF, where most Vietnamese letters with two marks live).
struct FoldEntry {
  uint8_t len = 0;  // bytes used in `bytes`; kSlow when the fold does not fit
  char bytes[7] = {};
};
constexpr uint8_t kSlow = 0xFF;
constexpr char32_t kLatinEnd = 0x250;
constexpr char32_t kExtStart = 0x1E00;
constexpr char32_t kExtEnd = 0x1F00;

struct FoldTable {
  std::array<FoldEntry, kLatinEnd> latin;
  std::array<FoldEntry, kExtEnd - kExtStart> extended;

  FoldTable() {
    auto fill = [](FoldEntry& e, char32_t cp) {
      std::string folded;
      FoldCodePointSlow(cp, folded);
      if (folded.size() > sizeof(e.bytes)) {
        e.len = kSlow;
        return;
      }
      e.len = static_cast<uint8_t>(folded.size());
      std::memcpy(e.bytes, folded.data(), folded.size());
    };
    for (char32_t cp = 0; cp < kLatinEnd; ++cp) fill(latin[cp], cp);
    for (char32_t cp = kExtStart; cp < kExtEnd; ++cp) fill(extended[cp - kExtStart], cp);
  }

  const FoldEntry* Find(char32_t cp) const {
    if (cp < kLatinEnd) return &latin[cp];
    if (cp >= kExtStart && cp < kExtEnd) return &extended[cp - kExtStart];
    return nullptr;
  }
};

const FoldTable& Table() {
  static const FoldTable table;
  return table;
}

// Whitespace collapsing shared by the fold writers: a run of blanks becomes one space placed at
// the source of its first blank, written only between two other bytes (so the ends are trimmed).
class SpaceCollapser {
 public:
  // Feeds one folded byte from `source`; `written_any` says whether the result holds a byte yet.
  // push(c, source) receives each byte to write.
  template <class PushFn>
  void Put(char c, uint32_t source, bool written_any, const PushFn& push) {
    if (c == ' ') {
      if (!pending_) {
        pending_ = true;
        source_ = source;
      }
      return;
    }
    if (pending_) {
      pending_ = false;
      if (written_any) push(' ', source_);
    }
    push(c, source);
  }

 private:
  bool pending_ = false;
  uint32_t source_ = 0;
};

// Appends folded bytes, collapsing whitespace and trimming; records source offsets when
// kOffsets.
template <bool kOffsets>
class FoldSink {
 public:
  FoldSink(std::string& out, std::vector<uint32_t>* offsets) : out_(out), offsets_(offsets) {}

  void Append(const char* bytes, size_t n, size_t source) {
    const auto push = [this](char c, uint32_t from) { Push(c, from); };
    for (size_t k = 0; k < n; ++k) spaces_.Put(bytes[k], static_cast<uint32_t>(source), !out_.empty(), push);
  }

 private:
  void Push(char c, size_t source) {
    out_.push_back(c);
    if constexpr (kOffsets) offsets_->push_back(static_cast<uint32_t>(source));
  }

  std::string& out_;
  std::vector<uint32_t>* offsets_;
  SpaceCollapser spaces_;
};

template <bool kOffsets>
void FoldInto(std::string_view s, std::string& out, std::vector<uint32_t>* offsets) {
  const FoldTable& table = Table();
  out.reserve(s.size());
  if constexpr (kOffsets) offsets->reserve(s.size() + 1);
  FoldSink<kOffsets> sink(out, offsets);
  std::string slow;
  size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
      const FoldEntry& e = table.latin[b0];
      sink.Append(e.bytes, e.len, i);
      ++i;
      continue;
    }
    size_t len = 0;
    const char32_t cp = DecodeAt(s, i, len);
    const FoldEntry* e = table.Find(cp);
    if (e != nullptr && e->len != kSlow) {
      sink.Append(e->bytes, e->len, i);
    } else {
      slow.clear();
      FoldCodePointSlow(cp, slow);
      sink.Append(slow.data(), slow.size(), i);
    }
    i += len;
  }
  if constexpr (kOffsets) offsets->push_back(static_cast<uint32_t>(s.size()));
}

// Fold of each ASCII byte: itself lower-cased, ' ' for whitespace, 0 when it vanishes.
struct AsciiFold {
  std::array<char, 128> to{};
  AsciiFold() {
    const FoldTable& table = Table();
    for (size_t b = 0; b < 128; ++b) {
      const FoldEntry& e = table.latin[b];
      to[b] = e.len == 1 ? e.bytes[0] : 0;
    }
  }
};

const AsciiFold& Ascii() {
  static const AsciiFold ascii;
  return ascii;
}

}  // namespace

void AppendUtf8(std::string& out, char32_t cp) {
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = 0xFFFD;  // not a Unicode scalar value
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    // Skip ASCII eight bytes at a time.
    while (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, s.data() + i, 8);
      if (word & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    // A well-formed U+FFFD decodes with length 3; only ill-formed input yields length 1.
    if (DecodeAt(s, i, len) == kReplacement && len == 1) return false;
    i += len;
  }
  return true;
}

std::string ToNfc(std::string_view s) {
  bool ascii = true;
  for (const char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return std::string(s);
  const icu::Normalizer2& nfc = Nfc();
  const icu::StringPiece piece(s.data(), static_cast<int32_t>(s.size()));
  UErrorCode status = U_ZERO_ERROR;
  if (nfc.isNormalizedUTF8(piece, status) && U_SUCCESS(status)) return std::string(s);
  status = U_ZERO_ERROR;
  std::string out;
  out.reserve(s.size());
  icu::StringByteSink<std::string> sink(&out);
  nfc.normalizeUTF8(0, piece, sink, nullptr, status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU NFC normalisation failed");
  return out;
}

Result<std::string> CleanInput(std::string_view s) {
  if (!IsValidUtf8(s)) {
    return Error::Malformed("Văn bản không phải UTF-8 hợp lệ.", "Text is not valid UTF-8.");
  }
  // Strip before normalising: a removed zero-width joiner may let a mark compose.
  std::string kept;
  kept.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t len = 0;
    const char32_t cp = DecodeAt(s, i, len);
    const bool control = (cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7F && cp <= 0x9F);
    if (!control && !IsZeroWidth(cp)) kept.append(s.substr(i, len));
    i += len;
  }
  std::string nfc = ToNfc(kept);
  // Trim Unicode whitespace (NBSP and ideographic space too) from both ends.
  size_t begin = 0;
  while (begin < nfc.size()) {
    size_t len = 0;
    if (!u_isUWhiteSpace(static_cast<UChar32>(DecodeAt(nfc, begin, len)))) break;
    begin += len;
  }
  size_t end = begin;
  for (size_t i = begin; i < nfc.size();) {
    size_t len = 0;
    const char32_t cp = DecodeAt(nfc, i, len);
    i += len;
    if (!u_isUWhiteSpace(static_cast<UChar32>(cp))) end = i;
  }
  return nfc.substr(begin, end - begin);
}

std::string Fold(std::string_view s) {
  std::string out;
  FoldInto<false>(s, out, nullptr);
  return out;
}

FoldedWithOffsets FoldWithOffsets(std::string_view s) {
  FoldedWithOffsets result;
  FoldInto<true>(s, result.folded, &result.offsets);
  return result;
}

bool FoldWithSpans(std::string_view s, std::string* folded, std::vector<uint32_t>* starts,
                   std::vector<uint32_t>* ends) {
  const FoldTable& table = Table();
  const AsciiFold& ascii = Ascii();
  // Written by index into buffers grown ahead; trimmed to `w` at the end. An ASCII byte
  // writes at most one byte (the space of a run stands for its first blank), so room for
  // the rest of the input is enough until a rare character folds to more bytes than it has.
  size_t cap = s.size() + 16;
  size_t i = 0;
  folded->resize(cap);
  starts->resize(cap);
  ends->resize(cap);
  char* text = folded->data();
  uint32_t* st = starts->data();
  uint32_t* en = ends->data();
  size_t w = 0;
  size_t group = 0;  // first byte of the last character written: its end is still open
  SpaceCollapser spaces;
  // Writes one byte of a character starting at `source`, closing the previous character.
  const auto push = [&](char c, uint32_t source) {
    if (w > 0 && st[w - 1] != source) {
      for (size_t k = group; k < w; ++k) en[k] = source;
      group = w;
    }
    text[w] = c;
    st[w] = source;
    ++w;
  };
  const auto append = [&](const char* bytes, size_t n, uint32_t source) {
    if (w + n + 1 + (s.size() - i) > cap) {
      cap = 2 * cap + n;
      folded->resize(cap);
      starts->resize(cap);
      ends->resize(cap);
      text = folded->data();
      st = starts->data();
      en = ends->data();
    }
    for (size_t k = 0; k < n; ++k) spaces.Put(bytes[k], source, w > 0, push);
  };
  std::string slow;
  bool valid = true;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
      const char c = ascii.to[b0];
      if (c != 0) spaces.Put(c, static_cast<uint32_t>(i), w > 0, push);
      ++i;
      if (c == 0 || c == ' ') continue;
      // The rest of a run of characters that fold to one visible byte each (ASCII and most
      // Vietnamese letters), and of single blanks between them, written directly: what
      // push does for them (each byte closes the one before it, which is `group`). One
      // byte for one or more: the buffers have room.
      const auto visible_at = [&](size_t k, size_t* len) -> char {
        const auto b = static_cast<unsigned char>(s[k]);
        *len = 1;
        if (b < 0x80) return ascii.to[b];
        const FoldEntry* e = table.Find(DecodeAt(s, k, *len));
        return e != nullptr && e->len == 1 ? e->bytes[0] : 0;
      };
      const auto write = [&](char f, size_t source) {
        en[w - 1] = static_cast<uint32_t>(source);
        text[w] = f;
        st[w] = static_cast<uint32_t>(source);
        group = w;
        ++w;
      };
      while (i < s.size()) {
        size_t n = 1;
        const char f = visible_at(i, &n);
        if (f == 0) break;
        if (f == ' ') {
          // A lone blank before another visible character: the space, then the character.
          if (i + n >= s.size()) break;
          size_t m = 1;
          const char g = visible_at(i + n, &m);
          if (g == 0 || g == ' ') break;
          write(' ', i);
          write(g, i + n);
          i += n + m;
          continue;
        }
        write(f, i);
        i += n;
      }
      continue;
    }
    size_t len = 0;
    const char32_t cp = DecodeAt(s, i, len);
    // Every ill-formed sequence ends up here: the runs above take only characters with a
    // table entry, and U+FFFD has none.
    valid = valid && !(cp == kReplacement && len == 1);
    const FoldEntry* e = table.Find(cp);
    if (e != nullptr && e->len != kSlow) {
      append(e->bytes, e->len, static_cast<uint32_t>(i));
    } else {
      slow.clear();
      FoldCodePointSlow(cp, slow);
      append(slow.data(), slow.size(), static_cast<uint32_t>(i));
    }
    i += len;
  }
  for (size_t k = group; k < w; ++k) en[k] = static_cast<uint32_t>(s.size());
  folded->resize(w);
  starts->resize(w);
  ends->resize(w);
  return valid;
}

std::string_view Utf8Prefix(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t end = max_bytes;
  // Step back over continuation bytes to the start of the sequence the cut falls in.
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

bool HasLetters(std::string_view s, size_t n) {
  size_t found = 0;
  int32_t i = 0;
  const int32_t size = static_cast<int32_t>(std::min<size_t>(s.size(), INT32_MAX));
  while (found < n && i < size) {
    UChar32 c;
    U8_NEXT(s.data(), i, size, c);
    if (c >= 0 && u_isalpha(c)) ++found;
  }
  return found >= n;
}

bool IsBlank(std::string_view s) {
  int32_t i = 0;
  const int32_t size = static_cast<int32_t>(std::min<size_t>(s.size(), INT32_MAX));
  while (i < size) {
    UChar32 c;
    U8_NEXT(s.data(), i, size, c);
    if (c < 0) return false;
    const int8_t type = u_charType(c);
    if (!u_isUWhiteSpace(c) && type != U_CONTROL_CHAR && type != U_FORMAT_CHAR) return false;
  }
  return true;
}

size_t CodePointCount(std::string_view s) {
  // Every byte but a continuation byte (10xxxxxx) starts a code point. Eight bytes at a
  // time: the checker counts characters for every span it reports.
  size_t count = 0;
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    const uint64_t continuation = word & ~(word << 1) & 0x8080808080808080ULL;
    count += 8 - (((continuation >> 7) * 0x0101010101010101ULL) >> 56);
  }
  for (; i < s.size(); ++i) count += (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
  return count;
}

}  // namespace khien::text
