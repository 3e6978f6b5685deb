// libFuzzer target: the normaliser, the extractors and Checker::Check on arbitrary bytes.
// Invalid UTF-8 must come back as an error, never a crash; valid text must give spans
// inside the original text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "base/text.h"
#include "safety/checker.h"

namespace {

const khien::safety::Checker& SharedChecker() {
  static const khien::safety::Checker* checker = [] {
    khien::safety::CheckerOptions options;  // embedded rules
    options.use_classifier = false;
    options.cache_dir = "/tmp/khien-fuzz-rule-cache";
    auto c = khien::safety::Checker::Create(options);
    if (!c.ok()) std::abort();
    return new khien::safety::Checker(std::move(c).value());
  }();
  return *checker;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto& checker = SharedChecker();
  auto result = checker.Check(text);
  if (!khien::text::IsValidUtf8(text)) {
    if (result.ok()) std::abort();  // invalid UTF-8 must be rejected
    return 0;
  }
  if (!result.ok()) {
    // Too long, or blank: nothing but white space, control and format characters.
    if (text.size() <= 64 * 1024 && !khien::text::IsBlank(text)) std::abort();
    return 0;
  }
  const size_t chars = khien::text::CodePointCount(text);
  for (const auto& r : result->reasons) {
    if (r.start > r.end || r.end > chars) std::abort();
  }
  for (const auto& e : result->entities) {
    if (e.start > e.end || e.end > chars) std::abort();
  }
  // The pieces on their own as well.
  auto nt = checker.rules()->normalizer().Normalize(text);
  for (size_t i = 0; i < nt.expanded.text.size(); ++i) {
    if (nt.expanded.ends[i] > size || nt.expanded.starts[i] > nt.expanded.ends[i]) std::abort();
  }
  auto entities = khien::safety::ExtractEntities(nt);
  for (const auto& e : entities) {
    if (e.end > size || e.start > e.end) std::abort();
  }
  return 0;
}
