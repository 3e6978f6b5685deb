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

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "safety/category.h"

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
  uint8_t char_min = 1;         // character n-grams over the folded text, spaces included;
  uint8_t char_max = 5;         // char_max == 0 disables them
  bool digits_as_class = true;  // every digit becomes '0' in the hashed features
  bool dense = true;            // the DenseFeature signals
  // Word unigrams of the original text with its diacritics (ASCII lower-cased): "bán",
  // "bạn" and "bàn" fold to the same "ban" but mean different things.
  bool accented_words = true;
  // Evidence from the rest of the checker (see Evidence below): a "stacked" head. Off by
  // default; `khien safety train` turns it on.
  bool evidence = false;
  // TF-IDF instead of binary counts for the hashed features: sublinear term frequency
  // (1 + log count) times the bucket's inverse document frequency in the training data (kept
  // in the model), the hashed part L2-normalised. Off by default.
  bool tfidf = false;
  // NB-SVM (Wang & Manning 2012): each hashed bucket also scaled by its log-count ratio
  // between positives and negatives of the training rows (kept in the model). Off by default.
  bool nb_ratio = false;
  // Character n-grams inside each space-separated word of the folded text, the word padded
  // with a space on each side (scikit-learn's "char_wb") instead of across the whole message:
  // n-grams spanning two words are mostly noise that word bigrams already cover.
  // The four options from here on and char_min 1 are the defaults since round 3
  // (bench/safety_accuracy.md); models saved before them load with them off.
  bool char_word_bounded = true;
  // Each feature family (folded words and bigrams, accented words, character n-grams) is
  // normalised on its own, so the few word features are not drowned by the many character
  // n-grams (as a union of separately normalised vectorisers). Off: one norm for all.
  bool block_norm = true;
  // Word bigrams of the original text with its diacritics (ASCII lower-cased), beside its
  // accented unigrams: "bán hàng" vs "bạn hàng". Needs accented_words.
  bool accented_bigrams = true;
  // A shape token per word that holds a digit: phone-like, short code, amount of money,
  // other number by length ("0912345678" → <phone>, "9029" → <short>, "500k" → <money>).
  bool number_shapes = true;
  // Three tokens for the shape of the whole message: its length in characters (steps of
  // 20 up to 200), its number of words (buckets growing with the count) and its share of
  // capitals (none, < 10 %, < 30 %, < 60 %, more). SMS spam tends to fill the 160-character
  // limit and shout, chat is short; the dense kLengthLog and kUpperRatio are linear and
  // cannot say "long, but not too long". The tokens are a block of their own for
  // block_norm. Off here, on for scam heads (DefaultTrainOptionsFor; round 7 of
  // bench/safety_accuracy.md); models saved before it load with it off.
  bool message_shapes = false;

  // Back to the features before round 3 (char 2-5-grams across words, one norm, no accented
  // bigrams, no number shapes): the shipped default model and the comparison flags use them.
  void UseRound1Features() {
    char_min = 2;
    char_word_bounded = false;
    block_norm = false;
    accented_bigrams = false;
    number_shapes = false;
  }

  bool operator==(const FeatureOptions&) const = default;
};

// Sparse feature vector: parallel arrays, indices may repeat (counts add up).
struct FeatureVector {
  static constexpr size_t kMaxBlocks = 4;
  std::vector<uint32_t> index;
  std::vector<float> value;
  // With FeatureOptions::block_norm: the hashed features are `blocks` runs, run b ending
  // (exclusive) at position block_end[b]. Zero otherwise (all hashed features one run).
  std::array<uint32_t, kMaxBlocks> block_end{};
  uint32_t blocks = 0;

  void Clear() {
    index.clear();
    value.clear();
    blocks = 0;
  }
  size_t size() const { return index.size(); }
};

// What the rest of the checker found in a message, as features of a stacked head: which
// rules fired, the sum of their weights per category, which kinds of entity were found, and
// the kind of sender when the caller knows it. The model then learns how much each rule is
// worth against hard negatives (carrier promotions also have links and prices) instead of
// the raw rule weights being added to its log-odds.
//
// The checker fills it from a rules-only pass before it asks the model; `khien safety train`
// fills it from a rules-only Check of each training example, so both see the same evidence.
struct Evidence {
  std::vector<uint64_t> keys;  // hashed names, each once: rule ids, entity types, sender kind
  std::array<float, kAllCategories.size()> rule_weight{};  // Σ weights of the fired rules

  void Clear() {
    keys.clear();
    rule_weight.fill(0.0f);
  }
  bool empty() const;
  void AddRule(std::string_view rule_id, Category category, double weight);
  void AddEntity(std::string_view entity_type);  // EntityTypeName: "url", "phone", ...
  // `sender` as given by the caller; see SenderKind. Unknown kinds add nothing. Call it last:
  // when no rule or entity was added before, it also adds "this sender, nothing else".
  void AddSender(std::string_view sender);
};

// The kind of sender: "brandname", "phone" or "shortcode", from either the kind itself
// ("brandname", "phone", "personal_number", "shortcode") or what a phone shows as the sender
// ("VCB" → brandname, "0912 345 678" / "+84…" → phone, "9029" → shortcode). Empty when it
// cannot tell.
std::string_view SenderKind(std::string_view sender);

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

// Appends the evidence features (value 1 per key; each category's rule weight sum / 5,
// clamped to [-1, 2]) to `out`; does nothing unless options.evidence.
void AppendEvidenceFeatures(const Evidence& evidence, const FeatureOptions& options,
                            FeatureVector* out);

}  // namespace khien::safety
