#include "reach/ethnicity.h"

#include <array>
#include <string>

#include "base/text.h"

namespace khien::reach {
namespace {

constexpr std::array<Ethnicity, 54> kEthnicities = {{
    {"kinh", "Kinh", "01"},          {"tay", "Tày", "02"},
    {"thai", "Thái", "03"},          {"hoa", "Hoa", "04"},
    {"khmer", "Khơ Me", "05"},       {"muong", "Mường", "06"},
    {"nung", "Nùng", "07"},          {"hmong", "Mông", "08"},
    {"dao", "Dao", "09"},            {"jrai", "Gia Rai", "10"},
    {"ngai", "Ngái", "11"},          {"ede", "Ê Đê", "12"},
    {"bana", "Ba Na", "13"},         {"xodang", "Xơ Đăng", "14"},
    {"sanchay", "Sán Chay", "15"},   {"coho", "Cơ Ho", "16"},
    {"cham", "Chăm", "17"},          {"sandiu", "Sán Dìu", "18"},
    {"hre", "Hrê", "19"},            {"mnong", "Mnông", "20"},
    {"raglai", "Ra Glai", "21"},     {"xtieng", "Xtiêng", "22"},
    {"bru_vankieu", "Bru Vân Kiều", "23"}, {"tho", "Thổ", "24"},
    {"giay", "Giáy", "25"},          {"cotu", "Cơ Tu", "26"},
    {"gie_trieng", "Giẻ Triêng", "27"}, {"ma", "Mạ", "28"},
    {"khomu", "Khơ Mú", "29"},       {"co", "Co", "30"},
    {"taoi", "Tà Ôi", "31"},         {"choro", "Chơ Ro", "32"},
    {"khang", "Kháng", "33"},        {"xinhmun", "Xinh Mun", "34"},
    {"hanhi", "Hà Nhì", "35"},       {"churu", "Chu Ru", "36"},
    {"lao", "Lào", "37"},            {"lachi", "La Chí", "38"},
    {"laha", "La Ha", "39"},         {"phula", "Phù Lá", "40"},
    {"lahu", "La Hủ", "41"},         {"lu", "Lự", "42"},
    {"lolo", "Lô Lô", "43"},         {"chut", "Chứt", "44"},
    {"mang", "Mảng", "45"},          {"pathen", "Pà Thẻn", "46"},
    {"colao", "Cờ Lao", "47"},       {"cong", "Cống", "48"},
    {"boy", "Bố Y", "49"},           {"sila", "Si La", "50"},
    {"pupeo", "Pu Péo", "51"},       {"brau", "Brâu", "52"},
    {"odu", "Ơ Đu", "53"},           {"romam", "Rơ Măm", "54"},
}};

// Folded name without spaces, hyphens or apostrophes: "Ê-đê", "Ê Đê" and "ede" all agree.
std::string Squash(std::string_view s) {
  std::string folded = text::Fold(s);
  std::string out;
  for (char c : folded) {
    if (c != ' ' && c != '-' && c != '\'' && c != '_') out.push_back(c);
  }
  return out;
}

}  // namespace

std::span<const Ethnicity> AllEthnicities() { return kEthnicities; }

std::optional<Ethnicity> FindEthnicity(std::string_view key) {
  for (const Ethnicity& e : kEthnicities) {
    if (e.slug == key || e.code == key) return e;
  }
  if (key.size() == 1 && key[0] >= '1' && key[0] <= '9') {  // "1" typed for "01"
    return kEthnicities[static_cast<size_t>(key[0] - '1')];
  }
  const std::string squashed = Squash(key);
  if (squashed.empty()) return std::nullopt;
  for (const Ethnicity& e : kEthnicities) {
    if (Squash(e.name_vi) == squashed || Squash(e.slug) == squashed) return e;
  }
  // Common other spellings.
  if (squashed == "hmong" || squashed == "mong" || squashed == "meo") return kEthnicities[7];
  if (squashed == "giarai" || squashed == "jarai") return kEthnicities[9];
  if (squashed == "rade" || squashed == "radhe") return kEthnicities[11];
  if (squashed == "bahnar") return kEthnicities[12];
  if (squashed == "viet") return kEthnicities[0];
  return std::nullopt;
}

}  // namespace khien::reach
