#include "reach/scale_demo.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <random>
#include <tuple>
#include <unordered_set>

#include "access/access.h"
#include "base/ids.h"
#include "base/text.h"
#include "org/service.h"
#include "reach/model.h"
#include "reach/repository.h"

namespace khien::reach {
namespace {

using store::Value;
using Table = std::vector<std::vector<Value>>;

constexpr char kCreatedBy[] = "demo-scale";
constexpr int64_t kBatchParticipations = 50000;

// Name parts. Each group's style follows its naming custom; every combination is invented.
struct NameStyle {
  std::vector<const char*> clans;          // family or clan names
  std::vector<const char*> female_given;
  std::vector<const char*> male_given;
  const char* female_prefix;               // "H'", "Thị ", ...
  const char* male_prefix;
  bool clan_last;                          // Ê Đê, M'Nông: "H'Mai Niê"; others: "Siu H'Mai"
};

const std::vector<const char*> kKinhFemale = {"Hà", "Lan", "Hương", "Mai", "Trang", "Linh", "Hạnh", "Nga", "Thảo",
                                              "Yến", "Hoa", "Phương", "Dung", "Thủy", "Vân", "Loan", "Tuyết", "Nhung",
                                              "Hằng", "Oanh", "Ngân", "Quyên", "Diễm", "Bích"};
const std::vector<const char*> kKinhMale = {"Hùng", "Dũng", "Nam", "Tuấn", "Hải", "Long", "Sơn", "Thắng", "Bình",
                                            "Cường", "Phúc", "Quang", "Toàn", "Vinh", "Khánh", "Tài"};

const NameStyle& StyleFor(const std::string& ethnicity) {
  static const NameStyle ede{{"Niê", "Êban", "Byă", "Mlô", "Ksơr", "Adrơng", "Hđơk", "Buôn Yă", "Kbuôr", "Ayŭn",
                              "Knul", "Niê Kdăm", "Mlô Duôn Du", "Hmŏk"},
                             {"Hen", "Mai", "Rin", "Yơn", "Bia", "Lim", "Ngơm", "Juin", "Blin", "Hơn", "Nhung",
                              "Xuân", "Duyên", "Khuê", "Drim", "Luyến", "Thanh", "Dy"},
                             {"Moan", "Sơn", "Tlang", "Bhin", "Kông", "Ju", "Dhăm", "Wai", "Ngăm", "Yuin", "Blôk"},
                             "H'", "Y ", true};
  static const NameStyle mnong{{"Liêng", "Bon Yô", "Điểu", "Ktla", "Bon Jốc", "Lơ Mu", "Bon Đơng", "Ndu"},
                               {"Ngoan", "Brô", "Thin", "Lan", "Mlin", "Huê", "Dlan", "Rit"},
                               {"Krai", "Rơng", "Bút", "Kơn", "Jang", "Brơi"},
                               "H'", "Y ", true};
  static const NameStyle jrai{{"Rơ Châm", "Siu", "Ksor", "Rơ Mah", "Rah Lan", "Nay", "Puih", "Kpă", "Rơ Ô"},
                              {"Nhi", "Bia", "Mai", "Blơn", "Hyen", "Hiar", "Yun", "Lơ", "Nga"},
                              {"Nay", "Tuấn", "Byưn", "Hơ", "Djuin", "Thiêng"},
                              "H'", "", false};
  static const NameStyle kinh{{"Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Hoàng", "Huỳnh",
                               "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"},
                              kKinhFemale, kKinhMale, "Thị ", "Văn ", false};
  static const NameStyle tay_nung{{"Hoàng", "Nông", "Lương", "Lộc", "Triệu", "Vi", "Lý", "Hà", "Ma", "Chu", "Đàm",
                                   "Lăng", "Mông"},
                                  kKinhFemale, kKinhMale, "Thị ", "Văn ", false};
  static const NameStyle thai{{"Lò", "Lường", "Cầm", "Quàng", "Vi", "Hà", "Lừ"}, kKinhFemale, kKinhMale, "Thị ", "Văn ",
                              false};
  static const NameStyle muong{{"Bùi", "Đinh", "Quách", "Hà", "Xa"}, kKinhFemale, kKinhMale, "Thị ", "Văn ", false};
  static const NameStyle hmong{{"Giàng", "Sùng", "Vàng", "Lầu", "Thào", "Hờ"},
                               {"Mỷ", "Dợ", "Sua", "Chở", "Pàng", "Mai"},
                               {"A Páo", "Seo", "Chứ", "Dình"}, "Thị ", "", false};
  static const NameStyle dao{{"Triệu", "Bàn", "Đặng", "Lý"}, kKinhFemale, kKinhMale, "Thị ", "Văn ", false};
  if (ethnicity == "ede") return ede;
  if (ethnicity == "mnong") return mnong;
  if (ethnicity == "jrai") return jrai;
  if (ethnicity == "tay" || ethnicity == "nung") return tay_nung;
  if (ethnicity == "thai") return thai;
  if (ethnicity == "muong") return muong;
  if (ethnicity == "hmong") return hmong;
  if (ethnicity == "dao") return dao;
  return kinh;
}

// Minority groups of the province and their weights among minority participants.
const std::vector<std::pair<const char*, int>> kMinorities = {
    {"ede", 45}, {"nung", 12}, {"tay", 10}, {"mnong", 8}, {"jrai", 5}, {"thai", 4}, {"muong", 4},
    {"dao", 3},  {"hmong", 3}, {"bana", 2}, {"cham", 2}, {"hoa", 1},  {"sanchay", 1}};

const std::vector<std::pair<const char*, int>> kTypes = {
    {"communication", 30}, {"training", 18}, {"online_session", 10}, {"club_meeting", 10}, {"performance", 5},
    {"dialogue", 7},       {"seminar", 6},   {"competition", 3},     {"literacy_class", 6}};

const char* TypeTitle(std::string_view type) {
  if (type == "training") return "Tập huấn";
  if (type == "communication") return "Truyền thông";
  if (type == "competition") return "Hội thi";
  if (type == "performance") return "Tiểu phẩm";
  if (type == "dialogue") return "Đối thoại";
  if (type == "seminar") return "Tọa đàm";
  if (type == "literacy_class") return "Lớp xóa mù chữ";
  if (type == "club_meeting") return "Sinh hoạt CLB Thủ lĩnh của sự thay đổi";
  return "Buổi trực tuyến";
}

const char* TopicTitle(std::string_view topic) {
  static const std::pair<const char*, const char*> names[] = {
      {"child_abuse_prevention", "phòng chống xâm hại trẻ em"},
      {"gender_based_violence", "nhận diện bạo lực trên cơ sở giới"},
      {"self_protection", "kỹ năng tự bảo vệ"},
      {"safe_social_media", "sử dụng mạng xã hội an toàn"},
      {"toxic_information", "thông tin độc hại"},
      {"personal_data", "bảo vệ dữ liệu cá nhân"},
      {"online_fraud", "phòng chống lừa đảo trực tuyến"},
      {"domestic_violence_law", "Luật Phòng, chống bạo lực gia đình"},
      {"early_forced_marriage", "tảo hôn và hôn nhân cận huyết thống"},
      {"gender_equality", "bình đẳng giới"},
      {"digital_skills", "kỹ năng số và VNeID"},
      {"livelihood_ecommerce", "sinh kế và thương mại điện tử"},
      {"health", "chăm sóc sức khỏe"}};
  for (const auto& [slug, name] : names) {
    if (topic == slug) return name;
  }
  return "";
}

struct PersonSeed {
  std::string id;
  std::string sex;
  int64_t birth_year;
  std::string ethnicity;
};

struct PlaceSeed {
  std::string code;
  std::string path;
  std::string village_code;
  std::string point_code;
};

struct CommuneSeed {
  std::string code;
  std::string path;
  double minority_share = 0;
  std::vector<std::string> villages;  // names, for people's "village"
  std::vector<PlaceSeed> places;      // the commune itself, its villages and points
};

class Generator {
 public:
  Generator(store::Database& db, const ScaleOptions& options)
      : db_(db), options_(options), rng_(options.seed) {}

  Result<ScaleOutcome> Run();

 private:
  double Uniform() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
  int64_t Between(int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng_); }
  template <class T>
  const T& Pick(const std::vector<T>& v) { return v[static_cast<size_t>(Between(0, static_cast<int64_t>(v.size()) - 1))]; }
  const char* Weighted(const std::vector<std::pair<const char*, int>>& options) {
    int total = 0;
    for (const auto& o : options) total += o.second;
    int64_t r = Between(0, total - 1);
    for (const auto& o : options) {
      if ((r -= o.second) < 0) return o.first;
    }
    return options.back().first;
  }

  Result<std::vector<CommuneSeed>> Places();
  std::string Name(const std::string& ethnicity, bool female);
  void AddPeople(const CommuneSeed& c, int64_t count, std::vector<PersonSeed>& register_out);
  void AddActivity(const CommuneSeed& c, const std::vector<PersonSeed>& people, int64_t& budget);
  Result<void> Flush();

  store::Database& db_;
  const ScaleOptions& options_;
  std::mt19937_64 rng_;
  int64_t today_day_ = 0;
  int64_t first_serial_ = 0, last_serial_ = 0;  // days since epoch
  ScaleOutcome outcome_;
  int64_t pending_participations_ = 0;
  Table people_, activities_, topics_, participations_, tallies_;
  std::map<std::pair<std::string, int64_t>, int64_t> actual_;  // (commune, year) -> participations
  int64_t written_ = 0;
};

Result<std::vector<CommuneSeed>> Generator::Places() {
  org::OrgService org(db_);
  access::Principal root;
  root.username = kCreatedBy;
  root.role = access::Role::kAdmin;
  root.org_paths = {"/"};
  // One read of the province's tree; OrgService::Search would reload its copy after each add.
  KHIEN_ASSIGN_OR_RETURN(std::vector<repository::Unit> units,
                         store::ReadValue<std::vector<repository::Unit>>(db_, [&](store::Connection& c) -> Result<std::vector<repository::Unit>> {
                           KHIEN_ASSIGN_OR_RETURN(repository::Place province, repository::FindPlace(c, options_.province));
                           auto [lo, hi] = access::SubtreeRange(province.path);
                           return repository::UnitsUnder(c, {lo, hi});
                         }));
  std::map<std::string, std::vector<repository::Unit>> children;
  std::vector<repository::Unit> communes;
  for (const repository::Unit& u : units) {
    children[u.parent_code].push_back(u);
    if (u.level == "commune" && u.parent_code == options_.province) communes.push_back(u);
  }
  if (communes.empty()) {
    return Error::InvalidInput("province", "Không tìm thấy xã/phường nào của tỉnh " + options_.province + ".",
                               "No communes found for province " + options_.province + ".");
  }
  static const std::vector<const char*> buon_a = {"Ea", "Kô", "Tring", "Dham", "Krông", "Cư", "Sah", "Hra", "Jung", "Mblim"};
  static const std::vector<const char*> buon_b = {"Kmrơng", "Dhăk", "Ktuôr", "Tơng", "Briêng", "Pông", "Ja", "Hdok", "Bur", "Yang"};
  static const std::vector<const char*> thon = {"Tân Lập", "Hòa Thuận", "Quyết Thắng", "Đồng Tâm", "Thanh Bình", "Phú Lộc",
                                                "Tân Sơn", "Hòa Bình", "Đoàn Kết", "Ea Sim"};
  static const std::vector<std::pair<const char*, const char*>> kinds = {
      {"Điểm truyền thông ", "command_point"}, {"Địa chỉ tin cậy ", "trusted_address"},
      {"Trường Tiểu học ", "school"}, {"CLB Thủ lĩnh của sự thay đổi — ", "club"}};
  auto unit_of = [](const org::OrgUnit& u) {
    return repository::Unit{u.code, u.parent_code.value_or(""), std::string(org::LevelName(u.level)), u.name, u.path};
  };
  std::vector<CommuneSeed> out;
  for (const repository::Unit& commune : communes) {
    CommuneSeed c;
    c.code = commune.code;
    c.path = commune.path;
    const bool minority_area = Uniform() < 0.35;
    c.minority_share = minority_area ? 0.55 + 0.35 * Uniform() : 0.05 + 0.25 * Uniform();
    c.places.push_back({commune.code, commune.path, "", ""});
    std::vector<repository::Unit>& existing = children[commune.code];
    const int64_t villages = Between(3, 5);
    for (int64_t v = 0; v < villages; ++v) {
      std::string name = minority_area ? std::string("Buôn ") + Pick(buon_a) + " " + Pick(buon_b)
                                       : "Thôn " + (Uniform() < 0.5 ? std::to_string(v + 1) : std::string(Pick(thon)));
      auto same = std::find_if(existing.begin(), existing.end(),
                               [&](const repository::Unit& u) { return u.level == "village" && u.name == name; });
      repository::Unit village;
      if (same != existing.end()) {
        village = *same;
      } else {
        KHIEN_ASSIGN_OR_RETURN(org::OrgUnit made, org.Create(root, {commune.code, org::Level::kVillage, name, {}}));
        village = unit_of(made);
        existing.push_back(village);
        ++outcome_.places;
      }
      if (std::find(c.villages.begin(), c.villages.end(), village.name) != c.villages.end()) continue;
      c.villages.push_back(village.name);
      c.places.push_back({village.code, village.path, village.code, ""});
      std::vector<repository::Unit>& points = children[village.code];
      if (points.empty()) {
        const int64_t n = Between(1, 2);
        for (int64_t k = 0; k < n; ++k) {
          const auto& [prefix, kind] = kinds[static_cast<size_t>((v + k) % 4)];
          KHIEN_ASSIGN_OR_RETURN(org::OrgUnit point, org.Create(root, {village.code, org::Level::kPoint,
                                                                       prefix + village.name, std::string(kind)}));
          points.push_back(unit_of(point));
          ++outcome_.places;
        }
      }
      for (const repository::Unit& p : points) c.places.push_back({p.code, p.path, village.code, p.code});
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::string Generator::Name(const std::string& ethnicity, bool female) {
  const NameStyle& s = StyleFor(ethnicity);
  const std::string clan = Pick(s.clans);
  const std::string given = female ? Pick(s.female_given) : Pick(s.male_given);
  const std::string prefix = female ? s.female_prefix : s.male_prefix;
  if (s.clan_last) return prefix + given + " " + clan;
  if (&s == &StyleFor("jrai")) return clan + " " + prefix + given;
  // Kinh-style: family, middle, given; a second given syllable now and then.
  std::string name = clan + " " + prefix + given;
  if (Uniform() < 0.2) name = clan + " " + prefix + Pick(female ? kKinhFemale : kKinhMale) + " " + given;
  return name;
}

void Generator::AddPeople(const CommuneSeed& c, int64_t count, std::vector<PersonSeed>& out) {
  const int64_t now = NowMillis();
  const int64_t this_year = today_day_ / 10000;
  for (int64_t i = 0; i < count; ++i) {
    PersonSeed p;
    p.id = NewId();
    const bool female = Uniform() < 0.68;
    p.sex = female ? "female" : "male";
    p.ethnicity = Uniform() < c.minority_share ? Weighted(kMinorities) : "kinh";
    const double age = Uniform();
    // About one in five a child (school sessions), a few elders.
    p.birth_year = age < 0.17 ? this_year - Between(7, 15) : age < 0.22 ? this_year - Between(16, 17)
                                                           : this_year - Between(18, 72);
    std::string name = Name(p.ethnicity, female);
    const std::string village = Pick(c.villages);
    Value phone;
    if (p.birth_year <= this_year - 18 && Uniform() < 0.3) phone = "09" + std::to_string(Between(10000000, 99999999));
    people_.push_back({p.id, c.code, name, text::Fold(name), p.sex, p.birth_year, p.ethnicity,
                       int64_t{Uniform() < 0.03 ? 1 : 0}, village, text::Fold(village), phone, now});
    out.push_back(std::move(p));
  }
  outcome_.people += count;
}

void Generator::AddActivity(const CommuneSeed& c, const std::vector<PersonSeed>& people, int64_t& budget) {
  using namespace std::chrono;
  const std::string id = NewId();
  const std::string type = Weighted(kTypes);
  const int64_t serial = Between(first_serial_, last_serial_);
  const year_month_day ymd{sys_days{days{serial}}};
  const int64_t day = int64_t{static_cast<int>(ymd.year())} * 10000 + static_cast<unsigned>(ymd.month()) * 100 +
                      static_cast<unsigned>(ymd.day());
  const int64_t year = day / 10000;
  const PlaceSeed& place = c.places[static_cast<size_t>(Between(0, static_cast<int64_t>(c.places.size()) - 1))];
  std::vector<std::string> topics;
  const int64_t n_topics = Between(1, 3);
  while (static_cast<int64_t>(topics.size()) < n_topics) {
    std::string t(kTopics[static_cast<size_t>(Between(0, std::size(kTopics) - 1))]);
    if (std::find(topics.begin(), topics.end(), t) == topics.end()) topics.push_back(t);
  }
  std::string joined;
  for (const std::string& t : topics) joined += (joined.empty() ? "" : ",") + t;
  const std::string title = std::string(TypeTitle(type)) + ": " + TopicTitle(topics.front());
  const int64_t now = NowMillis();
  char start[8];
  std::snprintf(start, sizeof start, "%02d:%02d", static_cast<int>(Between(7, 19)), Uniform() < 0.5 ? 0 : 30);
  activities_.push_back({id, place.code, place.path, c.code, place.village_code.empty() ? Value{} : Value{place.village_code},
                         place.point_code.empty() ? Value{} : Value{place.point_code}, type, title, joined, day, day / 100,
                         std::string(start), std::string("held"), std::string("Chi hội Phụ nữ"), std::string(""),
                         std::string(""), Value{}, Value{}, std::string(kCreatedBy), now, now});
  for (const std::string& t : topics) topics_.push_back({id, t});
  ++outcome_.activities;

  const bool crowd = type == "performance" || type == "competition";
  int64_t named = crowd ? Between(0, 5) : Between(8, 60);
  int64_t counted = crowd ? Between(40, 250) : Uniform() < 0.12 ? Between(5, 40) : 0;
  named = std::min<int64_t>({named, budget, static_cast<int64_t>(people.size())});
  const bool scored = type == "training" && Uniform() < 0.4;
  std::unordered_set<size_t> seen;
  const int64_t reg = static_cast<int64_t>(people.size());
  for (int64_t k = 0, tries = 0; k < named && tries < 4 * named; ++tries) {
    // Skewed towards the front of the register: regulars come again and again.
    size_t idx = static_cast<size_t>(static_cast<double>(reg) * std::pow(Uniform(), 1.6));
    if (idx >= people.size()) idx = people.size() - 1;
    if (!seen.insert(idx).second) continue;
    ++k;
    const PersonSeed& p = people[idx];
    Value pre, post;
    if (scored) {
      const double before = static_cast<double>(Between(30, 70));
      pre = before;
      post = std::min(100.0, before + static_cast<double>(Between(0, 35)));
    }
    participations_.push_back({id, p.id, place.path, c.code,
                               place.village_code.empty() ? Value{} : Value{place.village_code},
                               place.point_code.empty() ? Value{} : Value{place.point_code}, day, day / 100, type,
                               p.sex, p.birth_year, std::string(AgeGroupFor(p.birth_year, year)), p.ethnicity,
                               std::string(p.ethnicity == "kinh" ? "kinh" : "minority"), pre, post, now});
    ++outcome_.named;
    --budget;
    ++pending_participations_;
    actual_[{c.code, year}] += 1;
  }
  counted = std::min(counted, budget);
  if (counted > 0) {
    // Spread the crowd over sex × age group × Kinh/minority cells.
    std::map<std::tuple<std::string, std::string, std::string>, int64_t> cells;
    static const std::vector<std::pair<const char*, int>> ages = {
        {"under_16", 18}, {"16_17", 6}, {"18_29", 22}, {"30_59", 42}, {"60_plus", 12}};
    for (int64_t k = 0; k < counted; ++k) {
      cells[{Uniform() < 0.65 ? "female" : "male", Weighted(ages), Uniform() < c.minority_share ? "minority" : "kinh"}] += 1;
    }
    for (const auto& [cell, n] : cells) {
      tallies_.push_back({id, std::get<0>(cell), std::get<1>(cell), std::get<2>(cell), n, place.path, c.code,
                          place.village_code.empty() ? Value{} : Value{place.village_code},
                          place.point_code.empty() ? Value{} : Value{place.point_code}, day, day / 100, type});
    }
    outcome_.tallied += counted;
    budget -= counted;
    pending_participations_ += counted;
    actual_[{c.code, year}] += counted;
  }
}

Result<void> Generator::Flush() {
  KHIEN_RETURN_IF_ERROR(db_.Write([&](store::Connection& c) -> Result<void> {
    KHIEN_RETURN_IF_ERROR(c.BulkInsert("reach_people",
                                       {"id", "commune_code", "name", "name_fold", "sex", "birth_year", "ethnicity",
                                        "disability", "village", "village_fold", "phone", "created_at"},
                                       people_));
    KHIEN_RETURN_IF_ERROR(c.BulkInsert(
        "reach_activities",
        {"id", "org_code", "org_path", "commune_code", "village_code", "point_code", "type", "title", "topics", "day",
         "month", "start_time", "status", "facilitators", "partners", "notes", "knowledge_pre_avg",
         "knowledge_post_avg", "created_by", "created_at", "updated_at"},
        activities_));
    KHIEN_RETURN_IF_ERROR(c.BulkInsert("reach_activity_topics", {"activity_id", "topic"}, topics_));
    KHIEN_RETURN_IF_ERROR(c.BulkInsert(
        "reach_participations",
        {"activity_id", "person_id", "org_path", "commune_code", "village_code", "point_code", "day", "month", "type",
         "sex", "birth_year", "age_group", "ethnicity", "ethnic_group", "pre_score", "post_score", "created_at"},
        participations_));
    KHIEN_RETURN_IF_ERROR(c.BulkInsert("reach_tallies",
                                       {"activity_id", "sex", "age_group", "ethnic_group", "count", "org_path",
                                        "commune_code", "village_code", "point_code", "day", "month", "type"},
                                       tallies_));
    return repository::MarkChanged(c, repository::kEverything);
  }));
  written_ += pending_participations_;
  pending_participations_ = 0;
  for (Table* t : {&people_, &activities_, &topics_, &participations_, &tallies_}) t->clear();
  if (options_.progress) options_.progress(written_, options_.participations);
  return {};
}

Result<ScaleOutcome> Generator::Run() {
  using namespace std::chrono;
  if (options_.participations < 1 || options_.participations > 5000000) {
    return Error::InvalidInput("scale", "Số lượt tham gia phải từ 1 đến 5.000.000.",
                               "The number of participations must be between 1 and 5,000,000.");
  }
  KHIEN_ASSIGN_OR_RETURN(bool done, store::ReadValue<bool>(db_, [](store::Connection& c) -> Result<bool> {
    KHIEN_ASSIGN_OR_RETURN(store::Rows rows, c.Query("SELECT 1 FROM reach_activities WHERE created_by = $1 LIMIT 1",
                                                     {std::string(kCreatedBy)}));
    return !rows.empty();
  }));
  if (done) {
    return Error::Conflict("scale",
                           "Dữ liệu mẫu quy mô lớn đã được tạo trong cơ sở dữ liệu này; hãy dùng một cơ sở dữ liệu mới.",
                           "The large demo has already been generated in this database; use a fresh database.");
  }
  std::string today = options_.today;
  if (today.empty()) {
    const auto vn = floor<days>(system_clock::now() + hours(7));
    const year_month_day ymd(vn);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    today = buf;
  }
  const year_month_day t{year{std::stoi(today.substr(0, 4))}, month{static_cast<unsigned>(std::stoi(today.substr(5, 2)))},
                         day{static_cast<unsigned>(std::stoi(today.substr(8, 2)))}};
  today_day_ = int64_t{static_cast<int>(t.year())} * 10000 + static_cast<unsigned>(t.month()) * 100 +
               static_cast<unsigned>(t.day());
  first_serial_ = sys_days{year{2021} / January / 1}.time_since_epoch().count();
  last_serial_ = sys_days{t}.time_since_epoch().count();

  KHIEN_ASSIGN_OR_RETURN(std::vector<CommuneSeed> communes, Places());
  outcome_.communes = static_cast<int64_t>(communes.size());
  std::vector<double> weights;
  double sum = 0;
  for (size_t i = 0; i < communes.size(); ++i) {
    weights.push_back(0.4 + 1.6 * Uniform());
    sum += weights.back();
  }
  int64_t left = options_.participations;
  for (size_t i = 0; i < communes.size(); ++i) {
    const CommuneSeed& c = communes[i];
    int64_t budget = i + 1 == communes.size()
                         ? left
                         : std::min(left, static_cast<int64_t>(std::llround(options_.participations * weights[i] / sum)));
    left -= budget;
    // About 85% of participations are named; a person comes about four times on average.
    std::vector<PersonSeed> people;
    AddPeople(c, std::max<int64_t>(5, budget * 85 / 100 / 4), people);
    while (budget > 0) {
      AddActivity(c, people, budget);
      if (pending_participations_ >= kBatchParticipations) KHIEN_RETURN_IF_ERROR(Flush());
    }
  }
  // A few planned sessions in the coming weeks (no one attended yet).
  for (size_t i = 0; i < communes.size(); i += 3) {
    const CommuneSeed& c = communes[i];
    const year_month_day ymd{sys_days{days{last_serial_ + Between(3, 40)}}};
    const int64_t day = int64_t{static_cast<int>(ymd.year())} * 10000 + static_cast<unsigned>(ymd.month()) * 100 +
                        static_cast<unsigned>(ymd.day());
    const std::string id = NewId();
    const int64_t now = NowMillis();
    activities_.push_back({id, c.code, c.path, c.code, Value{}, Value{}, std::string("training"),
                           std::string("Tập huấn: kỹ năng số và VNeID"), std::string("digital_skills"), day, day / 100,
                           Value{}, std::string("planned"), std::string(""), std::string(""), std::string(""), Value{},
                           Value{}, std::string(kCreatedBy), now, now});
    topics_.push_back({id, std::string("digital_skills")});
    ++outcome_.activities;
  }
  KHIEN_RETURN_IF_ERROR(Flush());
  // Targets: a little above what each commune reached each year; the province the sum.
  return store::WriteValue<ScaleOutcome>(db_, [&](store::Connection& c) -> Result<ScaleOutcome> {
    std::map<int64_t, int64_t> province;
    for (const auto& [key, n] : actual_) {
      const int64_t target = (n * 11 / 10 + 99) / 100 * 100;
      province[key.second] += target;
      KHIEN_RETURN_IF_ERROR(repository::UpsertTarget(c, {key.first, key.second, "participations", target}));
    }
    for (const auto& [y, n] : province) {
      KHIEN_RETURN_IF_ERROR(repository::UpsertTarget(c, {options_.province, y, "participations", n}));
      KHIEN_RETURN_IF_ERROR(repository::UpsertTarget(c, {options_.province, y, "minority_women", n / 3}));
    }
    return outcome_;
  });
}

}  // namespace

Result<ScaleOutcome> GenerateScaleDemo(store::Database& db, const ScaleOptions& options) {
  Generator g(db, options);
  return g.Run();
}

}  // namespace khien::reach
