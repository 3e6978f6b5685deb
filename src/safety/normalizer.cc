#include "safety/normalizer.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "base/text.h"

namespace khien::safety {
namespace {

using text::ascii::IsAlnum;
using text::ascii::IsDigit;
bool IsAsciiLetter(char c) { return text::ascii::IsLetter(c); }

// Decodes one code point of valid UTF-8 at s[i]; returns its length (1 on a stray byte).
uint32_t DecodeAt(std::string_view s, size_t i, size_t* len) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  auto cont = [&](size_t k) -> uint32_t {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) & 0x3F : 0;
  };
  if (b0 < 0x80) { *len = 1; return b0; }
  if ((b0 >> 5) == 0x6 && i + 1 < s.size()) { *len = 2; return ((b0 & 0x1F) << 6) | cont(1); }
  if ((b0 >> 4) == 0xE && i + 2 < s.size()) {
    *len = 3;
    return ((b0 & 0x0F) << 12) | (cont(1) << 6) | cont(2);
  }
  if ((b0 >> 3) == 0x1E && i + 3 < s.size()) {
    *len = 4;
    return ((b0 & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3);
  }
  *len = 1;
  return b0;
}

// Cyrillic, Greek and full-width letters that look like Latin ones.
char LookAlike(uint32_t cp) {
  if (cp >= 0xFF21 && cp <= 0xFF3A) return static_cast<char>('a' + (cp - 0xFF21));
  if (cp >= 0xFF41 && cp <= 0xFF5A) return static_cast<char>('a' + (cp - 0xFF41));
  if (cp >= 0xFF10 && cp <= 0xFF19) return static_cast<char>('0' + (cp - 0xFF10));
  switch (cp) {
    case 0x0430: case 0x0410: case 0x03B1: case 0x0391: return 'a';
    case 0x0432: case 0x0412: case 0x03B2: case 0x0392: return 'b';
    case 0x0441: case 0x0421: case 0x03F2: return 'c';
    case 0x0501: case 0x0500: return 'd';
    case 0x0435: case 0x0415: case 0x0451: case 0x03B5: case 0x0395: return 'e';
    case 0x04BB: case 0x041D: case 0x043D: case 0x0397: return 'h';
    case 0x0456: case 0x0406: case 0x03B9: case 0x0399: return 'i';
    case 0x0458: case 0x0408: return 'j';
    case 0x043A: case 0x041A: case 0x03BA: case 0x039A: return 'k';
    case 0x04CF: return 'l';
    case 0x041C: case 0x043C: case 0x039C: return 'm';
    case 0x03B7: case 0x039D: return 'n';
    case 0x043E: case 0x041E: case 0x03BF: case 0x039F: return 'o';
    case 0x0440: case 0x0420: case 0x03C1: case 0x03A1: return 'p';
    case 0x0455: case 0x0405: return 's';
    case 0x0442: case 0x0422: case 0x03C4: case 0x03A4: return 't';
    case 0x03C5: case 0x03A5: return 'u';
    case 0x03BD: case 0x0474: case 0x0475: return 'v';
    case 0x0461: case 0x051D: return 'w';
    case 0x0445: case 0x0425: case 0x03C7: case 0x03A7: return 'x';
    case 0x0443: case 0x0423: case 0x04AF: case 0x03B3: return 'y';
    case 0x0396: return 'z';
    default: return 0;
  }
}

constexpr char Leet(char c) {
  switch (c) {
    case '4': case '@': return 'a';
    case '3': return 'e';
    case '1': case '!': return 'i';
    case '0': return 'o';
    case '5': case '$': return 's';
    case '7': return 't';
    default: return 0;
  }
}

// Accumulates a view from pieces of another view, carrying the offset maps along. Copies
// of consecutive source bytes are gathered into one run and appended at once: most bytes
// of most messages pass through unchanged, and a per-byte append dominated the profile.
// Writes into `out`, whose buffers are reused (their capacity survives between messages).
class ViewBuilder {
 public:
  ViewBuilder(const TextView& src, TextView* out) : src_(src), out_(*out) {
    out_.text.clear();
    out_.starts.clear();
    out_.ends.clear();
    out_.text.reserve(src.text.size() + 16);
    out_.starts.reserve(src.text.size() + 16);
    out_.ends.reserve(src.text.size() + 16);
  }
  void Copy(size_t i, size_t j) {
    if (i == run_end_) {
      run_end_ = j;
      return;
    }
    Flush();
    run_begin_ = i;
    run_end_ = j;
  }
  // `s` stands for source bytes [i, j) (j > i).
  void Replace(std::string_view s, size_t i, size_t j) {
    Flush();
    const uint32_t b = src_.starts[i];
    const uint32_t e = src_.ends[j - 1];
    out_.text.append(s);
    out_.starts.insert(out_.starts.end(), s.size(), b);
    out_.ends.insert(out_.ends.end(), s.size(), e);
  }
  void PutChar(char c, size_t i, size_t j) {
    Flush();
    out_.text.push_back(c);
    out_.starts.push_back(src_.starts[i]);
    out_.ends.push_back(src_.ends[j - 1]);
  }
  void Finish() { Flush(); }

 private:
  void Flush() {
    if (run_end_ > run_begin_) {
      out_.text.append(src_.text, run_begin_, run_end_ - run_begin_);
      out_.starts.insert(out_.starts.end(), src_.starts.begin() + run_begin_,
                         src_.starts.begin() + run_end_);
      out_.ends.insert(out_.ends.end(), src_.ends.begin() + run_begin_,
                       src_.ends.begin() + run_end_);
    }
    run_begin_ = run_end_ = kNoRun;
  }
  static constexpr size_t kNoRun = static_cast<size_t>(-1);

  const TextView& src_;
  TextView& out_;
  size_t run_begin_ = kNoRun;
  size_t run_end_ = kNoRun;
};

constexpr std::array<std::string_view, 40> kTlds = {
    "com", "vn", "net", "org", "info", "xyz", "top", "cc", "io", "me", "online", "site",
    "club", "shop", "vip", "app", "link", "asia", "biz", "co", "live", "pro", "store", "tk",
    "ml", "ga", "cf", "gq", "ru", "cn", "us", "uk", "fun", "icu", "cyou", "sbs", "click",
    "work", "website", "space"};

bool IsTld(std::string_view s) {
  return std::find(kTlds.begin(), kTlds.end(), s) != kTlds.end();
}

// Length of the TLD-like word starting at s[i] ("com" of "com.vn/x" → 3), or 0.
size_t TldAt(std::string_view s, size_t i) {
  size_t j = i;
  while (j < s.size() && IsAsciiLetter(s[j])) ++j;
  if (j == i || (j < s.size() && IsDigit(s[j]))) return 0;
  return IsTld(s.substr(i, j - i)) ? j - i : 0;
}

// Links and e-mail addresses keep their digits: extractors and lists read them as written.
bool LooksLikeLink(std::string_view tok) {
  if (tok.find("://") != std::string_view::npos || tok.find("www.") != std::string_view::npos ||
      tok.find('@') != std::string_view::npos) {
    return true;
  }
  for (size_t d = tok.find('.'); d != std::string_view::npos; d = tok.find('.', d + 1)) {
    if (d > 0 && TldAt(tok, d + 1) > 0) return true;
  }
  return false;
}

}  // namespace

std::string_view ViewKindName(ViewKind kind) {
  switch (kind) {
    case ViewKind::kOriginal: return "original";
    case ViewKind::kFolded: return "folded";
    case ViewKind::kDeobfuscated: return "deobfuscated";
    case ViewKind::kExpanded: return "expanded";
  }
  return "folded";
}

Result<ViewKind> ParseViewKind(std::string_view name) {
  for (int k = 0; k < kViewCount; ++k) {
    if (ViewKindName(static_cast<ViewKind>(k)) == name) return static_cast<ViewKind>(k);
  }
  return Error::InvalidInput("view", "Tên view không hợp lệ: " + std::string(name),
                             "Unknown view: " + std::string(name));
}

std::string_view NormalizedText::Text(ViewKind kind) const {
  switch (kind) {
    case ViewKind::kOriginal: return original;
    case ViewKind::kFolded: return folded.text;
    case ViewKind::kDeobfuscated: return deobfuscated.text;
    case ViewKind::kExpanded: return expanded.text;
  }
  return original;
}

std::pair<uint32_t, uint32_t> NormalizedText::OriginalSpan(ViewKind kind, size_t begin,
                                                           size_t end) const {
  switch (kind) {
    case ViewKind::kOriginal:
      return {static_cast<uint32_t>(begin), static_cast<uint32_t>(end)};
    case ViewKind::kFolded: return folded.OriginalSpan(begin, end);
    case ViewKind::kDeobfuscated: return deobfuscated.OriginalSpan(begin, end);
    case ViewKind::kExpanded: return expanded.OriginalSpan(begin, end);
  }
  return {0, 0};
}

// Fold's result holds no control, zero-width or format character and no tab or newline
// (they vanish or become one space, runs collapsed, ends trimmed), so the folded view is
// exactly Fold with each byte's source span.
bool FoldViewInto(std::string_view original, TextView* out) {
  return text::FoldWithSpans(original, &out->text, &out->starts, &out->ends);
}

TextView FoldView(std::string_view original) {
  TextView v;
  FoldViewInto(original, &v);
  return v;
}

namespace {

// Scans for where RejoinLinksInto could rewrite next. Each rewrite is given away by a byte
// that is rare in messages, looked up in a table: a bracket after a word ("abc[.]com"), a
// space after a word followed by a space, bracket, dot or "dot", the 'x' of "hxxp", and for
// spaced-out links ("a b c . c o m") the dot of a " ." after single-character words.
constexpr auto kRejoinMark = [] {
  std::array<bool, 256> t{};
  for (unsigned char c : std::string_view("[({.dx ")) t[c] = true;
  return t;
}();

class RejoinScanner {
 public:
  explicit RejoinScanner(std::string_view s) : s_(s) {}

  // A position >= from at or before the next place a rewrite could start, or s.size().
  // Conservative: it may stop where nothing changes, never past a rewrite. REQUIRES: from
  // is where the rewriting loop stands (so no rewrite starts before it).
  size_t Next(size_t from) {
    const std::string_view s = s_;
    const size_t n = s.size();
    for (size_t i = from; i < n; ++i) {
      const char c = s[i];
      if (!kRejoinMark[static_cast<unsigned char>(c)]) continue;
      if (c == ' ') {  // the most frequent mark, and the cheapest to turn away
        if (i + 1 < n && s[i + 1] == ' ' && AfterWord(i)) return std::max(i, from);
        continue;
      }
      size_t hit = n;
      const bool space_before = i > 0 && s[i - 1] == ' ';
      switch (c) {
        case '[': case '(': case '{':
          if (AfterWord(i)) hit = i;
          else if (space_before && AfterWord(i - 1)) hit = i - 1;
          break;
        case '.':
          if (space_before) {
            if (AfterWord(i - 1)) hit = i - 1;
            hit = std::min(hit, FirstSingle(from, i - 1));
          }
          break;
        case 'd':
          if (space_before && AfterWord(i - 1) && s.substr(i, 3) == "dot") hit = i - 1;
          break;
        case 'x':
          if (i > 0 && s.substr(i - 1, 4) == "hxxp") hit = i - 1;
          break;
        default: break;
      }
      if (hit < n) return std::max(hit, from);
    }
    return n;
  }

 private:
  bool AfterWord(size_t k) const { return k > 0 && IsAlnum(s_[k - 1]); }

  // The first single-character word followed by a space in [from, end), or s.size(); what
  // lies before singles_ was searched already and held none.
  size_t FirstSingle(size_t from, size_t end) {
    for (size_t p = std::max(from, singles_); p < end; ++p) {
      if (IsAlnum(s_[p]) && !AfterWord(p) && s_[p + 1] == ' ') {
        singles_ = p + 1;
        return p;
      }
    }
    singles_ = std::max(singles_, end);
    return s_.size();
  }

  std::string_view s_;
  size_t singles_ = 0;
};

}  // namespace

void RejoinLinksInto(const TextView& in, TextView* out) {
  const std::string_view s = in.text;
  const size_t n = s.size();
  ViewBuilder b(in, out);
  RejoinScanner scanner(s);
  size_t i = 0;
  auto word_start = [&](size_t k) { return k == 0 || !IsAlnum(s[k - 1]); };
  while (i < n) {
    // Nothing changes before the next candidate: copied at once.
    if (const size_t next = scanner.Next(i); next > i) {
      b.Copy(i, next);
      i = next;
      if (i == n) break;
    }
    const char c = s[i];
    // Inside a word nothing below can start: copy the rest of the word at once.
    if (IsAlnum(c) && !word_start(i)) {
      size_t j = i + 1;
      while (j < n && IsAlnum(s[j])) ++j;
      b.Copy(i, j);
      i = j;
      continue;
    }
    // hxxp:// and hxxps:// → http
    if (c == 'h' && word_start(i) && s.substr(i, 4) == "hxxp") {
      b.Replace("http", i, i + 4);
      i += 4;
      continue;
    }
    // "[.]", "(.)", "{.}", "[dot]", "(dot)", optionally surrounded by spaces, between labels.
    if ((c == '[' || c == '(' || c == '{' || c == ' ') && i > 0 && IsAlnum(s[i - 1])) {
      size_t j = i;
      while (j < n && s[j] == ' ') ++j;
      size_t k = j;
      bool bracketed = false;
      if (k < n && (s[k] == '[' || s[k] == '(' || s[k] == '{')) {
        const char close = s[k] == '[' ? ']' : s[k] == '(' ? ')' : '}';
        size_t m = k + 1;
        while (m < n && s[m] == ' ') ++m;
        size_t inner_end = 0;
        if (m < n && s[m] == '.') inner_end = m + 1;
        else if (s.substr(m, 3) == "dot") inner_end = m + 3;
        if (inner_end) {
          while (inner_end < n && s[inner_end] == ' ') ++inner_end;
          if (inner_end < n && s[inner_end] == close) {
            k = inner_end + 1;
            bracketed = true;
          }
        }
      } else if (c == ' ' && s.substr(k, 3) == "dot" && k + 3 < n && s[k + 3] == ' ') {
        k += 4;
        bracketed = true;  // " dot " is only accepted before a TLD, checked below
      } else if (c == ' ' && k < n && s[k] == '.' && k == i + 1) {
        k += 1;  // "abc .com" / "abc . com"
        bracketed = true;
      }
      if (bracketed) {
        size_t t = k;
        while (t < n && s[t] == ' ') ++t;
        const bool bracket_form = s[j] == '[' || s[j] == '(' || s[j] == '{';
        if ((bracket_form && t < n && IsAlnum(s[t])) || TldAt(s, t) > 0) {
          b.Replace(".", i, t);
          i = t;
          continue;
        }
      }
    }
    // Spaced-out link "a b c . c o m": single-character tokens including a dot then a TLD.
    if (IsAlnum(c) && word_start(i) && i + 1 < n && s[i + 1] == ' ') {
      size_t j = i;
      std::string joined;
      size_t last_dot = std::string::npos;
      while (j < n && (IsAlnum(s[j]) || s[j] == '.') && (j + 1 == n || s[j + 1] == ' ')) {
        if (s[j] == '.') last_dot = joined.size();
        joined.push_back(s[j]);
        j += 2;
      }
      if (last_dot != std::string::npos && joined.size() >= 5 && last_dot > 0 &&
          IsTld(std::string_view(joined).substr(last_dot + 1))) {
        const size_t end = std::min(j, n) - ((j <= n && j > 0 && s[j - 1] == ' ') ? 1 : 0);
        for (size_t k = i, o = 0; o < joined.size(); ++o, k += 2) b.PutChar(joined[o], k, k + 1);
        i = std::min(end, n);
        continue;
      }
    }
    b.Copy(i, i + 1);
    ++i;
  }
  b.Finish();
}

namespace {

// The start of the first token (space-separated) at or after `from` that DeobfuscateInto's
// second pass could change, or t.size(): a token changes only if it holds a leetspeak
// character or '_', or is a letter chain ("d.i.e.u": a separator second). REQUIRES: from
// is a token start or a space.
constexpr auto kDeobfuscationMark = [] {
  std::array<bool, 256> t{};
  for (unsigned char c : std::string_view(".-_")) t[c] = true;
  for (int c = 0; c < 256; ++c) t[c] = t[c] || Leet(static_cast<char>(c)) != 0;
  return t;
}();

size_t NextDeobfuscationCandidate(std::string_view t, size_t from) {
  for (size_t q = from; q < t.size(); ++q) {
    const char c = t[q];
    if (!kDeobfuscationMark[static_cast<unsigned char>(c)]) continue;
    const bool chain = (c == '.' || c == '-') && q > 0 && IsAsciiLetter(t[q - 1]) &&
                       (q == 1 || t[q - 2] == ' ');
    if (chain || c == '_' || Leet(c)) {
      while (q > from && t[q - 1] != ' ') --q;
      return q;
    }
  }
  return t.size();
}

}  // namespace

void DeobfuscateInto(const TextView& in, TextView* out) {
  const std::string_view s = in.text;
  const size_t n = s.size();
  // Pass 1: look-alike letters to ASCII (any token); nothing to do for ASCII text.
  thread_local TextView ascii_buffer;
  bool has_non_ascii = false;
  size_t k = 0;
  for (; k + 8 <= n && !has_non_ascii; k += 8) {  // eight bytes at a time
    uint64_t word;
    std::memcpy(&word, s.data() + k, 8);
    has_non_ascii = (word & 0x8080808080808080ULL) != 0;
  }
  for (; k < n && !has_non_ascii; ++k) has_non_ascii = static_cast<unsigned char>(s[k]) >= 0x80;
  if (has_non_ascii) {
    ViewBuilder b(in, &ascii_buffer);
    for (size_t i = 0; i < n;) {
      const auto byte = static_cast<unsigned char>(s[i]);
      if (byte < 0x80) { b.Copy(i, i + 1); ++i; continue; }
      size_t len = 1;
      const uint32_t cp = DecodeAt(s, i, &len);
      len = std::min(len, n - i);
      if (const char a = LookAlike(cp)) b.PutChar(a, i, i + len);
      else b.Copy(i, i + len);
      i += len;
    }
    b.Finish();
  }
  const TextView& ascii = has_non_ascii ? ascii_buffer : in;
  const std::string_view t = ascii.text;
  const size_t m = t.size();
  ViewBuilder b(ascii, out);
  size_t i = 0;
  while (i < m) {
    // The tokens before the next candidate stay as they are: copied at once.
    if (const size_t next = NextDeobfuscationCandidate(t, i); next > i) {
      b.Copy(i, next);
      i = next;
      if (i == m) break;
    }
    if (t[i] == ' ') { b.Copy(i, i + 1); ++i; continue; }
    size_t j = i;
    while (j < m && t[j] != ' ') ++j;
    const std::string_view tok = t.substr(i, j - i);
    // "d.i.e.u", "c-h-u-y-e-n": single letters joined by separators → one word.
    if (tok.size() >= 5 && IsAsciiLetter(tok[0])) {
      bool chain = true;
      size_t letters = 0;
      for (size_t k = 0; k < tok.size(); ++k) {
        if (k % 2 == 0) chain = chain && (IsAsciiLetter(tok[k]) || Leet(tok[k]));
        else chain = chain && (tok[k] == '.' || tok[k] == '-' || tok[k] == '_');
        letters += (k % 2 == 0);
      }
      if (chain && tok.size() % 2 == 1 && letters >= 3) {
        for (size_t k = i; k < j; k += 2) {
          const char c = IsAsciiLetter(t[k]) ? t[k] : Leet(t[k]);
          b.PutChar(c, k, k + 1);
        }
        i = j;
        continue;
      }
    }
    // Leetspeak only in tokens that are mostly letters; digits only between letters, so
    // "500k", "5tr", "0912" and "2k10" stay as they are.
    size_t letters = 0, leets = 0;
    bool underscore = false;
    for (char c : tok) {
      if (IsAsciiLetter(c)) ++letters;
      else if (Leet(c)) ++leets;
      else underscore = underscore || c == '_';
    }
    // LooksLikeLink last: it searches the token, and few tokens get that far.
    const bool candidate =
        leets > 0 && letters >= 2 && letters >= 2 * leets && !LooksLikeLink(tok);
    if (!candidate && !underscore) {  // the common case: the word stays as it is
      b.Copy(i, j);
      i = j;
      continue;
    }
    bool mapped_inside = false;
    for (size_t k = i; k < j;) {
      const char c = t[k];
      if (c == '_' && k > i && k + 1 < j && IsAlnum(t[k - 1]) && IsAlnum(t[k + 1])) {
        b.PutChar(' ', k, k + 1);  // "nh4n_tien" → "nhan tien"
        ++k;
        continue;
      }
      if (candidate && Leet(c)) {
        size_t r = k;
        while (r < j && Leet(t[r])) ++r;
        const bool before = k > i && IsAsciiLetter(t[k - 1]);
        const bool after = r < j && IsAsciiLetter(t[r]);
        const bool trailing_after_inside = before && r == j && mapped_inside && r - k == 1;
        if ((before && after && r - k <= 2) || trailing_after_inside) {
          for (size_t q = k; q < r; ++q) b.PutChar(Leet(t[q]), q, q + 1);
          mapped_inside = true;
          k = r;
          continue;
        }
        b.Copy(k, r);
        k = r;
        continue;
      }
      b.Copy(k, k + 1);
      ++k;
    }
    i = j;
  }
  b.Finish();
}

namespace {

// Money context for "ck": digits with a money unit or money words nearby.
bool HasMoneyContext(std::string_view s) {
  static constexpr std::string_view kWords[] = {"tien", "stk", "tai khoan", "chuyen", "ngan hang",
                                                "vnd", "trieu", "nap", "bank"};
  for (std::string_view w : kWords) {
    if (s.find(w) != std::string_view::npos) return true;
  }
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    if (IsDigit(s[i]) && !IsDigit(s[i + 1])) {
      const char u = s[i + 1] == ' ' && i + 2 < s.size() ? s[i + 2] : s[i + 1];
      if (u == 'k' || u == 'd' || (u == 't' && (s.substr(i + 1, 2) == "tr" ||
                                                s.substr(i + 2, 2) == "tr"))) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

void ExpandTeencodeInto(const TextView& in, const TeencodeTable& table, TextView* out) {
  const std::string_view s = in.text;
  const size_t n = s.size();
  ViewBuilder b(in, out);
  int money = -1;  // computed lazily
  // Most words are no abbreviation: the text between two expansions is copied at once.
  size_t copied = 0;  // bytes before this are in `out`
  size_t i = 0;
  while (i < n) {
    if (!IsAlnum(s[i])) { ++i; continue; }
    size_t j = i;
    while (j < n && IsAlnum(s[j])) ++j;
    const std::string_view word = s.substr(i, j - i);
    // Whole tokens only: not inside links, e-mails or numbers with separators. The filter
    // test first: it turns away most words.
    const auto glued = [&] {
      return (i > 0 && (s[i - 1] == '.' || s[i - 1] == '/' || s[i - 1] == '@' ||
                        s[i - 1] == '-' || s[i - 1] == ':')) ||
             (j < n && (s[j] == '@' || s[j] == '/' || s[j] == '-' ||
                        (s[j] == '.' && j + 1 < n && IsAlnum(s[j + 1]))));
    };
    const TeencodeEntry* e =
        (j - i <= 12 && table.MayContain(word) && !glued()) ? table.Find(word) : nullptr;
    if (e != nullptr) {
      if (i > copied) b.Copy(copied, i);
      if (!e->context.empty() && money < 0) money = HasMoneyContext(s) ? 1 : 0;
      b.Replace(e->context.empty() || money ? e->expansion : e->alternative, i, j);
      copied = j;
    }
    i = j;
  }
  if (n > copied) b.Copy(copied, n);
  b.Finish();
}

TextView RejoinLinks(const TextView& in) {
  TextView out;
  RejoinLinksInto(in, &out);
  return out;
}

TextView Deobfuscate(const TextView& in) {
  TextView out;
  DeobfuscateInto(in, &out);
  return out;
}

TextView ExpandTeencode(const TextView& in, const TeencodeTable& table) {
  TextView out;
  ExpandTeencodeInto(in, table, &out);
  return out;
}

Result<TeencodeTable> TeencodeTable::Parse(std::string_view tsv, std::string_view source) {
  TeencodeTable table;
  size_t line_no = 0;
  size_t pos = 0;
  while (pos <= tsv.size()) {
    size_t eol = tsv.find('\n', pos);
    if (eol == std::string_view::npos) eol = tsv.size();
    std::string_view line = tsv.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') {
      if (eol == tsv.size()) break;
      continue;
    }
    std::vector<std::string_view> cols;
    size_t c = 0;
    while (true) {
      size_t tab = line.find('\t', c);
      cols.push_back(line.substr(c, tab == std::string_view::npos ? line.npos : tab - c));
      if (tab == std::string_view::npos) break;
      c = tab + 1;
    }
    const std::string where = std::string(source) + ":" + std::to_string(line_no);
    if ((cols.size() != 2 && cols.size() != 4) || cols[0].empty() || cols[1].empty()) {
      return Error::InvalidInput("teencode", where + ": dòng phải có 2 hoặc 4 cột cách nhau bằng tab",
                                 where + ": a line must have 2 or 4 tab-separated columns");
    }
    if (!text::IsValidUtf8(line)) {
      return Error::InvalidInput("teencode", where + ": không phải UTF-8 hợp lệ",
                                 where + ": not valid UTF-8");
    }
    std::string key = text::Fold(cols[0]);
    TeencodeEntry entry{text::Fold(cols[1]), "", ""};
    if (cols.size() == 4) {
      entry.context = std::string(cols[2]);
      entry.alternative = text::Fold(cols[3]);
      if (entry.context != "money") {
        return Error::InvalidInput("teencode", where + ": ngữ cảnh không hợp lệ (chỉ có \"money\")",
                                   where + ": unknown context (only \"money\")");
      }
    }
    if (!key.empty()) table.first_and_length_.set(FilterIndex(key));
    if (!table.entries_.emplace(std::move(key), std::move(entry)).second) {
      return Error::InvalidInput("teencode", where + ": từ viết tắt bị lặp",
                                 where + ": duplicate abbreviation");
    }
    if (eol == tsv.size()) break;
  }
  return table;
}

const TeencodeEntry* TeencodeTable::Lookup(std::string_view folded_key) const {
  auto it = entries_.find(folded_key);
  return it == entries_.end() ? nullptr : &it->second;
}

NormalizedText Normalizer::Normalize(std::string_view text) const {
  NormalizedText out;
  Normalize(text, &out);
  return out;
}

bool Normalizer::Normalize(std::string_view text, NormalizedText* out) const {
  thread_local TextView rejoined;
  out->original = text;
  if (!FoldViewInto(text, &out->folded)) return false;
  RejoinLinksInto(out->folded, &rejoined);
  DeobfuscateInto(rejoined, &out->deobfuscated);
  ExpandTeencodeInto(out->deobfuscated, teencode_, &out->expanded);
  return true;
}

uint32_t CharOffsets::operator()(uint32_t byte_offset) const {
  const size_t end = std::min<size_t>(byte_offset, original_.size());
  const auto chars = [&](size_t from, size_t to) {
    return static_cast<uint32_t>(text::CodePointCount(original_.substr(from, to - from)));
  };
  if (end >= last_byte_) {
    last_chars_ += chars(last_byte_, end);
  } else {
    last_chars_ -= chars(end, last_byte_);
  }
  last_byte_ = end;
  return last_chars_;
}

}  // namespace khien::safety
