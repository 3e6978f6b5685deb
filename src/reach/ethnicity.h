// The 54 ethnic groups of Viet Nam as officially listed (Decision 121-TCTK/PPCĐ of 2 March
// 1979, "Danh mục các thành phần dân tộc Việt Nam"): a stable ASCII slug used in the API and
// the database, the Vietnamese name, and the statistics-office code ("01" is Kinh).
//
// Checked against the statistics office's list (the same 01–54 numbering is used by the 2009
// and 2019 censuses and by the GSO's online "Danh mục các dân tộc Việt Nam"): 54 groups, codes
// and order agree. Doubts, none affecting a code: census forms add "55 Người nước ngoài"
// (foreigners), which is not an ethnic group and is left out; a few names have spelling variants
// in other official texts ("Khmer"/"Khơ Me", "H'Mông"/"Mông", "Gia Rai"/"Jrai", "Co Lao"/"Cờ Lao"),
// accepted on input through FindEthnicity's folded matching and the aliases in ethnicity.cc.
//
// Pure data; thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace khien::reach {

struct Ethnicity {
  std::string_view slug;     // "kinh", "ede", "mnong", "jrai", ...
  std::string_view name_vi;  // "Ê Đê"
  std::string_view code;     // "12"
};

// All 54, in code order.
std::span<const Ethnicity> AllEthnicities();

// By slug; also accepts the code ("12") and the Vietnamese name in any spelling (folded), so
// spreadsheets typed by hand import. nullopt for anything else.
std::optional<Ethnicity> FindEthnicity(std::string_view slug_code_or_name);

// "kinh" or "minority": the Kinh/ethnic-minority split used by tallies and indicators.
inline std::string_view EthnicGroupOf(std::string_view slug) {
  return slug == "kinh" ? std::string_view("kinh") : std::string_view("minority");
}

}  // namespace khien::reach
