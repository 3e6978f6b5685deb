// libFuzzer target for Vietnamese text handling: validation, cleaning and folding of
// arbitrary bytes, checking the invariants every search relies on.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>
#include <string_view>

#include "base/text.h"

namespace {

void Check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "invariant violated: %s\n", what);
    std::abort();
  }
}


// Random bytes are rarely valid UTF-8, so also read them as a sequence of code points:
// 3 bytes each, biased towards the Latin, combining-mark and Vietnamese ranges.
std::string CodePointsFrom(const uint8_t* data, size_t size) {
  std::string out;
  for (size_t i = 0; i + 3 <= size; i += 3) {
    uint32_t cp = (uint32_t{data[i]} << 16 | uint32_t{data[i + 1]} << 8 | data[i + 2]);
    switch (data[i] & 3) {
      case 0: cp = 0x20 + cp % 0x60; break;              // ASCII printable
      case 1: cp = 0x80 + cp % 0x2F0; break;             // Latin, IPA, combining marks
      case 2: cp = 0x1E00 + cp % 0x200; break;           // Latin Extended Additional, Greek
      default: cp = cp % 0x110000; break;                // anything
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0x20;
    khien::text::AppendUtf8(out, cp);
  }
  return out;
}

// Invariants on valid UTF-8.
void CheckValid(std::string_view input) {
  using namespace khien::text;
  Check(IsValidUtf8(input), "input is valid");
  auto cleaned = CleanInput(input);
  Check(cleaned.ok(), "CleanInput accepts valid UTF-8");
  Check(IsValidUtf8(*cleaned), "CleanInput output is valid UTF-8");
  Check(*CleanInput(*cleaned) == *cleaned, "CleanInput is idempotent");

  const std::string folded = Fold(input);
  Check(IsValidUtf8(folded), "Fold output is valid UTF-8");
  Check(folded.empty() || (folded.front() != ' ' && folded.back() != ' '), "Fold trims");
  Check(folded.find("  ") == std::string::npos, "Fold collapses spaces");

  const FoldedWithOffsets with_offsets = FoldWithOffsets(input);
  Check(with_offsets.folded == folded, "FoldWithOffsets agrees with Fold");
  Check(with_offsets.offsets.size() == folded.size() + 1, "one offset per folded byte + 1");
  Check(with_offsets.offsets.back() == input.size(), "last offset is the input size");
  for (size_t i = 1; i < with_offsets.offsets.size(); ++i) {
    Check(with_offsets.offsets[i - 1] <= with_offsets.offsets[i], "offsets non-decreasing");
  }
  for (size_t i = 0; i + 1 < with_offsets.offsets.size(); ++i) {
    const uint32_t at = with_offsets.offsets[i];
    Check(at < input.size(), "offset inside the input");
    Check((static_cast<unsigned char>(input[at]) & 0xC0) != 0x80,
          "offset at the start of a character");
  }

  Check(Fold(ToNfc(input)) == folded, "Fold(x) == Fold(ToNfc(x))");
  Check(Fold(folded) == folded, "Fold is idempotent");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace khien::text;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (IsValidUtf8(input)) {
    CheckValid(input);
  } else {
    auto cleaned = CleanInput(input);
    Check(!cleaned.ok() && cleaned.error().code == khien::ErrorCode::kMalformed,
          "CleanInput rejects invalid UTF-8 as malformed");
    (void)Fold(input);  // unsupported input, but it must stay in bounds
    (void)FoldWithOffsets(input);
  }
  CheckValid(CodePointsFrom(data, size));
  return 0;
}
