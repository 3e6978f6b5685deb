// Fuzzes ParseAttendance, the parser of uploaded attendance lists (CSV, and XLSX through our own
// ZIP reader and SpreadsheetML scanner). Arbitrary bytes must give rows or a kInvalidInput /
// kMalformed error with messages in both languages, never a crash, a hang or a huge allocation.
// First byte 'Z': the rest is split at the first NUL into sharedStrings.xml and sheet1.xml and
// wrapped in a well-formed ZIP, so the XML scanner is reached without the fuzzer having to find
// valid ZIP headers and CRCs. Anything else: the bytes are the file (CSV or a broken ZIP).
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "reach/spreadsheet.h"

namespace {

void Put16(std::string& out, uint32_t v) {
  out.push_back(static_cast<char>(v & 0xff));
  out.push_back(static_cast<char>((v >> 8) & 0xff));
}
void Put32(std::string& out, uint32_t v) {
  Put16(out, v & 0xffff);
  Put16(out, v >> 16);
}

// A ZIP of stored (uncompressed) entries, as a spreadsheet program could write it.
std::string StoredZip(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string zip;
  std::string central;
  for (const auto& [name, body] : entries) {
    const uint32_t crc = crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()));
    const auto offset = static_cast<uint32_t>(zip.size());
    const auto size = static_cast<uint32_t>(body.size());
    Put32(zip, 0x04034b50);
    Put16(zip, 20), Put16(zip, 0), Put16(zip, 0), Put16(zip, 0), Put16(zip, 0);
    Put32(zip, crc), Put32(zip, size), Put32(zip, size);
    Put16(zip, static_cast<uint32_t>(name.size())), Put16(zip, 0);
    zip += name;
    zip += body;
    Put32(central, 0x02014b50);
    Put16(central, 20), Put16(central, 20), Put16(central, 0), Put16(central, 0), Put16(central, 0),
        Put16(central, 0);
    Put32(central, crc), Put32(central, size), Put32(central, size);
    Put16(central, static_cast<uint32_t>(name.size()));
    for (int i = 0; i < 4; ++i) Put16(central, 0);
    Put32(central, 0), Put32(central, offset);
    central += name;
  }
  const auto central_at = static_cast<uint32_t>(zip.size());
  zip += central;
  Put32(zip, 0x06054b50);
  Put16(zip, 0), Put16(zip, 0);
  Put16(zip, static_cast<uint32_t>(entries.size())), Put16(zip, static_cast<uint32_t>(entries.size()));
  Put32(zip, static_cast<uint32_t>(central.size())), Put32(zip, central_at);
  Put16(zip, 0);
  return zip;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string file;
  if (!input.empty() && input[0] == 'Z') {
    input.remove_prefix(1);
    const size_t nul = input.find('\0');
    const std::string_view strings = input.substr(0, nul);
    const std::string_view sheet = nul == std::string_view::npos ? std::string_view() : input.substr(nul + 1);
    file = StoredZip({{"xl/sharedStrings.xml", std::string(strings)}, {"xl/worksheets/sheet1.xml", std::string(sheet)}});
  } else {
    file.assign(input);
  }
  const auto rows = khien::reach::ParseAttendance(file);
  if (rows.ok()) {
    for (const auto& row : rows.value()) {
      if (row.participant.has_value() == row.error.has_value()) std::abort();  // exactly one of the two
      if (row.line < 1) std::abort();
      if (row.error && (row.error->message_vi.empty() || row.error->message_en.empty())) std::abort();
    }
  } else {
    const auto code = rows.error().code;
    if (code != khien::ErrorCode::kInvalidInput && code != khien::ErrorCode::kMalformed) std::abort();
    if (rows.error().message_vi.empty() || rows.error().message_en.empty()) std::abort();
  }
  return 0;
}
