#include "safety/features.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <string>

#include "base/text.h"

namespace khien::safety {
namespace {

// FNV-1a to accumulate bytes, MurmurHash3's fmix64 to spread the bits before we take the
// top hash_bits. Seeds keep the feature families apart.
constexpr uint64_t kFnvPrime = 1099511628211ull;
constexpr uint64_t kWordSeed = 0x9ae16a3b2f90404full;
constexpr uint64_t kCharSeed = 0xc3a5c85c97cb3127ull;
constexpr uint64_t kBigramSeed = 0xb492b66fbe98f273ull;
constexpr uint64_t kAccentedSeed = 0x9e3779b97f4a7c15ull;
constexpr uint64_t kEvidenceSeed = 0x2545f4914f6cdd1dull;
constexpr uint64_t kAccentedBigramSeed = 0x4cf5ad432745937full;
constexpr uint64_t kShapeSeed = 0x8ebc6af09c88c6e3ull;

uint64_t EvidenceKey(std::string_view kind, std::string_view name) {
  uint64_t h = kEvidenceSeed;
  for (unsigned char c : kind) h = (h ^ c) * 1099511628211ull;
  h = (h ^ ':') * 1099511628211ull;
  for (unsigned char c : name) h = (h ^ c) * 1099511628211ull;
  return h;
}

inline uint64_t Mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

inline bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }
inline bool IsAsciiLetter(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
// Word bytes: ASCII letters and digits, and every byte of a non-ASCII character (folded
// Vietnamese is ASCII; what remains non-ASCII is emoji and other scripts).
inline bool IsWordByte(unsigned char c) { return IsDigit(c) || IsAsciiLetter(c) || c >= 0x80; }

inline unsigned char FeatureByte(unsigned char c, bool digits_as_class) {
  return (digits_as_class && IsDigit(c)) ? '0' : c;
}

bool StartsWithAt(std::string_view s, size_t i, std::string_view word) {
  return s.size() - i >= word.size() && s.substr(i, word.size()) == word;
}

bool LetterAt(std::string_view s, size_t i) {
  return i < s.size() && IsAsciiLetter(static_cast<unsigned char>(s[i]));
}

constexpr std::string_view kTlds[] = {
    "com",  "vn",    "net",  "org",    "info", "xyz",  "top", "cc",   "me",   "io",
    "co",   "ly",    "site", "online", "club", "shop", "vip", "app",  "link", "biz",
    "asia", "store", "tk",   "ml",     "ga",   "cf",   "gq",  "live", "win",  "pro",
    "icu",  "cn",    "ru",   "uk",     "us",   "gl",   "gd"};

bool HasUrl(std::string_view f) {
  if (f.find("http") != std::string_view::npos || f.find("www.") != std::string_view::npos) {
    return true;
  }
  for (size_t dot = f.find('.'); dot != std::string_view::npos; dot = f.find('.', dot + 1)) {
    if (dot == 0 || !IsWordByte(static_cast<unsigned char>(f[dot - 1])) ||
        IsDigit(static_cast<unsigned char>(f[dot - 1]))) {
      continue;
    }
    size_t end = dot + 1;
    while (LetterAt(f, end)) ++end;
    const std::string_view tld = f.substr(dot + 1, end - dot - 1);
    if (tld.empty() || (end < f.size() && IsDigit(static_cast<unsigned char>(f[end])))) continue;
    for (std::string_view known : kTlds) {
      if (tld == known) return true;
    }
  }
  return false;
}

// Looks at digit runs (digits joined by single spaces, dots or dashes) in folded text.
struct DigitSignals {
  bool phone = false;
  bool short_code = false;
  bool money = false;
};

bool MoneyUnitAt(std::string_view f, size_t i) {
  if (i < f.size() && f[i] == ' ') ++i;
  constexpr std::string_view kUnits[] = {"trieu", "tr", "ty",  "nghin", "ngan", "k",   "vnd",
                                         "dong",  "d",  "usd", "m",     "cu",   "lit", "xu"};
  for (std::string_view unit : kUnits) {
    if (StartsWithAt(f, i, unit) && !LetterAt(f, i + unit.size())) return true;
  }
  return false;
}

// A run of digits joined by single spaces, dots, commas or dashes, in folded text.
struct NumberRun {
  size_t start = 0;  // first digit
  size_t end = 0;    // one past the last digit
  size_t digits = 0;
  bool separated = false;        // a separator inside the run
  bool plus = false;             // "+" right before it
  bool currency_before = false;  // "$" or "£" right before it
};

// Calls visit(const NumberRun&) for each number in `f`, left to right.
template <class Visit>
void ForEachNumber(std::string_view f, const Visit& visit) {
  size_t i = 0;
  while (i < f.size()) {
    if (!IsDigit(static_cast<unsigned char>(f[i]))) {
      ++i;
      continue;
    }
    NumberRun n;
    n.start = n.end = i;
    n.plus = i > 0 && f[i - 1] == '+';
    n.currency_before = i > 0 && (f[i - 1] == '$' || (i >= 2 && f.substr(i - 2, 2) == "\xC2\xA3"));
    while (i < f.size()) {
      const unsigned char c = f[i];
      if (IsDigit(c)) {
        ++n.digits;
        n.end = ++i;
      } else if ((c == ' ' || c == '.' || c == '-' || c == ',') && i + 1 < f.size() &&
                 IsDigit(static_cast<unsigned char>(f[i + 1]))) {
        n.separated = true;
        ++i;
      } else {
        break;
      }
    }
    visit(n);
  }
}

bool LooksLikePhone(std::string_view f, const NumberRun& n) {
  return n.digits >= 9 && n.digits <= 12 && (f[n.start] == '0' || n.plus || StartsWithAt(f, n.start, "84"));
}

DigitSignals ScanDigits(std::string_view f) {
  DigitSignals s;
  ForEachNumber(f, [&](const NumberRun& n) {
    const bool letter_before = n.start > 0 && LetterAt(f, n.start - 1);
    const bool letter_after = LetterAt(f, n.end);
    if (LooksLikePhone(f, n)) s.phone = true;
    if (n.digits >= 3 && n.digits <= 5 && !n.separated && !letter_before && !letter_after) {
      s.short_code = true;
    }
    if (n.currency_before || MoneyUnitAt(f, n.end)) s.money = true;
  });
  return s;
}

// Upper-case letters of the original over letters of the folded text, so composed and
// decomposed spellings agree: ASCII capitals plus the Vietnamese precomposed capitals
// (Latin-1 À–Þ, Ă Đ Ĩ Ũ Ơ Ư, and the even code points of U+1EA0–U+1EF9).
float UpperRatio(std::string_view original, std::string_view folded) {
  size_t letters = 0;
  for (unsigned char c : folded) letters += IsAsciiLetter(c) ? 1 : 0;
  if (letters == 0) return 0.0f;
  size_t upper = 0;
  for (size_t i = 0; i < original.size(); ++i) {
    const unsigned char c = original[i];
    if (c >= 'A' && c <= 'Z') {
      ++upper;
    } else if ((c & 0xE0) == 0xC0 && i + 1 < original.size()) {
      const uint32_t cp = ((c & 0x1Fu) << 6) | (original[i + 1] & 0x3Fu);
      if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) || cp == 0x102 || cp == 0x110 || cp == 0x128 ||
          cp == 0x168 || cp == 0x1A0 || cp == 0x1AF) {
        ++upper;
      }
    } else if ((c & 0xF0) == 0xE0 && i + 2 < original.size()) {
      const uint32_t cp =
          ((c & 0x0Fu) << 12) | ((original[i + 1] & 0x3Fu) << 6) | (original[i + 2] & 0x3Fu);
      if (cp >= 0x1EA0 && cp <= 0x1EF9 && cp % 2 == 0) ++upper;
    }
  }
  return std::min(1.0f, static_cast<float>(upper) / static_cast<float>(letters));
}

void AddDense(std::string_view original, std::string_view folded, uint32_t base,
              FeatureVector* out) {
  size_t digits = 0;
  size_t non_space = 0;
  for (unsigned char c : folded) {
    if (c != ' ') ++non_space;
    if (IsDigit(c)) ++digits;
  }
  const DigitSignals ds = ScanDigits(folded);
  const float values[kDenseFeatureCount] = {
      HasUrl(folded) ? 1.0f : 0.0f,
      ds.phone ? 1.0f : 0.0f,
      ds.short_code ? 1.0f : 0.0f,
      non_space == 0 ? 0.0f : static_cast<float>(digits) / static_cast<float>(non_space),
      ds.money ? 1.0f : 0.0f,
      UpperRatio(original, folded),
      std::min(1.0f, std::log1p(static_cast<float>(folded.size())) / 8.0f),
  };
  for (uint32_t k = 0; k < kDenseFeatureCount; ++k) {
    if (values[k] != 0.0f) {
      out->index.push_back(base + k);
      out->value.push_back(values[k]);
    }
  }
}

uint64_t ShapeKey(std::string_view shape) {
  uint64_t h = kShapeSeed;
  for (unsigned char c : shape) h = (h ^ c) * kFnvPrime;
  return h;
}

// One shape token per number in folded text (digits joined by single spaces, dots, commas
// or dashes, as ForEachNumber reads them): what kind of number it looks like, whatever its
// digits, so "0912 345 678" and "0987654321" share a feature.
template <class Emit>
void AddNumberShapes(std::string_view f, const Emit& emit) {
  static const uint64_t kPhone = ShapeKey("phone"), kShort = ShapeKey("short"),
                        kMoney = ShapeKey("money"), kCode = ShapeKey("code"),
                        kLong = ShapeKey("long"), kSmall = ShapeKey("small"),
                        kMixed = ShapeKey("mixed");
  ForEachNumber(f, [&](const NumberRun& n) {
    const bool letters_around = (n.start > 0 && LetterAt(f, n.start - 1)) || LetterAt(f, n.end);
    if (n.currency_before || MoneyUnitAt(f, n.end)) {
      emit(kMoney);
    } else if (LooksLikePhone(f, n)) {
      emit(kPhone);
    } else if (letters_around) {
      emit(kMixed);  // codes like "abc123", "x2"
    } else if (n.digits >= 3 && n.digits <= 5 && !n.separated) {
      emit(kShort);
    } else if (n.digits >= 6 && n.digits <= 8) {
      emit(kCode);  // OTP and booking codes, dates written without separators
    } else if (n.digits > 8) {
      emit(kLong);  // account and card numbers
    } else {
      emit(kSmall);
    }
  });
}

// FeatureOptions::message_shapes: a length, a word-count and a capitals token.
template <class Emit>
void AddMessageShapes(std::string_view original, std::string_view folded, const Emit& emit) {
  const auto bucket_key = [](char kind, size_t bucket) {
    const char name[] = {'m', kind, static_cast<char>('a' + bucket), 0};
    return ShapeKey(name);
  };
  size_t chars = 0;
  for (unsigned char c : original) chars += (c & 0xC0) != 0x80 ? 1 : 0;  // UTF-8 lead bytes
  emit(bucket_key('l', std::min<size_t>(chars / 20, 10)));
  size_t words = 0;
  bool in_word = false;
  for (unsigned char c : folded) {
    const bool w = IsWordByte(c);
    words += w && !in_word ? 1 : 0;
    in_word = w;
  }
  constexpr size_t kWordBounds[] = {0, 1, 2, 3, 5, 8, 12, 18, 25, 35};  // bucket = first bound >= words
  size_t wb = 0;
  while (wb < std::size(kWordBounds) && words > kWordBounds[wb]) ++wb;
  emit(bucket_key('w', wb));
  const float u = UpperRatio(original, folded);
  emit(bucket_key('u', u == 0 ? 0 : u < 0.1f ? 1 : u < 0.3f ? 2 : u < 0.6f ? 3 : 4));
}

void AddKey(std::vector<uint64_t>* keys, uint64_t key) {
  if (std::find(keys->begin(), keys->end(), key) == keys->end()) keys->push_back(key);
}

}  // namespace

bool Evidence::empty() const {
  if (!keys.empty()) return false;
  for (float w : rule_weight) {
    if (w != 0.0f) return false;
  }
  return true;
}

void Evidence::AddRule(std::string_view rule_id, Category category, double weight) {
  AddKey(&keys, EvidenceKey("r", rule_id));
  rule_weight[static_cast<size_t>(category)] += static_cast<float>(weight);
}

void Evidence::AddEntity(std::string_view entity_type) {
  AddKey(&keys, EvidenceKey("e", entity_type));
}

void Evidence::AddSender(std::string_view sender) {
  const std::string_view kind = SenderKind(sender);
  if (kind.empty()) return;
  // A personal number sending nothing the rules or extractors notice (no link, number, amount
  // or sign) is mostly a friend; the same number with a link is mostly a scam. A linear head
  // cannot learn that from the sender and the signals apart, so the pair is a key of its own.
  if (keys.empty()) AddKey(&keys, EvidenceKey("q", kind));
  AddKey(&keys, EvidenceKey("s", kind));
}

std::string_view SenderKind(std::string_view sender) {
  while (!sender.empty() && sender.front() == ' ') sender.remove_prefix(1);
  while (!sender.empty() && sender.back() == ' ') sender.remove_suffix(1);
  if (sender.empty()) return {};
  if (sender == "brandname" || sender == "brand") return "brandname";
  if (sender == "phone" || sender == "personal_number") return "phone";
  if (sender == "shortcode" || sender == "short_code") return "shortcode";
  size_t digits = 0, letters = 0, other = 0;
  for (size_t i = 0; i < sender.size(); ++i) {
    const unsigned char c = sender[i];
    if (IsDigit(c)) {
      ++digits;
    } else if (IsAsciiLetter(c) || c >= 0x80) {
      ++letters;
    } else if (!(c == ' ' || c == '.' || c == '-' || (c == '+' && i == 0))) {
      ++other;
    }
  }
  if (letters == 0 && other == 0) {
    if (digits >= 3 && digits <= 6) return "shortcode";
    if (digits >= 9 && digits <= 12) return "phone";
    return {};
  }
  // Brand names on Vietnamese SMS are short registered names ("VCB", "Viettel", "BIDV").
  if (letters > 0 && other == 0 && sender.size() <= 20) return "brandname";
  return {};
}

void AppendEvidenceFeatures(const Evidence& evidence, const FeatureOptions& options,
                            FeatureVector* out) {
  if (!options.evidence) return;
  const uint32_t shift = 64 - options.hash_bits;
  for (uint64_t key : evidence.keys) {
    out->index.push_back(static_cast<uint32_t>(Mix(key) >> shift));
    out->value.push_back(1.0f);
  }
  for (Category c : kAllCategories) {
    const float w = evidence.rule_weight[static_cast<size_t>(c)];
    if (w == 0.0f) continue;
    out->index.push_back(static_cast<uint32_t>(Mix(EvidenceKey("w", CategoryName(c))) >> shift));
    out->value.push_back(std::clamp(w / 5.0f, -1.0f, 2.0f));
  }
}

bool ValidFeatureOptions(const FeatureOptions& o) {
  if (o.hash_bits < 16 || o.hash_bits > 22) return false;
  const bool chars = o.char_max != 0;
  if (chars && (o.char_min < 1 || o.char_min > o.char_max || o.char_max > 8)) return false;
  if (o.accented_bigrams && !o.accented_words) return false;
  return chars || o.word_unigrams || o.word_bigrams || o.dense || o.accented_words || o.evidence;
}

void ExtractFeaturesFolded(std::string_view original, std::string_view folded,
                           const FeatureOptions& options, FeatureVector* out) {
  out->Clear();
  const uint32_t shift = 64 - options.hash_bits;
  auto emit = [&](uint64_t h) { out->index.push_back(static_cast<uint32_t>(Mix(h) >> shift)); };
  // Closes the current family's run for block_norm (empty runs are dropped).
  auto end_block = [&] {
    if (!options.block_norm) return;
    const uint32_t end = static_cast<uint32_t>(out->index.size());
    const uint32_t begin = out->blocks == 0 ? 0 : out->block_end[out->blocks - 1];
    if (end > begin && out->blocks < FeatureVector::kMaxBlocks) out->block_end[out->blocks++] = end;
  };
  const bool dc = options.digits_as_class;

  if (options.word_unigrams || options.word_bigrams) {
    uint64_t previous = 0;
    bool has_previous = false;
    size_t i = 0;
    while (i < folded.size()) {
      if (!IsWordByte(static_cast<unsigned char>(folded[i]))) {
        ++i;
        continue;
      }
      uint64_t h = kWordSeed;
      while (i < folded.size() && IsWordByte(static_cast<unsigned char>(folded[i]))) {
        h = (h ^ FeatureByte(static_cast<unsigned char>(folded[i]), dc)) * kFnvPrime;
        ++i;
      }
      if (options.word_unigrams) emit(h);
      if (options.word_bigrams && has_previous) emit((previous * kFnvPrime) ^ h ^ kBigramSeed);
      previous = h;
      has_previous = true;
    }
  }
  if (options.number_shapes) AddNumberShapes(folded, emit);
  end_block();
  // A block of their own: inside the word block the three tokens would dilute the few words
  // of a short message (measured: 0.970 there, 0.971 here).
  if (options.message_shapes) AddMessageShapes(original, folded, emit);
  end_block();

  if (options.accented_words) {
    // Only words with a non-ASCII byte: plain ASCII words are already word unigrams (and
    // bigrams of two plain words already folded bigrams).
    uint64_t previous = 0;
    bool has_previous = false, previous_accented = false;
    size_t i = 0;
    while (i < original.size()) {
      if (!IsWordByte(static_cast<unsigned char>(original[i]))) {
        ++i;
        continue;
      }
      uint64_t h = kAccentedSeed;
      bool accented = false;
      while (i < original.size() && IsWordByte(static_cast<unsigned char>(original[i]))) {
        unsigned char c = static_cast<unsigned char>(original[i]);
        if (c >= 0x80) accented = true;
        if (c >= 'A' && c <= 'Z') c |= 0x20;
        h = (h ^ FeatureByte(c, dc)) * kFnvPrime;
        ++i;
      }
      if (accented) emit(h);
      if (options.accented_bigrams && has_previous && (accented || previous_accented)) {
        emit((previous * kFnvPrime) ^ h ^ kAccentedBigramSeed);
      }
      previous = h;
      has_previous = true;
      previous_accented = accented;
    }
  }
  end_block();

  if (options.char_max != 0) {
    // Padded with a space on both sides so the first and last letters of the message (or of
    // each word, when word-bounded) form n-grams of their own, as the inner ones do.
    thread_local std::string padded;
    const size_t max_n = options.char_max;
    const size_t min_n = options.char_min;
    const auto grams = [&](const unsigned char* bytes, size_t len) {
      for (size_t i = 0; i < len; ++i) {
        uint64_t h = kCharSeed;
        const size_t top = std::min(max_n, len - i);
        for (size_t n = 1; n <= top; ++n) {
          h = (h ^ bytes[i + n - 1]) * kFnvPrime;
          if (n >= min_n) emit(h + n);
        }
      }
    };
    padded.assign(1, ' ');
    padded.append(folded);
    padded.push_back(' ');
    if (dc) {
      for (char& c : padded)
        c = static_cast<char>(FeatureByte(static_cast<unsigned char>(c), true));
    }
    const auto* bytes = reinterpret_cast<const unsigned char*>(padded.data());
    if (options.char_word_bounded) {
      // Folded text has single spaces between words, so each word with the spaces around it
      // is a slice of `padded`.
      size_t start = 0;
      while (start + 1 < padded.size()) {
        size_t end = padded.find(' ', start + 1);
        if (end == std::string::npos) end = padded.size() - 1;
        if (end > start + 1) grams(bytes + start, end - start + 1);
        start = end;
      }
    } else {
      grams(bytes, padded.size());
    }
  }
  end_block();

  const size_t hashed = out->index.size();
  if (options.block_norm) {
    out->value.resize(hashed);
    uint32_t begin = 0;
    for (uint32_t b = 0; b < out->blocks; ++b) {
      const uint32_t end = out->block_end[b];
      const float v = 1.0f / std::sqrt(static_cast<float>(end - begin));
      std::fill(out->value.begin() + begin, out->value.begin() + end, v);
      begin = end;
    }
  } else {
    out->value.assign(hashed, hashed == 0 ? 0.0f : 1.0f / std::sqrt(static_cast<float>(hashed)));
  }
  if (options.dense) AddDense(original, folded, uint32_t{1} << options.hash_bits, out);
}

void ExtractFeatures(std::string_view text, const FeatureOptions& options, FeatureVector* out) {
  thread_local std::string folded;
  folded = text::Fold(text);
  ExtractFeaturesFolded(text, folded, options, out);
}

}  // namespace khien::safety
