// Vietnamese folding throughput: khien::text::Fold against the ICU transliterator chain
// "NFD; [:Nonspacing Mark:] Remove; Lower; NFC" (which, unlike Fold, leaves đ alone) on the
// same short messages. Messages are invented, typical of what a commune officer receives.
#include <benchmark/benchmark.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/text.h"

namespace {

const std::vector<std::string>& Messages() {
  static const std::vector<std::string> messages = {
      "Chị ơi, em ở xã Ea Nuôl, huyện Buôn Đôn, cần người giúp đỡ gấp.",
      "Anh ấy lại say rượu và đánh em tối qua, em sợ lắm.",
      "Có người hứa việc làm lương cao bên kia biên giới, có thật không ạ?",
      "Cho em hỏi số điện thoại của hội phụ nữ xã Đắk Liêng.",
      "Ở buôn Cư M'gar có lớp học nghề may không chị?",
      "Tôi cần tư vấn pháp lý về ly hôn và quyền nuôi con.",
      "Mẹ chồng không cho em về nhà ngoại ở Krông Pắc.",
      "Bé gái nhà bên cạnh bị đưa đi đâu không rõ, xin giúp đỡ.",
      "Sáng mai cán bộ xã có đến thôn Ea H'Leo không ạ?",
      "Em khoẻ rồi, cảm ơn chị đã hỏi thăm. Hẹn gặp ở Tuy Hoà nhé.",
      "CHUYỂN TIỀN NGAY ĐỂ NHẬN QUÀ, liên hệ số này!!!",
      "Y Đôn Niê Kdăm nhắn: thứ bảy họp thôn lúc 8 giờ.",
  };
  return messages;
}

size_t TotalBytes() {
  size_t total = 0;
  for (const std::string& m : Messages()) total += m.size();
  return total;
}

void BM_Fold(benchmark::State& state) {
  const auto& messages = Messages();
  for (auto _ : state) {
    for (const std::string& m : messages) benchmark::DoNotOptimize(khien::text::Fold(m));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * messages.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * TotalBytes()));
}
BENCHMARK(BM_Fold);

void BM_FoldWithOffsets(benchmark::State& state) {
  const auto& messages = Messages();
  for (auto _ : state) {
    for (const std::string& m : messages) {
      benchmark::DoNotOptimize(khien::text::FoldWithOffsets(m));
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * messages.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * TotalBytes()));
}
BENCHMARK(BM_FoldWithOffsets);

// Baseline: UTF-8 in, UTF-8 out, as a caller would use it.
void BM_IcuTransliterator(benchmark::State& state) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> translit(icu::Transliterator::createInstance(
      "NFD; [:Nonspacing Mark:] Remove; Lower; NFC", UTRANS_FORWARD, status));
  if (U_FAILURE(status)) {
    state.SkipWithError("cannot create the ICU transliterator");
    return;
  }
  const auto& messages = Messages();
  for (auto _ : state) {
    for (const std::string& m : messages) {
      icu::UnicodeString u = icu::UnicodeString::fromUTF8(m);
      translit->transliterate(u);
      std::string out;
      u.toUTF8String(out);
      benchmark::DoNotOptimize(out);
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * messages.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * TotalBytes()));
}
BENCHMARK(BM_IcuTransliterator);

void BM_CleanInput(benchmark::State& state) {
  const auto& messages = Messages();
  for (auto _ : state) {
    for (const std::string& m : messages) benchmark::DoNotOptimize(khien::text::CleanInput(m));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * messages.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * TotalBytes()));
}
BENCHMARK(BM_CleanInput);

void BM_IsValidUtf8(benchmark::State& state) {
  const auto& messages = Messages();
  for (auto _ : state) {
    for (const std::string& m : messages) {
      benchmark::DoNotOptimize(khien::text::IsValidUtf8(m));
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * messages.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * TotalBytes()));
}
BENCHMARK(BM_IsValidUtf8);

}  // namespace

BENCHMARK_MAIN();
