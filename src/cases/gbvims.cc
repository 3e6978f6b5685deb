#include "cases/gbvims.h"

#include <algorithm>

namespace khien::cases::gbvims {

const std::vector<CoreTypeInfo>& CoreTypes() {
  static const std::vector<CoreTypeInfo> kTypes = {
      {CoreType::kRape, "rape", "Có sự xâm nhập tình dục không có sự đồng ý không?",
       "Was there non-consensual penetration?"},
      {CoreType::kSexualAssault, "sexual_assault",
       "Có hành vi tiếp xúc tình dục không mong muốn (không xâm nhập) không?",
       "Was there unwanted sexual contact without penetration?"},
      {CoreType::kPhysicalAssault, "physical_assault", "Có bạo lực thể chất không?",
       "Was there physical violence?"},
      {CoreType::kForcedMarriage, "forced_marriage", "Có bị ép kết hôn (kể cả tảo hôn) không?",
       "Was this a forced (including early) marriage?"},
      {CoreType::kDenialOfResources, "denial_of_resources",
       "Có bị tước đoạt tài sản, thu nhập, cơ hội hay dịch vụ không?",
       "Was there denial of resources, opportunities or services?"},
      {CoreType::kPsychologicalAbuse, "psychological_abuse",
       "Có bạo lực tinh thần (đe doạ, lăng mạ, cô lập) không?",
       "Was there psychological or emotional abuse?"},
      {CoreType::kNonGbv, "non_gbv", "Không thuộc các loại trên (không phải bạo lực giới).",
       "None of the above (not gender-based violence)."},
  };
  return kTypes;
}

std::optional<CoreType> ParseCoreType(std::string_view id) {
  for (const auto& t : CoreTypes()) {
    if (t.id == id) return t.type;
  }
  return std::nullopt;
}

std::string_view CoreTypeId(CoreType type) {
  for (const auto& t : CoreTypes()) {
    if (t.type == type) return t.id;
  }
  return "non_gbv";
}

std::optional<CoreType> Eliminate(const std::vector<bool>& answers) {
  const auto& types = CoreTypes();
  const size_t questions = types.size() - 1;  // non_gbv is the fall-through, not a question
  for (size_t i = 0; i < questions; ++i) {
    if (i >= answers.size()) return std::nullopt;
    if (answers[i]) return types[i].type;
  }
  return CoreType::kNonGbv;
}

bool IsOneOf(std::string_view value, const std::string_view* list, size_t n) {
  return std::find(list, list + n, value) != list + n;
}

bool IsContextFlag(std::string_view id) {
  return IsOneOf(id, kContextFlags, std::size(kContextFlags));
}

std::string_view AgeGroup(std::optional<int64_t> age) {
  if (!age) return "unknown";
  if (*age <= 11) return "0-11";
  if (*age <= 17) return "12-17";
  if (*age <= 25) return "18-25";
  if (*age <= 40) return "26-40";
  if (*age <= 60) return "41-60";
  return "61+";
}

// Wording abbreviated from Article 3(1); the ids follow the law's point letters. Checked
// against the published text of Law 13/2022/QH15 as recalled, not against the Official
// Gazette copy: a legal reviewer should confirm the wording before release.
const std::vector<DvAct>& DvActs() {
  static const std::vector<DvAct> kActs = {
      {"a", "Hành hạ, ngược đãi, đánh đập, đe doạ hoặc xâm hại sức khoẻ, tính mạng",
       "Torture, mistreatment, beating, threats or other harm to health or life"},
      {"b", "Lăng mạ, chì chiết hoặc xúc phạm danh dự, nhân phẩm",
       "Insults, nagging or other attacks on honour and dignity"},
      {"c", "Cưỡng ép chứng kiến bạo lực đối với người, con vật",
       "Forcing someone to witness violence against people or animals"},
      {"d", "Bỏ mặc, không nuôi dưỡng, chăm sóc thành viên gia đình cần chăm sóc; không giáo dục trẻ em",
       "Neglect; failing to support or care for dependent family members; not educating children"},
      {"dd", "Kỳ thị, phân biệt đối xử về hình thể, giới, giới tính, năng lực",
       "Stigma or discrimination over appearance, gender, sex or ability"},
      {"e", "Ngăn cản gặp gỡ người thân, quan hệ xã hội; cô lập, gây áp lực tâm lý",
       "Preventing contact with relatives or social relations; isolation, psychological pressure"},
      {"g", "Ngăn cản thực hiện quyền, nghĩa vụ trong quan hệ gia đình",
       "Obstructing rights and duties between family members"},
      {"h", "Tiết lộ, phát tán thông tin đời tư, bí mật nhằm xúc phạm danh dự",
       "Disclosing private information to insult honour or dignity"},
      {"i", "Cưỡng ép quan hệ tình dục, mang thai, phá thai, lựa chọn giới tính thai nhi",
       "Forced sex, pregnancy, abortion or foetal sex selection"},
      {"k", "Cưỡng ép tảo hôn, kết hôn, ly hôn hoặc cản trở kết hôn, ly hôn hợp pháp",
       "Forced early marriage, forced marriage or divorce, or obstructing lawful marriage or divorce"},
      {"l", "Chiếm đoạt, huỷ hoại, làm hư hỏng tài sản",
       "Seizing, destroying or damaging property"},
      {"m", "Cưỡng ép học tập, lao động quá sức, đóng góp tài chính quá khả năng; kiểm soát tài sản, thu nhập",
       "Forcing excessive study, work or financial contribution; controlling assets or income"},
      {"n", "Cô lập, giam cầm thành viên gia đình", "Isolating or confining a family member"},
      {"o", "Cưỡng ép ra khỏi chỗ ở hợp pháp", "Forcing a family member out of lawful residence"},
  };
  return kActs;
}

bool IsDvAct(std::string_view id) {
  const auto& acts = DvActs();
  return std::any_of(acts.begin(), acts.end(), [&](const DvAct& a) { return a.id == id; });
}

}  // namespace khien::cases::gbvims
