#include "reach/service.h"

#include <algorithm>
#include <chrono>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <spdlog/spdlog.h>

#include "audit/audit_log.h"
#include "base/ids.h"
#include "base/text.h"
#include "reach/ethnicity.h"
#include "reach/fact_cache.h"
#include "reach/indicators.h"
#include "reach/repository.h"
#include "reach/spreadsheet.h"

namespace khien::reach {
namespace {

using access::Permission;
using repository::PathRange;
using repository::Place;

constexpr int64_t kFirstDay = 20210101;
constexpr int64_t kVietnamOffsetMillis = 7 * 3600 * 1000;

template <size_t N>
bool OneOf(const std::string_view (&list)[N], std::string_view v) {
  return std::find(std::begin(list), std::end(list), v) != std::end(list);
}

PathRange Everything() { return {"", "\x7f"}; }

Error Invalid(std::string field, std::string vi, std::string en) {
  return Error::InvalidInput(std::move(field), std::move(vi), std::move(en));
}

Result<void> CheckHeldDate(const std::string& status, int64_t day, int64_t today) {
  if (status == "held" && day > today) {
    return Invalid("date", "Hoạt động đã tổ chức không thể có ngày trong tương lai.",
                   "A held activity cannot have a date in the future.");
  }
  return {};
}

Result<void> CheckScore(const std::optional<double>& v, const char* field) {
  if (v && (*v < 0 || *v > 100)) {
    return Invalid(field, std::string("Điểm '") + field + "' phải từ 0 đến 100.",
                   std::string("Score '") + field + "' must be between 0 and 100.");
  }
  return {};
}

// The place where an activity can be held: a commune, village or point in her scope.
Result<Place> ActivityPlace(store::Connection& c, const access::Principal& caller, const std::string& code) {
  auto place = repository::FindPlace(c, code);
  if (!place.ok()) {
    return Invalid("org_unit", "Không tìm thấy đơn vị hành chính.", "Unknown org unit.");
  }
  if (!caller.Covers(place->path)) return Error::Forbidden();
  if (place->level == "province") {
    return Invalid("org_unit", "Hoạt động phải gắn với xã/phường, thôn/buôn hoặc điểm.",
                   "An activity belongs to a commune, village or point, not a province.");
  }
  return place;
}

// The subtree a read covers: the given org (inside her scope) or her first org unit.
Result<Place> ScopePlace(store::Connection& c, const access::Principal& caller,
                         const std::optional<std::string>& org_code) {
  if (org_code) {
    auto place = repository::FindPlace(c, *org_code);
    if (!place.ok()) return Invalid("org", "Không tìm thấy đơn vị hành chính.", "Unknown org unit.");
    if (!caller.Covers(place->path)) return Error::Forbidden();
    return place;
  }
  if (caller.org_codes.empty()) {
    if (caller.Covers("/")) return Place{"", "", "root", "/", "", {}, {}};
    return Error::Forbidden();
  }
  return repository::FindPlace(c, caller.org_codes.front());
}

std::string AuditDetail(const Activity& a) {
  return "{\"type\":\"" + a.type + "\",\"date\":\"" + a.date + "\",\"status\":\"" + a.status + "\"}";
}

}  // namespace

std::string_view AgeGroupFor(int64_t birth_year, int64_t year) {
  const int64_t age = year - birth_year;
  if (age < 16) return "under_16";
  if (age < 18) return "16_17";
  if (age < 30) return "18_29";
  if (age < 60) return "30_59";
  return "60_plus";
}

Result<int64_t> ParseDate(std::string_view s, std::string_view field) {
  auto bad = [&] {
    return Invalid(std::string(field), "Ngày '" + std::string(field) + "' phải có dạng YYYY-MM-DD.",
                   "Date '" + std::string(field) + "' must be YYYY-MM-DD.");
  };
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return bad();
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return bad();
  }
  const int y = std::stoi(std::string(s.substr(0, 4)));
  const unsigned m = static_cast<unsigned>(std::stoi(std::string(s.substr(5, 2))));
  const unsigned d = static_cast<unsigned>(std::stoi(std::string(s.substr(8, 2))));
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!ymd.ok()) return bad();
  return int64_t{y} * 10000 + m * 100 + d;
}

ReachService::ReachService(store::Database& db, std::function<int64_t()> now_millis)
    : db_(db),
      now_(now_millis ? std::move(now_millis) : std::function<int64_t()>(NowMillis)),
      cache_(std::make_unique<FactCache>()) {}

ReachService::~ReachService() {
  if (warm_.joinable()) warm_.join();
}

Result<void> ReachService::WarmIndicatorCache() {
  return db_.Read([&](store::Connection& c) { return cache_->Sync(c); });
}

void ReachService::WarmIndicatorCacheInBackground() {
  if (warm_.joinable()) return;
  warm_ = std::thread([this] {
    if (auto r = WarmIndicatorCache(); !r.ok()) {
      spdlog::warn("reach: indicator cache warm-up failed: {}", r.error().message_en);
    }
  });
}

std::string ReachService::Today() const {
  using namespace std::chrono;
  const sys_days days = floor<std::chrono::days>(sys_time<milliseconds>(milliseconds(now_() + kVietnamOffsetMillis)));
  const year_month_day ymd(days);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

Result<void> ReachService::ValidateActivity(Activity& a) const {
  if (!OneOf(kActivityTypes, a.type)) {
    return Invalid("type", "Loại hoạt động không hợp lệ.", "Unknown activity type.");
  }
  if (a.title.empty() || text::CodePointCount(a.title) > 200) {
    return Invalid("title", "Tên hoạt động là bắt buộc (tối đa 200 ký tự).",
                   "title is required (at most 200 characters).");
  }
  if (a.topics.empty()) {
    return Invalid("topics", "Cần chọn ít nhất một chủ đề.", "Choose at least one topic.");
  }
  std::set<std::string> seen;
  for (const std::string& t : a.topics) {
    if (!OneOf(kTopics, t)) return Invalid("topics", "Chủ đề không hợp lệ.", "Unknown topic.");
    if (!seen.insert(t).second) return Invalid("topics", "Chủ đề bị lặp.", "A topic is repeated.");
  }
  if (!OneOf(kStatuses, a.status)) {
    return Invalid("status", "Trạng thái phải là planned, held hoặc cancelled.",
                   "status must be planned, held or cancelled.");
  }
  KHIEN_ASSIGN_OR_RETURN(int64_t day, ParseDate(a.date, "date"));
  if (day < kFirstDay) {
    return Invalid("date", "Ngày hoạt động không được trước năm 2021.", "The date cannot be before 2021.");
  }
  if (day > 21001231) return Invalid("date", "Ngày không hợp lệ.", "Invalid date.");
  KHIEN_ASSIGN_OR_RETURN(int64_t today, ParseDate(Today(), "date"));
  KHIEN_RETURN_IF_ERROR(CheckHeldDate(a.status, day, today));
  if (a.start_time) {
    const std::string& t = *a.start_time;
    const bool ok = t.size() == 5 && t[2] == ':' && isdigit(t[0]) && isdigit(t[1]) && isdigit(t[3]) &&
                    isdigit(t[4]) && std::stoi(t.substr(0, 2)) < 24 && std::stoi(t.substr(3, 2)) < 60;
    if (!ok) return Invalid("start_time", "Giờ bắt đầu phải có dạng HH:MM.", "start_time must be HH:MM.");
  }
  KHIEN_RETURN_IF_ERROR(CheckScore(a.knowledge_pre_avg, "knowledge_pre_avg"));
  KHIEN_RETURN_IF_ERROR(CheckScore(a.knowledge_post_avg, "knowledge_post_avg"));
  for (const std::string* s : {&a.facilitators, &a.partners}) {
    if (text::CodePointCount(*s) > 500) {
      return Invalid("facilitators", "Nội dung quá dài (tối đa 500 ký tự).", "Too long (at most 500 characters).");
    }
  }
  if (text::CodePointCount(a.notes) > 4000) {
    return Invalid("notes", "Ghi chú quá dài (tối đa 4000 ký tự).", "notes is too long (at most 4000 characters).");
  }
  return {};
}

Result<ActivityDetail> ReachService::Detail(store::Connection& c, const std::string& id,
                                            const access::Principal& caller) {
  KHIEN_ASSIGN_OR_RETURN(Activity a, repository::FindActivity(c, id, Everything()));
  if (!caller.Covers(a.org_path)) return Error::NotFound("Không tìm thấy hoạt động.", "Activity not found.");
  KHIEN_ASSIGN_OR_RETURN(std::vector<TallyCell> tally, repository::ListTally(c, id));
  return ActivityDetail{std::move(a), std::move(tally)};
}

Result<ActivityDetail> ReachService::CreateActivity(const access::Principal& caller, NewActivity in) {
  if (!caller.Can(Permission::kRecordReach)) return Error::Forbidden();
  Activity a;
  a.id = NewId();
  a.org_code = in.org_code;
  a.type = in.type;
  a.title = in.title;
  a.topics = in.topics;
  a.date = in.date;
  a.start_time = in.start_time;
  a.status = in.status;
  a.facilitators = in.facilitators;
  a.partners = in.partners;
  a.notes = in.notes;
  a.knowledge_pre_avg = in.knowledge_pre_avg;
  a.knowledge_post_avg = in.knowledge_post_avg;
  a.created_by = caller.user_id;
  a.created_at = a.updated_at = now_();
  KHIEN_RETURN_IF_ERROR(ValidateActivity(a));
  return store::WriteValue<ActivityDetail>(db_, [&](store::Connection& c) -> Result<ActivityDetail> {
    KHIEN_ASSIGN_OR_RETURN(Place place, ActivityPlace(c, caller, a.org_code));
    KHIEN_RETURN_IF_ERROR(repository::InsertActivity(c, a, place));
    KHIEN_RETURN_IF_ERROR(audit::Append(c, {caller.user_id, "reach.activity_created", "activity", a.id,
                                            place.code, AuditDetail(a)}));
    return Detail(c, a.id, caller);
  });
}

Result<ActivityDetail> ReachService::GetActivity(const access::Principal& caller, const std::string& id) {
  if (!caller.Can(Permission::kViewReach)) return Error::Forbidden();
  return store::ReadValue<ActivityDetail>(db_, [&](store::Connection& c) { return Detail(c, id, caller); });
}

Result<std::vector<Activity>> ReachService::ListActivities(const access::Principal& caller,
                                                           ActivityFilter filter) {
  if (!caller.Can(Permission::kViewReach)) return Error::Forbidden();
  if (filter.limit < 1 || filter.limit > 500 || filter.offset < 0) {
    return Invalid("limit", "limit phải từ 1 đến 500.", "limit must be between 1 and 500.");
  }
  int64_t from = kFirstDay;
  int64_t to = 99991231;
  if (filter.from) { KHIEN_ASSIGN_OR_RETURN(from, ParseDate(*filter.from, "from")); }
  if (filter.to) { KHIEN_ASSIGN_OR_RETURN(to, ParseDate(*filter.to, "to")); }
  if (filter.type && !OneOf(kActivityTypes, *filter.type)) {
    return Invalid("type", "Loại hoạt động không hợp lệ.", "Unknown activity type.");
  }
  if (filter.topic && !OneOf(kTopics, *filter.topic)) return Invalid("topic", "Chủ đề không hợp lệ.", "Unknown topic.");
  if (filter.status && !OneOf(kStatuses, *filter.status)) {
    return Invalid("status", "Trạng thái không hợp lệ.", "Unknown status.");
  }
  return store::ReadValue<std::vector<Activity>>(db_, [&](store::Connection& c) -> Result<std::vector<Activity>> {
    KHIEN_ASSIGN_OR_RETURN(Place place, ScopePlace(c, caller, filter.org_code));
    auto [lo, hi] = access::SubtreeRange(place.path);
    return repository::ListActivities(c, {lo, hi}, filter, from, to);
  });
}

Result<ActivityDetail> ReachService::UpdateActivity(const access::Principal& caller, const std::string& id,
                                                    ActivityPatch patch) {
  if (!caller.Can(Permission::kRecordReach)) return Error::Forbidden();
  return store::WriteValue<ActivityDetail>(db_, [&](store::Connection& c) -> Result<ActivityDetail> {
    KHIEN_ASSIGN_OR_RETURN(ActivityDetail current, Detail(c, id, caller));
    Activity a = current.activity;
    if (patch.org_code) a.org_code = *patch.org_code;
    if (patch.type) a.type = *patch.type;
    if (patch.title) a.title = *patch.title;
    if (patch.topics) a.topics = *patch.topics;
    if (patch.date) a.date = *patch.date;
    if (patch.start_time) a.start_time = patch.start_time->empty() ? std::nullopt : patch.start_time;
    if (patch.status) a.status = *patch.status;
    if (patch.facilitators) a.facilitators = *patch.facilitators;
    if (patch.partners) a.partners = *patch.partners;
    if (patch.notes) a.notes = *patch.notes;
    if (patch.knowledge_pre_avg) a.knowledge_pre_avg = patch.knowledge_pre_avg;
    if (patch.knowledge_post_avg) a.knowledge_post_avg = patch.knowledge_post_avg;
    a.updated_at = now_();
    KHIEN_RETURN_IF_ERROR(ValidateActivity(a));
    if (a.status != "held" && (a.named_count > 0 || a.tally_total > 0)) {
      return Error::Conflict("status", "Hoạt động đã có người tham gia nên phải giữ trạng thái đã tổ chức.",
                             "The activity has participants, so it must stay held.");
    }
    KHIEN_ASSIGN_OR_RETURN(Place place, ActivityPlace(c, caller, a.org_code));
    KHIEN_RETURN_IF_ERROR(repository::UpdateActivity(c, a, place));
    KHIEN_RETURN_IF_ERROR(audit::Append(c, {caller.user_id, "reach.activity_updated", "activity", a.id,
                                            place.code, AuditDetail(a)}));
    return Detail(c, id, caller);
  });
}

Result<void> ReachService::DeleteActivity(const access::Principal& caller, const std::string& id) {
  if (!caller.Can(Permission::kRecordReach)) return Error::Forbidden();
  return db_.Write([&](store::Connection& c) -> Result<void> {
    KHIEN_ASSIGN_OR_RETURN(ActivityDetail current, Detail(c, id, caller));
    KHIEN_RETURN_IF_ERROR(repository::DeleteActivity(c, id));
    return audit::Append(c, {caller.user_id, "reach.activity_deleted", "activity", id,
                             current.activity.org_code, AuditDetail(current.activity)});
  });
}

Result<NewParticipant> ReachService::ValidateParticipant(NewParticipant p, int64_t current_year) {
  KHIEN_ASSIGN_OR_RETURN(p.name, text::CleanInput(p.name));
  if (p.name.empty() || text::CodePointCount(p.name) > 100) {
    return Invalid("name", "Họ tên là bắt buộc (tối đa 100 ký tự).", "name is required (at most 100 characters).");
  }
  if (p.sex.empty()) return Invalid("sex", "Giới tính là bắt buộc (female hoặc male).", "sex is required (female or male).");
  if (!OneOf(kSexes, p.sex)) return Invalid("sex", "Giới tính phải là female hoặc male.", "sex must be female or male.");
  if (p.birth_year < 1900 || p.birth_year > current_year) {
    return Invalid("birth_year", "Năm sinh không hợp lệ.", "Invalid birth year.");
  }
  auto e = FindEthnicity(p.ethnicity);
  if (!e) {
    return Invalid("ethnicity", "Dân tộc không có trong danh mục 54 dân tộc.",
                   "Ethnicity is not one of the 54 official groups.");
  }
  p.ethnicity = std::string(e->slug);
  KHIEN_ASSIGN_OR_RETURN(p.village, text::CleanInput(p.village));
  if (text::CodePointCount(p.village) > 100) {
    return Invalid("village", "Tên thôn/buôn quá dài (tối đa 100 ký tự).", "village is too long (at most 100 characters).");
  }
  if (p.phone) {
    KHIEN_ASSIGN_OR_RETURN(std::string phone, text::CleanInput(*p.phone));
    std::string digits;
    for (char ch : phone) {
      if (ch >= '0' && ch <= '9') digits.push_back(ch);
      else if (ch != ' ' && ch != '.' && ch != '-' && !(ch == '+' && digits.empty())) digits = "x";
      if (digits == "x") break;
    }
    if (digits.empty()) {
      p.phone.reset();
    } else if (digits == "x" || digits.size() < 9 || digits.size() > 12) {
      return Invalid("phone", "Số điện thoại không hợp lệ.", "Invalid phone number.");
    } else {
      p.phone = phone;
    }
  }
  KHIEN_RETURN_IF_ERROR(CheckScore(p.pre_score, "pre_score"));
  KHIEN_RETURN_IF_ERROR(CheckScore(p.post_score, "post_score"));
  return p;
}

Result<ParticipantOutcome> ReachService::AddParticipantIn(store::Connection& c, const Activity& a,
                                                          NewParticipant in) {
  ParticipantOutcome out;
  if (in.person_id) {
    KHIEN_ASSIGN_OR_RETURN(out.person, repository::FindPerson(c, *in.person_id, a.commune_code));
    out.recognised = true;
  } else {
    const std::string name_fold = text::Fold(in.name);
    const std::string village_fold = text::Fold(in.village);
    std::vector<Person> exact;
    if (!in.force_new) {
      KHIEN_ASSIGN_OR_RETURN(exact, repository::FindExactPeople(c, a.commune_code, name_fold, in.birth_year, village_fold));
    }
    if (!exact.empty()) {
      out.person = exact.front();
      out.recognised = true;
    } else {
      Person p;
      p.id = NewId();
      p.commune_code = a.commune_code;
      p.name = in.name;
      p.sex = in.sex;
      p.birth_year = in.birth_year;
      p.ethnicity = in.ethnicity;
      p.disability = in.disability;
      p.village = in.village;
      p.phone = in.phone;
      KHIEN_RETURN_IF_ERROR(repository::InsertPerson(c, p));
      KHIEN_ASSIGN_OR_RETURN(out.suggestions, repository::SuggestPeople(c, a.commune_code, name_fold, in.birth_year,
                                                                        village_fold, p.id));
      out.person = std::move(p);
    }
  }
  KHIEN_ASSIGN_OR_RETURN(Place place, repository::FindPlace(c, a.org_code));
  KHIEN_RETURN_IF_ERROR(repository::InsertParticipation(c, a, place, out.person, in.pre_score, in.post_score));
  out.person.participations += 1;
  return out;
}

Result<ParticipantOutcome> ReachService::AddParticipant(const access::Principal& caller,
                                                        const std::string& activity_id, NewParticipant input) {
  if (!caller.Can(Permission::kRecordReach)) return Error::Forbidden();
  const int64_t year = std::stoll(Today().substr(0, 4));
  if (!input.person_id) {
    KHIEN_ASSIGN_OR_RETURN(input, ValidateParticipant(std::move(input), year));
  } else {
    KHIEN_RETURN_IF_ERROR(CheckScore(input.pre_score, "pre_score"));
    KHIEN_RETURN_IF_ERROR(CheckScore(input.post_score, "post_score"));
  }
  return store::WriteValue<ParticipantOutcome>(db_, [&](store::Connection& c) -> Result<ParticipantOutcome> {
    KHIEN_ASSIGN_OR_RETURN(ActivityDetail d, Detail(c, activity_id, caller));
    if (d.activity.status != "held") {
      return Invalid("status", "Chỉ ghi người tham gia cho hoạt động đã tổ chức.",
                     "Participants can only be recorded for a held activity.");
    }
    return AddParticipantIn(c, d.activity, input);
  });
}

Result<std::vector<Participation>> ReachService::ListParticipants(const access::Principal& caller,
                                                                  const std::string& activity_id) {
  if (!caller.Can(Permission::kViewReach)) return Error::Forbidden();
  return store::ReadValue<std::vector<Participation>>(db_, [&](store::Connection& c) -> Result<std::vector<Participation>> {
    KHIEN_RETURN_IF_ERROR(Detail(c, activity_id, caller));
    return repository::ListParticipations(c, activity_id);
  });
}

Result<void> ReachService::RemoveParticipant(const access::Principal& caller, const std::string& activity_id,
                                             const std::string& person_id) {
  if (!caller.Can(Permission::kRecordReach)) return Error::Forbidden();
  return db_.Write([&](store::Connection& c) -> Result<void> {
    KHIEN_RETURN_IF_ERROR(Detail(c, activity_id, caller));
    return repository::DeleteParticipation(c, activity_id, person_id);
  });
}

Result<std::vector<TallyCell>> ReachService::SetTally(const access::Principal& caller,
                                                      const std::string& activity_id,
                                                      std::vector<TallyCell> cells) {
  if (!caller.Can(Permission::kRecordReach)) return Error::Forbidden();
  std::set<std::string> seen;
  for (const TallyCell& t : cells) {
    if (!OneOf(kSexes, t.sex)) return Invalid("sex", "Giới tính phải là female hoặc male.", "sex must be female or male.");
    if (!OneOf(kAgeGroups, t.age_group)) {
      return Invalid("age_group", "Nhóm tuổi không hợp lệ.", "Unknown age group.");
    }
    if (!OneOf(kEthnicGroups, t.ethnic_group)) {
      return Invalid("ethnic_group", "Nhóm dân tộc phải là kinh hoặc minority.", "ethnic_group must be kinh or minority.");
    }
    if (t.count < 0) return Invalid("count", "Số lượng không được âm.", "A count cannot be negative.");
    if (t.count > 100000) return Invalid("count", "Số lượng quá lớn.", "The count is too large.");
    if (!seen.insert(t.sex + "|" + t.age_group + "|" + t.ethnic_group).second) {
      return Invalid("cells", "Một ô được nhập hai lần.", "A cell is given twice.");
    }
  }
  return store::WriteValue<std::vector<TallyCell>>(db_, [&](store::Connection& c) -> Result<std::vector<TallyCell>> {
    KHIEN_ASSIGN_OR_RETURN(ActivityDetail d, Detail(c, activity_id, caller));
    if (d.activity.status != "held") {
      return Invalid("status", "Chỉ ghi số người tham gia cho hoạt động đã tổ chức.",
                     "Counts can only be recorded for a held activity.");
    }
    KHIEN_ASSIGN_OR_RETURN(Place place, repository::FindPlace(c, d.activity.org_code));
    KHIEN_RETURN_IF_ERROR(repository::ReplaceTally(c, d.activity, place, cells));
    return repository::ListTally(c, activity_id);
  });
}

Result<Target> ReachService::SetTarget(const access::Principal& caller, Target t) {
  if (!caller.Can(Permission::kRecordReach)) return Error::Forbidden();
  if (!OneOf(kTargetIndicators, t.indicator)) {
    return Invalid("indicator", "Chỉ tiêu không hợp lệ.", "Unknown target indicator.");
  }
  if (t.year < 2021 || t.year > 2100) return Invalid("year", "Năm không hợp lệ.", "Invalid year.");
  if (t.value < 0) return Invalid("value", "Chỉ tiêu không được âm.", "A target cannot be negative.");
  return store::WriteValue<Target>(db_, [&](store::Connection& c) -> Result<Target> {
    auto place = repository::FindPlace(c, t.org_code);
    if (!place.ok()) return Invalid("org_unit", "Không tìm thấy đơn vị hành chính.", "Unknown org unit.");
    if (!caller.Covers(place->path)) return Error::Forbidden();
    KHIEN_RETURN_IF_ERROR(repository::UpsertTarget(c, t));
    KHIEN_RETURN_IF_ERROR(audit::Append(c, {caller.user_id, "reach.target_set", "org_unit", t.org_code, t.org_code,
                                            "{\"indicator\":\"" + t.indicator + "\",\"year\":" +
                                                std::to_string(t.year) + "}"}));
    return t;
  });
}

Result<std::vector<Target>> ReachService::ListTargets(const access::Principal& caller, const std::string& org_code,
                                                      int64_t year) {
  if (!caller.Can(Permission::kViewReach)) return Error::Forbidden();
  return store::ReadValue<std::vector<Target>>(db_, [&](store::Connection& c) -> Result<std::vector<Target>> {
    KHIEN_ASSIGN_OR_RETURN(Place place, ScopePlace(c, caller, org_code));
    return repository::ListTargets(c, place.code, year == 0 ? 2021 : year, year == 0 ? 2100 : year);
  });
}

Result<IndicatorTable> ReachService::Indicators(const access::Principal& caller, IndicatorQuery q,
                                                IndicatorEngine engine) {
  if (!caller.Can(Permission::kViewReach)) return Error::Forbidden();
  if (q.from.empty()) q.from = "2021-01-01";
  if (q.to.empty()) q.to = Today();
  KHIEN_ASSIGN_OR_RETURN(int64_t from, ParseDate(q.from, "from"));
  KHIEN_ASSIGN_OR_RETURN(int64_t to, ParseDate(q.to, "to"));
  if (from > to) return Invalid("from", "Ngày bắt đầu phải trước ngày kết thúc.", "from must not be after to.");
  KHIEN_ASSIGN_OR_RETURN(q.by, NormaliseDimensions(q.by));
  if (q.type && !OneOf(kActivityTypes, *q.type)) return Invalid("type", "Loại hoạt động không hợp lệ.", "Unknown activity type.");
  if (q.topic && !OneOf(kTopics, *q.topic)) return Invalid("topic", "Chủ đề không hợp lệ.", "Unknown topic.");
  return store::ReadValue<IndicatorTable>(db_, [&](store::Connection& c) -> Result<IndicatorTable> {
    KHIEN_ASSIGN_OR_RETURN(Place place, ScopePlace(c, caller, q.org_code));
    auto [lo, hi] = access::SubtreeRange(place.path);
    repository::FactFilter filter{{lo, hi}, from, to, q.topic, q.type};
    FactCache* cache = engine == IndicatorEngine::kCache ? cache_.get() : nullptr;
    std::vector<Target> targets;
    if (!place.code.empty()) {
      KHIEN_ASSIGN_OR_RETURN(targets, repository::ListTargets(c, place.code, from / 10000, to / 10000));
    }
    // Target progress needs the table by year: the cache fills it in the same scan.
    IndicatorTable by_year;
    KHIEN_ASSIGN_OR_RETURN(IndicatorTable table,
                           ComputeIndicators(c, filter, q.by, cache, targets.empty() ? nullptr : &by_year));
    if (!targets.empty()) table.targets = TargetProgressFrom(by_year, targets);
    table.org_code = place.code;
    table.org_name = place.name;
    table.from = q.from;
    table.to = q.to;
    std::set<std::string> codes;
    for (const IndicatorRow& r : table.rows) {
      for (const char* d : {"commune", "village", "point"}) {
        auto it = r.keys.find(d);
        if (it != r.keys.end() && !it->second.empty()) codes.insert(it->second);
      }
    }
    KHIEN_ASSIGN_OR_RETURN(auto names, repository::PlaceNames(c, {codes.begin(), codes.end()}));
    for (auto& [code, name] : names) table.place_names[code] = name;
    return table;
  });
}

Result<ImportOutcome> ReachService::ImportParticipants(const access::Principal& caller,
                                                       const std::string& activity_id,
                                                       const std::vector<ImportRow>& rows, bool commit,
                                                       bool valid_only) {
  if (!caller.Can(Permission::kRecordReach)) return Error::Forbidden();
  const int64_t year = std::stoll(Today().substr(0, 4));
  ImportOutcome out;
  out.rows = static_cast<int64_t>(rows.size());
  std::vector<NewParticipant> valid;
  for (const ImportRow& row : rows) {
    if (row.error) {
      out.errors.push_back({row.line, row.error->field, row.error->message_vi, row.error->message_en});
      continue;
    }
    auto p = ValidateParticipant(*row.participant, year);
    if (!p.ok()) {
      out.errors.push_back({row.line, p.error().field, p.error().message_vi, p.error().message_en});
      continue;
    }
    valid.push_back(std::move(p).value());
  }
  out.valid = static_cast<int64_t>(valid.size());
  for (size_t i = 0; i < valid.size() && i < 20; ++i) out.preview.push_back(valid[i]);
  // The activity must exist in her scope even for a dry run.
  const bool write = commit && (out.errors.empty() || valid_only);
  auto run = [&](store::Connection& c) -> Result<ImportOutcome> {
    KHIEN_ASSIGN_OR_RETURN(ActivityDetail d, Detail(c, activity_id, caller));
    if (d.activity.status != "held") {
      return Invalid("activity", "Chỉ nhập danh sách cho hoạt động đã tổ chức.",
                     "Attendance can only be imported for a held activity.");
    }
    if (!write) return out;
    // The commune's register in memory and two bulk inserts: a 100,000-row sheet in seconds.
    // Matching is AddParticipantIn's (folded name, birth year, village; the oldest entry wins).
    KHIEN_ASSIGN_OR_RETURN(Place place, repository::FindPlace(c, d.activity.org_code));
    KHIEN_ASSIGN_OR_RETURN(std::vector<repository::RegisterEntry> entries,
                           repository::LoadRegister(c, d.activity.commune_code));
    auto key_of = [](const std::string& name_fold, int64_t year, const std::string& village_fold) {
      return name_fold + '\x1f' + std::to_string(year) + '\x1f' + village_fold;
    };
    std::unordered_map<std::string, Person> known;
    known.reserve(entries.size() + valid.size());
    for (repository::RegisterEntry& e : entries) {
      known.try_emplace(key_of(e.name_fold, e.person.birth_year, e.village_fold), std::move(e.person));
    }
    KHIEN_ASSIGN_OR_RETURN(std::vector<std::string> attended, repository::AttendeeIds(c, activity_id));
    std::unordered_set<std::string> here(attended.begin(), attended.end());
    std::vector<Person> new_people;
    std::vector<repository::NewFact> facts;
    for (const NewParticipant& p : valid) {
      auto [it, added] = known.try_emplace(key_of(text::Fold(p.name), p.birth_year, text::Fold(p.village)));
      if (added) {
        Person& person = it->second;
        person.id = NewId();
        person.commune_code = d.activity.commune_code;
        person.name = p.name;
        person.sex = p.sex;
        person.birth_year = p.birth_year;
        person.ethnicity = p.ethnicity;
        person.disability = p.disability;
        person.village = p.village;
        person.phone = p.phone;
        new_people.push_back(person);
      }
      if (!here.insert(it->second.id).second) continue;  // the same person twice in one sheet
      if (!added) ++out.recognised;
      facts.push_back({it->second, p.pre_score, p.post_score});
      ++out.written;
    }
    KHIEN_RETURN_IF_ERROR(repository::InsertPeople(c, new_people));
    KHIEN_RETURN_IF_ERROR(repository::InsertParticipations(c, d.activity, place, facts));
    out.committed = true;
    KHIEN_RETURN_IF_ERROR(audit::Append(c, {caller.user_id, "reach.import", "activity", activity_id,
                                            d.activity.org_code,
                                            "{\"rows\":" + std::to_string(out.written) + "}"}));
    return out;
  };
  if (write) return store::WriteValue<ImportOutcome>(db_, run);
  return store::ReadValue<ImportOutcome>(db_, run);
}

}  // namespace khien::reach
