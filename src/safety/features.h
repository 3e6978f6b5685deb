// Features of a message for the learned classifier: hashed sparse features of the folded
// text (word unigrams and bigrams, character 2–5-grams) plus a few dense signals of the
// original text (links, phone numbers, digits, money amounts, capitals).
//
// Every hashed feature lands in one of 2^hash_bits buckets; dense features have the fixed
// indices [2^hash_bits, 2^hash_bits + kDenseFeatureCount). A head's weight vector therefore
// has Dimension(options) entries. Hash collisions are accepted: with 2^18 buckets and a few
// hundred features per message they cost almost nothing.
//
// The hash functions and the feature layout are part of the model file format: changing
// them changes predictions of saved models, so bump kFeatureVersion when you do.
//
// Thread-safety: pure functions; the caller owns the output buffer (reuse it across calls
// so the hot path does not allocate).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace khien::safety {

inline constexpr uint32_t kFeatureVersion = 1;

// Dense features, in index order after the hashed buckets.
enum DenseFeature : uint32_t {
  kHasUrl = 0,  // a link or a bare domain with a common TLD
  kHasPhone,    // 9–12 digits, optionally split by spaces, dots or dashes, or +84…
  kHasShortCode,  // a 3–5 digit number standing alone (carrier short codes, "soạn … gửi 9029")
  kDigitRatio,  // digits / non-space characters
  kHasMoney,    // an amount: "500k", "5tr", "2 triệu", "1.000.000đ", "$100", "£1000"
  kUpperRatio,  // capitals in the original / letters (same for NFC and NFD input)
  kLengthLog,   // log(1 + bytes of folded text) / 8, capped at 1
  kDenseFeatureCount
};

struct FeatureOptions {
  uint8_t hash_bits = 18;  // 2^hash_bits buckets; 16..22
  bool word_unigrams = true;
  bool word_bigrams = true;
  uint8_t char_min = 2;         // character n-grams over the folded text, spaces included;
  uint8_t char_max = 5;         // char_max == 0 disables them
  bool digits_as_class = true;  // every digit becomes '0' in the hashed features
  bool dense = true;            // the DenseFeature signals
  // Word unigrams of the original text with its diacritics (ASCII lower-cased): "bán",
  // "bạn" and "bàn" fold to the same "ban" but mean different things.
  bool accented_words = true;

  bool operator==(const FeatureOptions&) const = default;
};

// Sparse feature vector: parallel arrays, indices may repeat (counts add up).
struct FeatureVector {
  std::vector<uint32_t> index;
  std::vector<float> value;

  void Clear() {
    index.clear();
    value.clear();
  }
  size_t size() const { return index.size(); }
};

inline uint32_t Dimension(const FeatureOptions& o) {
  return (uint32_t{1} << o.hash_bits) + kDenseFeatureCount;
}

// True if the options can be used (hash_bits in 16..22, 1 <= char_min <= char_max <= 8 when
// enabled, at least one feature family on).
bool ValidFeatureOptions(const FeatureOptions& o);

// Fills `out` (cleared first) with the features of `text`, the original message.
// Hashed features get value 1/sqrt(number of hashed features) so long and short messages
// weigh alike; dense features keep their value in [0, 1].
void ExtractFeatures(std::string_view text, const FeatureOptions& options, FeatureVector* out);

// As above for text that is already folded (khien::text::Fold) — used where the caller folds
// once for several purposes. `original` is needed for the dense features.
void ExtractFeaturesFolded(std::string_view original, std::string_view folded,
                           const FeatureOptions& options, FeatureVector* out);

}  // namespace khien::safety
