#include "safety/classifier.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <mutex>
#include <sstream>

#include "base/text.h"
#include "safety/default_model.h"

namespace khien::safety {
namespace {

// ---- Model file format (little-endian) ----------------------------------------------
// "KHIENCLF" | u32 format version | u32 feature version | u32 head count |
// per head: u8 category, u8 hash_bits, u8 word_unigrams, u8 word_bigrams, u8 char_min,
//           u8 char_max, u8 digits_as_class, u8 dense, u8 accented_words,
//           [format ≥ 2: u8 evidence] [format ≥ 3: u8 tfidf, u8 nb_ratio]
//           [format ≥ 4: u8 char_word_bounded, u8 block_norm, u8 accented_bigrams,
//           u8 number_shapes] [format ≥ 5: u8 message_shapes], f32 bias, f32 platt_a,
//           f32 platt_b, u32 non-zero count, then (u32 index, f32 weight) pairs in increasing index
//           order, [format 3 with tfidf or nb_ratio: f32 scale of most buckets, u32 count,
//           (u32 bucket, f32 scale) pairs for the others in increasing bucket order] |
// u64 FNV-1a checksum of every byte before it.
constexpr char kMagic[8] = {'K', 'H', 'I', 'E', 'N', 'C', 'L', 'F'};
// 1 (9 option bytes), 2 (10: + evidence) and 3 (12: + tfidf, nb_ratio) are still read; 4
// adds char_word_bounded, block_norm, accented_bigrams and number_shapes (16), still read;
// 5 adds message_shapes.
constexpr uint32_t kFormatVersion = 5;

struct Head {
  Category category = Category::kScam;
  FeatureOptions features;
  float bias = 0.0f;
  float platt_a = 1.0f;  // p = sigmoid(platt_a * score + platt_b)
  float platt_b = 0.0f;
  std::vector<float> weights;  // Dimension(features) entries
  // Per-bucket multiplier (idf, NB log-count ratio or both): 2^hash_bits entries when
  // UsesScale(features), else empty.
  std::vector<float> scale;
};

bool UsesScale(const FeatureOptions& o) { return o.tfidf || o.nb_ratio; }

// Replaces the hashed part of `fv` (indices below `buckets`, which ExtractFeatures puts
// first) by (sublinear tf when `sublinear`, else 1) × scale, L2-normalised (each block on its
// own when fv has blocks); dense features stay as they are.
void ApplyScale(const std::vector<float>& scale, uint32_t buckets, bool sublinear,
                FeatureVector* fv) {
  thread_local std::vector<uint32_t> hashed;
  thread_local std::vector<std::pair<uint32_t, float>> rest;
  hashed.clear();
  rest.clear();
  for (size_t k = 0; k < fv->size(); ++k) {
    if (fv->index[k] < buckets) {
      hashed.push_back(fv->index[k]);
    } else {
      rest.emplace_back(fv->index[k], fv->value[k]);
    }
  }
  std::array<uint32_t, FeatureVector::kMaxBlocks> block_end = fv->block_end;
  uint32_t blocks = fv->blocks;
  if (blocks == 0) {
    block_end[0] = static_cast<uint32_t>(hashed.size());
    blocks = 1;
  }
  fv->Clear();
  uint32_t begin = 0;
  for (uint32_t b = 0; b < blocks; ++b) {
    const uint32_t end = std::min<uint32_t>(block_end[b], static_cast<uint32_t>(hashed.size()));
    std::sort(hashed.begin() + begin, hashed.begin() + end);
    const size_t out_begin = fv->size();
    double norm2 = 0;
    for (size_t k = begin; k < end;) {
      size_t j = k;
      while (j < end && hashed[j] == hashed[k]) ++j;
      const float tf = sublinear ? 1.0f + std::log(static_cast<float>(j - k)) : 1.0f;
      const float v = tf * scale[hashed[k]];
      fv->index.push_back(hashed[k]);
      fv->value.push_back(v);
      norm2 += static_cast<double>(v) * v;
      k = j;
    }
    if (norm2 > 0) {
      const float inv = static_cast<float>(1.0 / std::sqrt(norm2));
      for (size_t k = out_begin; k < fv->size(); ++k) fv->value[k] *= inv;
    }
    begin = end;
  }
  for (const auto& [i, v] : rest) {
    fv->index.push_back(i);
    fv->value.push_back(v);
  }
}

// The per-bucket multiplier from the examples `rows` (all when empty): smoothed idf
// log((1 + n) / (1 + df)) + 1 when tfidf, times the NB log-count ratio
// log((p_i / |p|) / (q_i / |q|)) with p, q = 1 + document counts among positives / negatives.
std::vector<float> ComputeScale(const std::vector<LabelledText>& examples,
                                const std::vector<uint32_t>& rows, const FeatureOptions& options) {
  const uint32_t buckets = uint32_t{1} << options.hash_bits;
  std::vector<uint32_t> df(buckets, 0), df_pos(buckets, 0);
  FeatureVector fv;
  std::vector<uint32_t> seen;
  size_t n = 0;
  const auto add = [&](const LabelledText& e) {
    ExtractFeatures(e.text, options, &fv);
    seen.clear();
    for (uint32_t i : fv.index) {
      if (i < buckets) seen.push_back(i);
    }
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    for (uint32_t i : seen) {
      ++df[i];
      if (e.positive) ++df_pos[i];
    }
    ++n;
  };
  if (rows.empty()) {
    for (const LabelledText& e : examples) add(e);
  } else {
    for (uint32_t r : rows) add(examples[r]);
  }
  std::vector<float> scale(buckets, 1.0f);
  if (options.tfidf) {
    for (uint32_t i = 0; i < buckets; ++i) {
      scale[i] = static_cast<float>(std::log((1.0 + n) / (1.0 + df[i])) + 1.0);
    }
  }
  if (options.nb_ratio) {
    double p_sum = 0, q_sum = 0;
    for (uint32_t i = 0; i < buckets; ++i) {
      p_sum += 1.0 + df_pos[i];
      q_sum += 1.0 + (df[i] - df_pos[i]);
    }
    for (uint32_t i = 0; i < buckets; ++i) {
      const double p = (1.0 + df_pos[i]) / p_sum;
      const double q = (1.0 + (df[i] - df_pos[i])) / q_sum;
      scale[i] *= static_cast<float>(std::log(p / q));
    }
  }
  return scale;
}

inline float Sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

uint64_t Fnv1a(std::string_view bytes) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
  return h;
}

// Deterministic on every platform, unlike std::shuffle and the std distributions.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  uint32_t Below(uint32_t n) { return static_cast<uint32_t>(Next() % n); }

 private:
  uint64_t state_;
};

template <class T>
void Shuffle(std::vector<T>* v, SplitMix64* rng) {
  for (size_t i = v->size(); i > 1; --i) std::swap((*v)[i - 1], (*v)[rng->Below(i)]);
}

// All examples' features in one CSR block, extracted once per training call.
struct Dataset {
  std::vector<uint32_t> start;  // row r is [start[r], start[r+1])
  std::vector<uint32_t> index;
  std::vector<float> value;
  std::vector<uint8_t> label;
  size_t rows() const { return label.size(); }
};

Dataset BuildDataset(const std::vector<LabelledText>& examples, const FeatureOptions& options,
                     const std::vector<float>& scale) {
  Dataset d;
  d.start.reserve(examples.size() + 1);
  d.start.push_back(0);
  FeatureVector fv;
  for (const LabelledText& e : examples) {
    ExtractFeatures(e.text, options, &fv);
    if (UsesScale(options)) {
      ApplyScale(scale, uint32_t{1} << options.hash_bits, options.tfidf, &fv);
    }
    AppendEvidenceFeatures(e.evidence, options, &fv);
    d.index.insert(d.index.end(), fv.index.begin(), fv.index.end());
    d.value.insert(d.value.end(), fv.value.begin(), fv.value.end());
    d.start.push_back(static_cast<uint32_t>(d.index.size()));
    d.label.push_back(e.positive ? 1 : 0);
  }
  return d;
}

struct Linear {
  std::vector<float> w;
  float bias = 0.0f;

  float Score(const Dataset& d, size_t r) const {
    float s = bias;
    for (uint32_t k = d.start[r]; k < d.start[r + 1]; ++k) s += w[d.index[k]] * d.value[k];
    return s;
  }
};

// Logistic regression by AdaGrad over the rows `rows` of `d`.
Linear FitLinear(const Dataset& d, std::vector<uint32_t> rows, uint32_t dimension,
                 const TrainOptions& o, uint64_t seed) {
  Linear m;
  m.w.assign(dimension, 0.0f);
  std::vector<float> g2(dimension, 0.0f);
  float bias_g2 = 0.0f;
  size_t positives = 0;
  for (uint32_t r : rows) positives += d.label[r];
  const size_t negatives = rows.size() - positives;
  // Balanced weights are n / (2 n_class); class_balance interpolates from 1 (plain loss).
  const auto weight = [&](size_t n_class) {
    const double balanced = static_cast<double>(rows.size()) / (2.0 * std::max<size_t>(1, n_class));
    return static_cast<float>(std::pow(balanced, static_cast<double>(o.class_balance)));
  };
  const float w_pos = weight(positives);
  const float w_neg = weight(negatives);
  constexpr float kEps = 1e-8f;
  SplitMix64 rng(seed);
  for (int epoch = 0; epoch < o.epochs; ++epoch) {
    Shuffle(&rows, &rng);
    for (uint32_t r : rows) {
      const float y = static_cast<float>(d.label[r]);
      const float p = Sigmoid(m.Score(d, r));
      const float g = (p - y) * (d.label[r] ? w_pos : w_neg);
      for (uint32_t k = d.start[r]; k < d.start[r + 1]; ++k) {
        const uint32_t i = d.index[k];
        const float grad = g * d.value[k] + o.l2 * m.w[i];
        g2[i] += grad * grad;
        m.w[i] -= o.learning_rate * grad / (std::sqrt(g2[i]) + kEps);
      }
      bias_g2 += g * g;
      m.bias -= o.learning_rate * g / (std::sqrt(bias_g2) + kEps);
    }
  }
  return m;
}

// NB log-count ratios (see TrainOptions::nb_ensemble) over all `dimension` feature indices,
// from the document counts of the rows `rows` of `d`: log((p_i / |p|) / (q_i / |q|)), with
// p, q = 1 + number of positive / negative rows that have feature i.
std::vector<float> NbRatios(const Dataset& d, const std::vector<uint32_t>& rows, uint32_t dimension) {
  std::vector<uint32_t> df_pos(dimension, 0), df_neg(dimension, 0);
  std::vector<uint32_t> last(dimension, UINT32_MAX);  // last row that counted index i
  for (uint32_t r : rows) {
    std::vector<uint32_t>& df = d.label[r] ? df_pos : df_neg;
    for (uint32_t k = d.start[r]; k < d.start[r + 1]; ++k) {
      const uint32_t i = d.index[k];
      if (d.value[k] == 0.0f || last[i] == r) continue;
      last[i] = r;
      ++df[i];
    }
  }
  double p_sum = 0, q_sum = 0;
  for (uint32_t i = 0; i < dimension; ++i) {
    p_sum += 1.0 + df_pos[i];
    q_sum += 1.0 + df_neg[i];
  }
  std::vector<float> ratio(dimension);
  for (uint32_t i = 0; i < dimension; ++i) {
    ratio[i] = static_cast<float>(std::log(((1.0 + df_pos[i]) / p_sum) / ((1.0 + df_neg[i]) / q_sum)));
  }
  return ratio;
}

// `d` with every value multiplied by the ratio of its index.
Dataset WithRatios(const Dataset& d, const std::vector<float>& ratio) {
  Dataset out = d;
  for (size_t k = 0; k < out.value.size(); ++k) out.value[k] *= ratio[out.index[k]];
  return out;
}

// Platt scaling with the target smoothing and Newton iterations of Lin, Lin & Weng (2007).
std::pair<float, float> FitPlatt(const std::vector<float>& scores, const std::vector<uint8_t>& y) {
  double prior1 = 0;
  for (uint8_t v : y) prior1 += v;
  const double prior0 = static_cast<double>(y.size()) - prior1;
  const double hi = (prior1 + 1.0) / (prior1 + 2.0);
  const double lo = 1.0 / (prior0 + 2.0);
  std::vector<double> t(y.size());
  for (size_t i = 0; i < y.size(); ++i) t[i] = y[i] ? hi : lo;
  double a = 0.0;
  double b = std::log((prior0 + 1.0) / (prior1 + 1.0));
  // Here the model is p = 1 / (1 + exp(a*s + b)); we return the negated pair at the end.
  auto objective = [&](double aa, double bb) {
    double f = 0;
    for (size_t i = 0; i < y.size(); ++i) {
      const double fapb = scores[i] * aa + bb;
      f += fapb >= 0 ? t[i] * fapb + std::log1p(std::exp(-fapb))
                     : (t[i] - 1) * fapb + std::log1p(std::exp(fapb));
    }
    return f;
  };
  double fval = objective(a, b);
  for (int it = 0; it < 100; ++it) {
    double h11 = 1e-12, h22 = 1e-12, h21 = 0, g1 = 0, g2 = 0;
    for (size_t i = 0; i < y.size(); ++i) {
      const double fapb = scores[i] * a + b;
      double p, q;
      if (fapb >= 0) {
        p = std::exp(-fapb) / (1.0 + std::exp(-fapb));
        q = 1.0 / (1.0 + std::exp(-fapb));
      } else {
        p = 1.0 / (1.0 + std::exp(fapb));
        q = std::exp(fapb) / (1.0 + std::exp(fapb));
      }
      const double d2 = p * q;
      h11 += scores[i] * scores[i] * d2;
      h22 += d2;
      h21 += scores[i] * d2;
      const double d1 = t[i] - p;
      g1 += scores[i] * d1;
      g2 += d1;
    }
    if (std::fabs(g1) < 1e-5 && std::fabs(g2) < 1e-5) break;
    const double det = h11 * h22 - h21 * h21;
    const double da = -(h22 * g1 - h21 * g2) / det;
    const double db = -(-h21 * g1 + h11 * g2) / det;
    const double gd = g1 * da + g2 * db;
    double step = 1.0;
    bool moved = false;
    while (step >= 1e-10) {
      const double na = a + step * da;
      const double nb = b + step * db;
      const double nf = objective(na, nb);
      if (nf < fval + 1e-4 * step * gd) {
        a = na;
        b = nb;
        fval = nf;
        moved = true;
        break;
      }
      step /= 2.0;
    }
    if (!moved) break;
  }
  return {static_cast<float>(-a), static_cast<float>(-b)};
}

// The probability threshold with the best F1 on out-of-fold scores whose false-positive rate
// stays within max_fpr; the midpoint between neighbouring scores, clamped to [0.05, 0.95]
// so a head never flags (or clears) everything.
float BestThreshold(const std::vector<float>& scores, const std::vector<uint8_t>& y, float a,
                    float b, float max_fpr) {
  std::vector<std::pair<float, uint8_t>> ranked(scores.size());
  size_t positives = 0;
  for (size_t i = 0; i < scores.size(); ++i) {
    ranked[i] = {Sigmoid(a * scores[i] + b), y[i]};
    positives += y[i];
  }
  std::sort(ranked.begin(), ranked.end(), std::greater<>());
  const size_t negatives = ranked.size() - positives;
  size_t tp = 0, fp = 0;
  double best_f1 = -1;
  float best = 0.5f;
  for (size_t k = 0; k < ranked.size(); ++k) {
    (ranked[k].second ? tp : fp) += 1;
    if (k + 1 < ranked.size() && ranked[k + 1].first == ranked[k].first) continue;
    if (static_cast<double>(fp) > max_fpr * static_cast<double>(negatives)) break;
    const double f1 = 2.0 * tp / static_cast<double>(2 * tp + fp + (positives - tp));
    if (f1 > best_f1) {
      best_f1 = f1;
      best = k + 1 < ranked.size() ? (ranked[k].first + ranked[k + 1].first) / 2 : ranked[k].first;
    }
  }
  return std::clamp(best, 0.05f, 0.95f);
}

Error InvalidModel(const std::string& name, const std::string& why_vi, const std::string& why_en) {
  return Error::InvalidInput("model", "Tệp mô hình " + name + " không hợp lệ: " + why_vi,
                             "Model file " + name + " is invalid: " + why_en);
}

template <class T>
void Put(std::string* out, T v) {
  char buf[sizeof(T)];
  std::memcpy(buf, &v, sizeof(T));
  out->append(buf, sizeof(T));
}

class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  template <class T>
  bool Get(T* v) {
    if (data_.size() - pos_ < sizeof(T)) return false;
    std::memcpy(v, data_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  size_t remaining() const { return data_.size() - pos_; }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

}  // namespace

struct Classifier::Impl {
  std::vector<Head> heads;  // at most one per category, in category order
  // When every head uses the same features (the usual case), their weights interleaved
  // bucket by bucket: packed[i * kMaxHeads + h] is head h's weight for feature i, so one
  // cache line serves all heads. Empty otherwise. Rebuilt by Repack() after any change.
  static constexpr size_t kMaxHeads = kAllCategories.size();
  std::vector<float> packed;

  void Repack() {
    packed.clear();
    if (heads.size() < 2) return;
    for (const Head& h : heads) {
      // TF-IDF values depend on each head's own document frequencies.
      if (!(h.features == heads[0].features) || UsesScale(h.features)) return;
    }
    const size_t dim = heads[0].weights.size();
    packed.assign(dim * kMaxHeads, 0.0f);
    for (size_t h = 0; h < heads.size(); ++h) {
      for (size_t i = 0; i < dim; ++i) packed[i * kMaxHeads + h] = heads[h].weights[i];
    }
  }

  Head* Find(Category c) {
    for (Head& h : heads) {
      if (h.category == c) return &h;
    }
    return nullptr;
  }
};

TrainOptions DefaultTrainOptionsFor(Category category) {
  TrainOptions o;
  if (category == Category::kScam) {
    o.tune_threshold_max_fpr = 0.01f;
    o.bags = 5;
    // English SMS spam (trained as scam) +0.006..+0.008 F1 on each of four training seeds
    // (mean 0.964 -> 0.971); Vietnamese scam F1 within noise (+0.004..+0.007), FPR +0.05
    // points (round 7 of bench/safety_accuracy.md).
    o.features.message_shapes = true;
  }
  if (category == Category::kToxic) {
    o.nb_ensemble = true;
    o.average_fold_models = true;
    o.epochs = 5;
    // 2^20 buckets: ViHSD dev +0.006 F1 on each of four training seeds (train CV -0.002,
    // within noise); 4 MB instead of 1 MB for this head (bench/safety_accuracy.md, round 5).
    o.features.hash_bits = 20;
  }
  return o;
}

Classifier::Classifier() : impl_(std::make_unique<Impl>()) {}
Classifier::~Classifier() = default;
Classifier::Classifier(Classifier&&) noexcept = default;
Classifier& Classifier::operator=(Classifier&&) noexcept = default;

bool Classifier::HasHead(Category category) const {
  return impl_ && impl_->Find(category) != nullptr;
}

Result<void> Classifier::Train(Category category, const std::vector<LabelledText>& examples) {
  return Train(category, examples, TrainOptions{});
}

Result<void> Classifier::Train(Category category, const std::vector<LabelledText>& examples,
                               const TrainOptions& options) {
  if (!ValidFeatureOptions(options.features) || options.epochs < 1 ||
      !(options.learning_rate > 0) || !(options.l2 >= 0) || !(options.class_balance >= 0) ||
      !(options.tune_threshold_max_fpr <= 1.0f)) {
    return Error::InvalidInput("options", "Tham số huấn luyện không hợp lệ.",
                               "Invalid training options.");
  }
  size_t positives = 0;
  for (const LabelledText& e : examples) positives += e.positive ? 1 : 0;
  const std::string name(CategoryName(category));
  if (positives == 0) {
    return Error::InvalidInput("data", "Không có ví dụ dương tính nào cho nhóm " + name + ".",
                               "There are no positive examples for category " + name + ".");
  }
  if (positives == examples.size()) {
    return Error::InvalidInput("data", "Không có ví dụ âm tính nào cho nhóm " + name + ".",
                               "There are no negative examples for category " + name + ".");
  }

  Head head;
  head.category = category;
  head.features = options.features;
  if (UsesScale(options.features)) head.scale = ComputeScale(examples, {}, options.features);
  const Dataset d = BuildDataset(examples, options.features, head.scale);
  const uint32_t dim = Dimension(options.features);
  const bool ensemble = options.nb_ensemble && !UsesScale(options.features);
  constexpr uint64_t kNbSeed = 0x6e622d6c72ull;  // the NB-LR model's own shuffles
  const bool average = options.average_fold_models && !options.features.nb_ratio;
  // Calibration: out-of-fold scores from stratified folds, then Platt scaling, of
  // every bag (TrainOptions::bags) averaged.
  const int folds =
      std::min<int>(options.calibration_folds,
                    static_cast<int>(std::min(positives, examples.size() - positives)));
  std::vector<float> bag_scores(folds >= 2 ? d.rows() : 0, 0.0f);
  Linear bagged;
  bagged.w.assign(dim, 0.0f);
  const int bags = std::max(1, options.bags);
  for (int bag = 0; bag < bags; ++bag) {
    // Bag 0 is the plain model; the others differ in their shuffles and calibration folds.
    const uint64_t seed = options.seed + static_cast<uint64_t>(bag) * 0x9e3779b97f4a7c15ull;
    Linear committee;  // sum of the calibration folds' models when averaging
    int committee_size = 0;
    if (average) committee.w.assign(dim, 0.0f);

    // Calibration: out-of-fold scores from stratified folds (Platt scaling below).
    if (folds >= 2) {
      std::vector<int> fold_of(d.rows());
      SplitMix64 rng(seed ^ 0x5bd1e995u);
      for (uint8_t cls = 0; cls < 2; ++cls) {
        std::vector<uint32_t> members;
        for (uint32_t r = 0; r < d.rows(); ++r) {
          if (d.label[r] == cls) members.push_back(r);
        }
        Shuffle(&members, &rng);
        for (size_t k = 0; k < members.size(); ++k) fold_of[members[k]] = static_cast<int>(k % folds);
      }
      std::vector<float> scores(d.rows());
      for (int f = 0; f < folds; ++f) {
        std::vector<uint32_t> train_rows;
        for (uint32_t r = 0; r < d.rows(); ++r) {
          if (fold_of[r] != f) train_rows.push_back(r);
        }
        if (ensemble) {
          const Linear m = FitLinear(d, train_rows, dim, options, seed + f + 1);
          const std::vector<float> ratio = NbRatios(d, train_rows, dim);
          const Dataset nb = WithRatios(d, ratio);
          const Linear v = FitLinear(nb, std::move(train_rows), dim, options, seed + f + 1 + kNbSeed);
          for (uint32_t r = 0; r < d.rows(); ++r) {
            if (fold_of[r] == f) scores[r] = m.Score(d, r) + v.Score(nb, r);
          }
          if (average) {
            for (uint32_t i = 0; i < dim; ++i) committee.w[i] += m.w[i] + ratio[i] * v.w[i];
            committee.bias += m.bias + v.bias;
            ++committee_size;
          }
          continue;
        }
        if (options.features.nb_ratio) {
          // The ratios come from the labels: compute them without the fold being scored, or
          // the out-of-fold scores (and so the calibration) would be optimistic.
          const Dataset df =
              BuildDataset(examples, options.features, ComputeScale(examples, train_rows, options.features));
          const Linear m = FitLinear(df, std::move(train_rows), dim, options, seed + f + 1);
          for (uint32_t r = 0; r < df.rows(); ++r) {
            if (fold_of[r] == f) scores[r] = m.Score(df, r);
          }
          continue;
        }
        const Linear m = FitLinear(d, std::move(train_rows), dim, options, seed + f + 1);
        for (uint32_t r = 0; r < d.rows(); ++r) {
          if (fold_of[r] == f) scores[r] = m.Score(d, r);
        }
        if (average) {
          for (uint32_t i = 0; i < dim; ++i) committee.w[i] += m.w[i];
          committee.bias += m.bias;
          ++committee_size;
        }
      }
      for (uint32_t r = 0; r < d.rows(); ++r) bag_scores[r] += scores[r];
    }

    std::vector<uint32_t> all(d.rows());
    for (uint32_t r = 0; r < d.rows(); ++r) all[r] = r;
    Linear m = FitLinear(d, all, dim, options, seed);
    if (ensemble) {
      // The NB-LR model's score v·(r∘x) is (r∘v)·x: fold it into the one weight vector.
      const std::vector<float> ratio = NbRatios(d, all, dim);
      const Linear v = FitLinear(WithRatios(d, ratio), std::move(all), dim, options, seed + kNbSeed);
      for (uint32_t i = 0; i < dim; ++i) m.w[i] += ratio[i] * v.w[i];
      m.bias += v.bias;
    }
    if (committee_size > 0) {
      // The calibration folds' models and the full one, averaged (one linear model again).
      const float n = static_cast<float>(committee_size + 1);
      for (uint32_t i = 0; i < dim; ++i) m.w[i] = (m.w[i] + committee.w[i]) / n;
      m.bias = (m.bias + committee.bias) / n;
    }
    for (uint32_t i = 0; i < dim; ++i) bagged.w[i] += m.w[i];
    bagged.bias += m.bias;
  }
  if (bags > 1) {
    const float inv = 1.0f / static_cast<float>(bags);
    for (float& w : bagged.w) w *= inv;
    bagged.bias *= inv;
    for (float& v : bag_scores) v *= inv;
  }
  if (folds >= 2) {
    std::tie(head.platt_a, head.platt_b) = FitPlatt(bag_scores, d.label);
    if (options.tune_threshold_max_fpr >= 0) {
      const float t = BestThreshold(bag_scores, d.label, head.platt_a, head.platt_b, options.tune_threshold_max_fpr);
      head.platt_b -= std::log(t / (1.0f - t));
    }
  }
  Linear& m = bagged;
  head.weights = std::move(m.w);
  head.bias = m.bias;

  if (!impl_) impl_ = std::make_unique<Impl>();
  if (Head* existing = impl_->Find(category)) {
    *existing = std::move(head);
  } else {
    impl_->heads.push_back(std::move(head));
    std::sort(impl_->heads.begin(), impl_->heads.end(), [](const Head& a, const Head& b) {
      return static_cast<int>(a.category) < static_cast<int>(b.category);
    });
  }
  impl_->Repack();
  return Ok();
}

bool Classifier::UsesEvidence(Category category) const {
  if (!impl_) return false;
  const Head* h = impl_->Find(category);
  return h != nullptr && h->features.evidence;
}

bool Classifier::UsesEvidence() const {
  if (!impl_) return false;
  for (const Head& h : impl_->heads) {
    if (h.features.evidence) return true;
  }
  return false;
}

CategoryProbabilities Classifier::Predict(std::string_view text, const Evidence* evidence) const {
  CategoryProbabilities out{};
  if (!impl_ || impl_->heads.empty() || !text::HasLetters(text, kMinLettersToPredict)) return out;
  thread_local std::string folded;
  thread_local FeatureVector features;
  folded = text::Fold(text);
  if (!impl_->packed.empty()) {
    const std::vector<Head>& heads = impl_->heads;
    ExtractFeaturesFolded(text, folded, heads[0].features, &features);
    if (evidence != nullptr) AppendEvidenceFeatures(*evidence, heads[0].features, &features);
    float score[Impl::kMaxHeads] = {};
    const float* packed = impl_->packed.data();
    const size_t n = features.size();
    for (size_t k = 0; k < n; ++k) {
      const float* w = packed + static_cast<size_t>(features.index[k]) * Impl::kMaxHeads;
      const float v = features.value[k];
      for (size_t h = 0; h < Impl::kMaxHeads; ++h) score[h] += w[h] * v;
    }
    for (size_t h = 0; h < heads.size(); ++h) {
      const Head& head = heads[h];
      out[static_cast<size_t>(head.category)] =
          Sigmoid(head.platt_a * (score[h] + head.bias) + head.platt_b);
    }
    return out;
  }
  const FeatureOptions* extracted = nullptr;
  for (const Head& head : impl_->heads) {
    if (extracted == nullptr || !(*extracted == head.features) || UsesScale(head.features)) {
      ExtractFeaturesFolded(text, folded, head.features, &features);
      if (UsesScale(head.features)) {
        ApplyScale(head.scale, uint32_t{1} << head.features.hash_bits, head.features.tfidf,
                   &features);
      }
      if (evidence != nullptr) AppendEvidenceFeatures(*evidence, head.features, &features);
      extracted = &head.features;
    }
    float score = head.bias;
    const float* w = head.weights.data();
    const size_t n = features.size();
    const uint32_t* idx = features.index.data();
    const float* val = features.value.data();
    for (size_t k = 0; k < n; ++k) score += w[idx[k]] * val[k];
    out[static_cast<size_t>(head.category)] = Sigmoid(head.platt_a * score + head.platt_b);
  }
  return out;
}

std::optional<float> Classifier::WordsWeight(std::string_view words, Category category) const {
  const Head* head = impl_ ? impl_->Find(category) : nullptr;
  if (head == nullptr) return std::nullopt;
  thread_local FeatureVector features;
  ExtractFeatures(words, head->features, &features);
  const uint32_t buckets = uint32_t{1} << head->features.hash_bits;
  float sum = 0.0f;
  for (const uint32_t i : features.index) {
    if (i < buckets) sum += head->weights[i] * (head->scale.empty() ? 1.0f : head->scale[i]);
  }
  return sum;
}

namespace {

std::string Serialize(const std::vector<Head>& heads) {
  std::string out(kMagic, sizeof(kMagic));
  Put<uint32_t>(&out, kFormatVersion);
  Put<uint32_t>(&out, kFeatureVersion);
  Put<uint32_t>(&out, static_cast<uint32_t>(heads.size()));
  for (const Head& h : heads) {
    const FeatureOptions& f = h.features;
    for (uint8_t v : {static_cast<uint8_t>(h.category), f.hash_bits,
                      static_cast<uint8_t>(f.word_unigrams), static_cast<uint8_t>(f.word_bigrams),
                      f.char_min, f.char_max, static_cast<uint8_t>(f.digits_as_class),
                      static_cast<uint8_t>(f.dense), static_cast<uint8_t>(f.accented_words),
                      static_cast<uint8_t>(f.evidence), static_cast<uint8_t>(f.tfidf),
                      static_cast<uint8_t>(f.nb_ratio), static_cast<uint8_t>(f.char_word_bounded),
                      static_cast<uint8_t>(f.block_norm), static_cast<uint8_t>(f.accented_bigrams),
                      static_cast<uint8_t>(f.number_shapes), static_cast<uint8_t>(f.message_shapes)}) {
      Put<uint8_t>(&out, v);
    }
    Put<float>(&out, h.bias);
    Put<float>(&out, h.platt_a);
    Put<float>(&out, h.platt_b);
    uint32_t nnz = 0;
    for (float w : h.weights) nnz += w != 0.0f ? 1 : 0;
    Put<uint32_t>(&out, nnz);
    for (uint32_t i = 0; i < h.weights.size(); ++i) {
      if (h.weights[i] != 0.0f) {
        Put<uint32_t>(&out, i);
        Put<float>(&out, h.weights[i]);
      }
    }
    if (UsesScale(f)) {
      // Most buckets share one value (those no training example had): store it once.
      std::vector<float> sorted = h.scale;
      std::sort(sorted.begin(), sorted.end());
      float common = sorted.empty() ? 1.0f : sorted[0];
      size_t best = 0;
      for (size_t k = 0; k < sorted.size();) {
        size_t j = k;
        while (j < sorted.size() && sorted[j] == sorted[k]) ++j;
        if (j - k > best) {
          best = j - k;
          common = sorted[k];
        }
        k = j;
      }
      uint32_t others = 0;
      for (float v : h.scale) others += v != common ? 1 : 0;
      Put<float>(&out, common);
      Put<uint32_t>(&out, others);
      for (uint32_t i = 0; i < h.scale.size(); ++i) {
        if (h.scale[i] != common) {
          Put<uint32_t>(&out, i);
          Put<float>(&out, h.scale[i]);
        }
      }
    }
  }
  Put<uint64_t>(&out, Fnv1a(out));
  return out;
}

Result<std::vector<Head>> Deserialize(std::string_view data, const std::string& name) {
  if (data.size() < sizeof(kMagic) + 12 + 8 || std::memcmp(data.data(), kMagic, 8) != 0) {
    return InvalidModel(name, "không phải tệp mô hình của Khiên.", "not a Khiên model file.");
  }
  uint64_t stored_sum;
  std::memcpy(&stored_sum, data.data() + data.size() - 8, 8);
  const std::string_view body = data.substr(0, data.size() - 8);
  if (Fnv1a(body) != stored_sum) {
    return InvalidModel(name, "sai tổng kiểm tra (tệp bị hỏng).",
                        "checksum mismatch (corrupt file).");
  }
  Reader r(body.substr(sizeof(kMagic)));
  uint32_t format = 0, feature_version = 0, count = 0;
  r.Get(&format);
  r.Get(&feature_version);
  r.Get(&count);
  if (format < 1 || format > kFormatVersion || feature_version != kFeatureVersion) {
    return InvalidModel(name,
                        "phiên bản " + std::to_string(format) + "/" +
                            std::to_string(feature_version) + " không được hỗ trợ.",
                        "unsupported version " + std::to_string(format) + "/" +
                            std::to_string(feature_version) + ".");
  }
  if (count > kAllCategories.size()) {
    return InvalidModel(name, "quá nhiều đầu phân loại.", "too many heads.");
  }
  const Error truncated = InvalidModel(name, "tệp bị cắt cụt.", "file is truncated.");
  std::vector<Head> heads;
  for (uint32_t k = 0; k < count; ++k) {
    uint8_t b[17] = {};
    const size_t option_bytes =
        format == 1 ? 9 : format == 2 ? 10 : format == 3 ? 12 : format == 4 ? 16 : 17;
    for (size_t j = 0; j < option_bytes; ++j) {
      if (!r.Get(&b[j])) return truncated;
    }
    Head h;
    if (b[0] >= kAllCategories.size()) {
      return InvalidModel(name, "nhóm không xác định.", "unknown category.");
    }
    h.category = static_cast<Category>(b[0]);
    h.features = FeatureOptions{b[1],       b[2] != 0,  b[3] != 0,  b[4],       b[5],
                                b[6] != 0,  b[7] != 0,  b[8] != 0,  b[9] != 0,  b[10] != 0,
                                b[11] != 0, b[12] != 0, b[13] != 0, b[14] != 0, b[15] != 0,
                                b[16] != 0};
    if (!ValidFeatureOptions(h.features)) {
      return InvalidModel(name, "tham số đặc trưng sai.", "bad feature options.");
    }
    for (const Head& other : heads) {
      if (other.category == h.category) {
        return InvalidModel(name, "một nhóm xuất hiện hai lần.", "a category appears twice.");
      }
    }
    uint32_t nnz = 0;
    if (!r.Get(&h.bias) || !r.Get(&h.platt_a) || !r.Get(&h.platt_b) || !r.Get(&nnz)) {
      return truncated;
    }
    const uint32_t dim = Dimension(h.features);
    if (nnz > dim || r.remaining() / 8 < nnz) return truncated;
    h.weights.assign(dim, 0.0f);
    int64_t previous = -1;
    for (uint32_t j = 0; j < nnz; ++j) {
      uint32_t index = 0;
      float w = 0;
      r.Get(&index);
      r.Get(&w);
      if (index >= dim || static_cast<int64_t>(index) <= previous || !std::isfinite(w)) {
        return InvalidModel(name, "trọng số sai.", "bad weight entry.");
      }
      h.weights[index] = w;
      previous = index;
    }
    if (UsesScale(h.features)) {
      const uint32_t buckets = uint32_t{1} << h.features.hash_bits;
      float unseen = 0;
      uint32_t seen = 0;
      if (!r.Get(&unseen) || !r.Get(&seen)) return truncated;
      if (seen > buckets || r.remaining() / 8 < seen || !std::isfinite(unseen)) return truncated;
      h.scale.assign(buckets, unseen);
      previous = -1;
      for (uint32_t j = 0; j < seen; ++j) {
        uint32_t index = 0;
        float v = 0;
        r.Get(&index);
        r.Get(&v);
        if (index >= buckets || static_cast<int64_t>(index) <= previous || !std::isfinite(v)) {
          return InvalidModel(name, "bảng hệ số sai.", "bad scale entry.");
        }
        h.scale[index] = v;
        previous = index;
      }
    }
    if (!std::isfinite(h.bias) || !std::isfinite(h.platt_a) || !std::isfinite(h.platt_b)) {
      return InvalidModel(name, "tham số không hữu hạn.", "non-finite parameter.");
    }
    heads.push_back(std::move(h));
  }
  if (r.remaining() != 0) {
    return InvalidModel(name, "dữ liệu thừa ở cuối tệp.", "trailing bytes.");
  }
  return heads;
}

}  // namespace

Result<void> Classifier::Save(const std::string& path) const {
  const std::string bytes = Serialize(impl_ ? impl_->heads : std::vector<Head>{});
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      return Error::InvalidInput("path", "Không ghi được tệp mô hình " + path + ".",
                                 "Cannot write model file " + path + ".");
    }
  }
  // Rename so a reader never sees a half-written model.
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    std::remove(temp.c_str());
    return Error::InvalidInput("path", "Không ghi được tệp mô hình " + path + ".",
                               "Cannot write model file " + path + ".");
  }
  return Ok();
}

Result<Classifier> Classifier::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error::InvalidInput("model", "Không mở được tệp mô hình " + path + ".",
                               "Cannot open model file " + path + ".");
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  KHIEN_ASSIGN_OR_RETURN(std::vector<Head> heads, Deserialize(buffer.str(), path));
  Classifier c;
  c.impl_->heads = std::move(heads);
  c.impl_->Repack();
  return c;
}

Classifier Classifier::TrainDefault() {
  Classifier c;
  const std::string_view tsv = DefaultTrainingTsv();
  const TrainOptions options = DefaultTrainOptions();
  for (Category category : kAllCategories) {
    // A category without both kinds of example simply has no head.
    (void)c.Train(category, ExamplesForCategory(tsv, category), options);
  }
  return c;
}

const Classifier& Classifier::Default() {
  static const Classifier* const kDefault = new Classifier(TrainDefault());
  return *kDefault;
}

}  // namespace khien::safety
