#include "reach/repository.h"

#include <algorithm>
#include <sstream>

#include "base/ids.h"
#include "base/strings.h"
#include "base/text.h"

namespace khien::reach::repository {
namespace {

using store::Connection;
using store::Params;
using store::Row;
using store::Rows;
using store::Value;

Value Opt(const std::optional<std::string>& s) { return s ? Value{*s} : Value{}; }
Value Opt(const std::optional<double>& d) { return d ? Value{*d} : Value{}; }

std::optional<double> OptReal(const Row& r, size_t i) {
  if (r.IsNull(i)) return std::nullopt;
  return r.Real(i);
}



int64_t DayOf(const std::string& date) {  // "2025-03-08" -> 20250308; validated by the service
  return std::stoll(date.substr(0, 4)) * 10000 + std::stoll(date.substr(5, 2)) * 100 +
         std::stoll(date.substr(8, 2));
}

std::string DateOf(int64_t day) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(day / 10000),
                static_cast<int>(day / 100 % 100), static_cast<int>(day % 100));
  return buf;
}

constexpr char kActivityColumns[] =
    "a.id, a.org_code, o.name, a.org_path, a.commune_code, a.type, a.title, a.topics, a.day, "
    "a.start_time, a.status, a.facilitators, a.partners, a.notes, a.knowledge_pre_avg, "
    "a.knowledge_post_avg, a.created_at, a.updated_at, COALESCE(a.created_by, ''), "
    "(SELECT COUNT(*) FROM reach_participations p WHERE p.activity_id = a.id), "
    "(SELECT COALESCE(SUM(t.count), 0) FROM reach_tallies t WHERE t.activity_id = a.id) "
    "FROM reach_activities a JOIN org_units o ON o.code = a.org_code ";

Activity ActivityFrom(const Row& r) {
  Activity a;
  a.id = r.Text(0);
  a.org_code = r.Text(1);
  a.org_name = r.Text(2);
  a.org_path = r.Text(3);
  a.commune_code = r.Text(4);
  a.type = r.Text(5);
  a.title = r.Text(6);
  a.topics = SplitComma(r.Text(7));
  a.date = DateOf(r.Int(8));
  a.start_time = r.OptText(9);
  a.status = r.Text(10);
  a.facilitators = r.Text(11);
  a.partners = r.Text(12);
  a.notes = r.Text(13);
  a.knowledge_pre_avg = OptReal(r, 14);
  a.knowledge_post_avg = OptReal(r, 15);
  a.created_at = r.Int(16);
  a.updated_at = r.Int(17);
  a.created_by = r.Text(18);
  a.named_count = r.Int(19);
  a.tally_total = r.Int(20);
  return a;
}

constexpr char kPersonColumns[] =
    "id, commune_code, name, sex, birth_year, ethnicity, disability, village, phone, "
    "(SELECT COUNT(*) FROM reach_participations p WHERE p.person_id = reach_people.id) "
    "FROM reach_people ";

Person PersonFrom(const Row& r, size_t at = 0) {
  Person p;
  p.id = r.Text(at + 0);
  p.commune_code = r.Text(at + 1);
  p.name = r.Text(at + 2);
  p.sex = r.Text(at + 3);
  p.birth_year = r.Int(at + 4);
  p.ethnicity = r.Text(at + 5);
  p.disability = r.Int(at + 6) != 0;
  p.village = r.Text(at + 7);
  p.phone = r.OptText(at + 8);
  p.participations = r.Int(at + 9);
  return p;
}

Result<void> WriteTopics(Connection& c, const std::string& id, const std::vector<std::string>& topics) {
  KHIEN_RETURN_IF_ERROR(c.Execute("DELETE FROM reach_activity_topics WHERE activity_id = $1", {id}));
  for (const std::string& t : topics) {
    KHIEN_RETURN_IF_ERROR(c.Execute(
        "INSERT INTO reach_activity_topics (activity_id, topic) VALUES ($1, $2)", {id, t}));
  }
  return {};
}

bool IsPersonDim(const std::string& d) {
  return d == "sex" || d == "age_group" || d == "ethnicity" || d == "ethnic_group";
}

// SQL expression for a dimension over the facts alias `f` (topics alias `t`).
std::string DimExpr(const std::string& d) {
  if (d == "commune") return "f.commune_code";
  if (d == "village") return "COALESCE(f.village_code, '')";
  if (d == "point") return "COALESCE(f.point_code, '')";
  if (d == "month") return "f.month";
  if (d == "quarter") return "(f.month / 100) * 10 + ((f.month % 100) + 2) / 3";
  if (d == "year") return "f.month / 100";
  if (d == "topic") return "t.topic";
  return "f." + d;  // sex, age_group, ethnicity, ethnic_group, type: validated column names
}

std::string DimValue(const std::string& d, const Row& r, size_t i) {
  if (d == "month") {
    int64_t m = r.Int(i);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d", static_cast<int>(m / 100), static_cast<int>(m % 100));
    return buf;
  }
  if (d == "quarter") {
    int64_t q = r.Int(i);
    return std::to_string(q / 10) + "-Q" + std::to_string(q % 10);
  }
  return r.Text(i);
}

// WHERE clause shared by the fact branches; appends parameters.
std::string FactWhere(const std::string& table, const FactFilter& f, Params& params) {
  std::string where = " WHERE " + table + ".org_path >= $1 AND " + table + ".org_path < $2 AND " +
                      table + ".day >= $3 AND " + table + ".day <= $4";
  if (params.empty()) {
    params = {f.range.lo, f.range.hi, f.from_day, f.to_day};
    if (f.type) params.push_back(*f.type);
    if (f.topic) params.push_back(*f.topic);
  }
  size_t next = 5;
  if (f.type) where += " AND " + table + ".type = $" + std::to_string(next++);
  if (f.topic) {
    where += " AND EXISTS (SELECT 1 FROM reach_activity_topics x WHERE x.activity_id = " + table +
             ".activity_id AND x.topic = $" + std::to_string(next++) + ")";
  }
  return where;
}

}  // namespace

Result<Place> FindPlace(Connection& c, const std::string& code) {
  KHIEN_ASSIGN_OR_RETURN(Rows rows, c.Query("SELECT code, name, level, path FROM org_units WHERE code = $1", {code}));
  if (rows.empty()) {
    return Error::NotFound("Không tìm thấy đơn vị hành chính.", "Org unit not found.");
  }
  Place p;
  p.code = rows[0].Text(0);
  p.name = rows[0].Text(1);
  p.level = rows[0].Text(2);
  p.path = rows[0].Text(3);
  std::vector<std::string> parts;
  std::stringstream in(p.path);
  std::string item;
  while (std::getline(in, item, '/')) {
    if (!item.empty()) parts.push_back(item);
  }
  if (parts.size() >= 2) p.commune_code = parts[1];
  if (parts.size() >= 3) p.village_code = parts[2];
  if (parts.size() >= 4) p.point_code = parts[3];
  // A point directly under a commune has no village.
  if (p.level == "point" && parts.size() == 3) {
    p.point_code = parts[2];
    p.village_code.reset();
  }
  return p;
}

Result<std::vector<Unit>> UnitsUnder(Connection& c, const PathRange& range) {
  KHIEN_ASSIGN_OR_RETURN(Rows rows, c.Query("SELECT code, COALESCE(parent_code, ''), level, name, path FROM org_units "
                                            "WHERE path >= $1 AND path < $2 ORDER BY path",
                                            {range.lo, range.hi}));
  std::vector<Unit> out;
  out.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back({rows[i].Text(0), rows[i].Text(1), rows[i].Text(2), rows[i].Text(3), rows[i].Text(4)});
  }
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> PlaceNames(
    Connection& c, const std::vector<std::string>& codes) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& code : codes) {
    KHIEN_ASSIGN_OR_RETURN(Rows rows, c.Query("SELECT name FROM org_units WHERE code = $1", {code}));
    if (!rows.empty()) out.emplace_back(code, rows[0].Text(0));
  }
  return out;
}

Result<void> InsertActivity(Connection& c, const Activity& a, const Place& place) {
  const int64_t day = DayOf(a.date);
  KHIEN_RETURN_IF_ERROR(c.Execute(
      "INSERT INTO reach_activities (id, org_code, org_path, commune_code, village_code, point_code, "
      "type, title, topics, day, month, start_time, status, facilitators, partners, notes, "
      "knowledge_pre_avg, knowledge_post_avg, created_by, created_at, updated_at) VALUES "
      "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)",
      {a.id, place.code, place.path, place.commune_code, Opt(place.village_code),
       Opt(place.point_code), a.type, a.title, JoinComma(a.topics), day, day / 100,
       Opt(a.start_time), a.status, a.facilitators, a.partners, a.notes, Opt(a.knowledge_pre_avg),
       Opt(a.knowledge_post_avg), a.created_by, a.created_at, a.updated_at}));
  KHIEN_RETURN_IF_ERROR(MarkChanged(c, a.id));
  return WriteTopics(c, a.id, a.topics);
}

Result<void> UpdateActivity(Connection& c, const Activity& a, const Place& place) {
  const int64_t day = DayOf(a.date);
  KHIEN_RETURN_IF_ERROR(c.Execute(
      "UPDATE reach_activities SET org_code = $2, org_path = $3, commune_code = $4, village_code = $5, "
      "point_code = $6, type = $7, title = $8, topics = $9, day = $10, month = $11, start_time = $12, "
      "status = $13, facilitators = $14, partners = $15, notes = $16, knowledge_pre_avg = $17, "
      "knowledge_post_avg = $18, updated_at = $19 WHERE id = $1",
      {a.id, place.code, place.path, place.commune_code, Opt(place.village_code),
       Opt(place.point_code), a.type, a.title, JoinComma(a.topics), day, day / 100,
       Opt(a.start_time), a.status, a.facilitators, a.partners, a.notes, Opt(a.knowledge_pre_avg),
       Opt(a.knowledge_post_avg), a.updated_at}));
  KHIEN_RETURN_IF_ERROR(WriteTopics(c, a.id, a.topics));
  const int64_t year = day / 10000;
  KHIEN_RETURN_IF_ERROR(c.Execute(
      "UPDATE reach_participations SET org_path = $2, commune_code = $3, village_code = $4, "
      "point_code = $5, day = $6, month = $7, type = $8, age_group = CASE "
      "WHEN $9 - birth_year < 16 THEN 'under_16' WHEN $9 - birth_year < 18 THEN '16_17' "
      "WHEN $9 - birth_year < 30 THEN '18_29' WHEN $9 - birth_year < 60 THEN '30_59' "
      "ELSE '60_plus' END WHERE activity_id = $1",
      {a.id, place.path, place.commune_code, Opt(place.village_code), Opt(place.point_code), day,
       day / 100, a.type, year}));
  KHIEN_RETURN_IF_ERROR(c.Execute(
      "UPDATE reach_tallies SET org_path = $2, commune_code = $3, village_code = $4, point_code = $5, "
      "day = $6, month = $7, type = $8 WHERE activity_id = $1",
      {a.id, place.path, place.commune_code, Opt(place.village_code), Opt(place.point_code), day,
       day / 100, a.type}));
  return MarkChanged(c, a.id);
}

Result<void> DeleteActivity(Connection& c, const std::string& id) {
  // Explicit rather than relying on ON DELETE CASCADE, so both engines behave the same.
  KHIEN_RETURN_IF_ERROR(c.Execute("DELETE FROM reach_participations WHERE activity_id = $1", {id}));
  KHIEN_RETURN_IF_ERROR(c.Execute("DELETE FROM reach_tallies WHERE activity_id = $1", {id}));
  KHIEN_RETURN_IF_ERROR(c.Execute("DELETE FROM reach_activity_topics WHERE activity_id = $1", {id}));
  KHIEN_RETURN_IF_ERROR(c.Execute("DELETE FROM reach_activities WHERE id = $1", {id}));
  return MarkChanged(c, id);
}

Result<Activity> FindActivity(Connection& c, const std::string& id, const PathRange& range) {
  KHIEN_ASSIGN_OR_RETURN(
      Rows rows, c.Query(std::string("SELECT ") + kActivityColumns +
                             "WHERE a.id = $1 AND a.org_path >= $2 AND a.org_path < $3",
                         {id, range.lo, range.hi}));
  if (rows.empty()) return Error::NotFound("Không tìm thấy hoạt động.", "Activity not found.");
  return ActivityFrom(rows[0]);
}

Result<std::vector<Activity>> ListActivities(Connection& c, const PathRange& range,
                                             const ActivityFilter& filter, int64_t from_day,
                                             int64_t to_day) {
  std::string sql = std::string("SELECT ") + kActivityColumns +
                    "WHERE a.org_path >= $1 AND a.org_path < $2 AND a.day >= $3 AND a.day <= $4";
  Params params = {range.lo, range.hi, from_day, to_day};
  if (filter.type) {
    params.push_back(*filter.type);
    sql += " AND a.type = $" + std::to_string(params.size());
  }
  if (filter.status) {
    params.push_back(*filter.status);
    sql += " AND a.status = $" + std::to_string(params.size());
  }
  if (filter.topic) {
    params.push_back(*filter.topic);
    sql += " AND EXISTS (SELECT 1 FROM reach_activity_topics x WHERE x.activity_id = a.id AND x.topic = $" +
           std::to_string(params.size()) + ")";
  }
  params.push_back(int64_t{filter.limit});
  sql += " ORDER BY a.day DESC, a.id DESC LIMIT $" + std::to_string(params.size());
  params.push_back(int64_t{filter.offset});
  sql += " OFFSET $" + std::to_string(params.size());
  KHIEN_ASSIGN_OR_RETURN(Rows rows, c.Query(sql, params));
  std::vector<Activity> out;
  out.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) out.push_back(ActivityFrom(rows[i]));
  return out;
}

Result<std::vector<Person>> FindExactPeople(Connection& c, const std::string& commune_code,
                                            const std::string& name_fold, int64_t birth_year,
                                            const std::string& village_fold) {
  KHIEN_ASSIGN_OR_RETURN(
      Rows rows, c.Query(std::string("SELECT ") + kPersonColumns +
                             "WHERE commune_code = $1 AND name_fold = $2 AND birth_year = $3 AND "
                             "village_fold = $4 ORDER BY id",
                         {commune_code, name_fold, birth_year, village_fold}));
  std::vector<Person> out;
  for (size_t i = 0; i < rows.size(); ++i) out.push_back(PersonFrom(rows[i]));
  return out;
}

Result<std::vector<Person>> SuggestPeople(Connection& c, const std::string& commune_code,
                                          const std::string& name_fold, int64_t birth_year,
                                          const std::string& village_fold,
                                          const std::string& exclude_id) {
  // The last word of a Vietnamese name is the given name ("H Mai Êban" is an exception the
  // folded full-name match still catches).
  const auto space = name_fold.rfind(' ');
  const std::string last = space == std::string::npos ? name_fold : name_fold.substr(space + 1);
  KHIEN_ASSIGN_OR_RETURN(
      Rows rows,
      c.Query(std::string("SELECT ") + kPersonColumns +
                  "WHERE commune_code = $1 AND id <> $2 AND (name_fold = $3 OR (birth_year = $4 AND "
                  "village_fold = $5 AND (name_fold LIKE $6 OR name_fold = $7))) ORDER BY id LIMIT 5",
              {commune_code, exclude_id, name_fold, birth_year, village_fold, "% " + last, last}));
  std::vector<Person> out;
  for (size_t i = 0; i < rows.size(); ++i) out.push_back(PersonFrom(rows[i]));
  return out;
}

Result<Person> FindPerson(Connection& c, const std::string& id, const std::string& commune_code) {
  KHIEN_ASSIGN_OR_RETURN(Rows rows, c.Query(std::string("SELECT ") + kPersonColumns +
                                                "WHERE id = $1 AND commune_code = $2",
                                            {id, commune_code}));
  if (rows.empty()) return Error::NotFound("Không tìm thấy người tham gia.", "Participant not found.");
  return PersonFrom(rows[0]);
}

Result<void> InsertPerson(Connection& c, const Person& p) {
  KHIEN_RETURN_IF_ERROR(c.Execute(
      "INSERT INTO reach_people (id, commune_code, name, name_fold, sex, birth_year, ethnicity, "
      "disability, village, village_fold, phone, created_at) VALUES "
      "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
      {p.id, p.commune_code, p.name, text::Fold(p.name), p.sex, p.birth_year, p.ethnicity,
       int64_t{p.disability ? 1 : 0}, p.village, text::Fold(p.village), Opt(p.phone), NowMillis()}));
  return {};
}

Result<void> InsertParticipation(Connection& c, const Activity& a, const Place& place,
                                 const Person& p, std::optional<double> pre,
                                 std::optional<double> post) {
  KHIEN_ASSIGN_OR_RETURN(Rows seen, c.Query("SELECT 1 FROM reach_participations WHERE activity_id = $1 AND person_id = $2",
                                            {a.id, p.id}));
  if (!seen.empty()) {
    return Error::Conflict("person_id", "Người này đã được ghi nhận tham gia hoạt động này.",
                           "This person is already recorded at this activity.");
  }
  const int64_t day = DayOf(a.date);
  KHIEN_RETURN_IF_ERROR(c.Execute(
      "INSERT INTO reach_participations (activity_id, person_id, org_path, commune_code, village_code, "
      "point_code, day, month, type, sex, birth_year, age_group, ethnicity, ethnic_group, pre_score, "
      "post_score, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
      "$16, $17)",
      {a.id, p.id, place.path, place.commune_code, Opt(place.village_code), Opt(place.point_code), day,
       day / 100, a.type, p.sex, p.birth_year, std::string(AgeGroupFor(p.birth_year, day / 10000)),
       p.ethnicity, std::string(p.ethnicity == "kinh" ? "kinh" : "minority"), Opt(pre), Opt(post),
       NowMillis()}));
  return MarkChanged(c, a.id);
}

Result<std::vector<Participation>> ListParticipations(Connection& c, const std::string& activity_id) {
  KHIEN_ASSIGN_OR_RETURN(
      Rows rows,
      c.Query("SELECT r.id, r.commune_code, r.name, r.sex, r.birth_year, r.ethnicity, r.disability, "
              "r.village, r.phone, (SELECT COUNT(*) FROM reach_participations q WHERE q.person_id = r.id), "
              "p.pre_score, p.post_score FROM reach_participations p JOIN reach_people r ON r.id = p.person_id "
              "WHERE p.activity_id = $1 ORDER BY p.created_at, r.id",
              {activity_id}));
  std::vector<Participation> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back({PersonFrom(rows[i]), OptReal(rows[i], 10), OptReal(rows[i], 11)});
  }
  return out;
}

Result<void> DeleteParticipation(Connection& c, const std::string& activity_id, const std::string& person_id) {
  KHIEN_ASSIGN_OR_RETURN(int64_t n, c.Execute("DELETE FROM reach_participations WHERE activity_id = $1 AND person_id = $2",
                                              {activity_id, person_id}));
  if (n == 0) return Error::NotFound("Không tìm thấy người tham gia.", "Participant not found.");
  return MarkChanged(c, activity_id);
}

Result<void> ReplaceTally(Connection& c, const Activity& a, const Place& place,
                          const std::vector<TallyCell>& cells) {
  KHIEN_RETURN_IF_ERROR(c.Execute("DELETE FROM reach_tallies WHERE activity_id = $1", {a.id}));
  const int64_t day = DayOf(a.date);
  for (const TallyCell& t : cells) {
    if (t.count == 0) continue;
    KHIEN_RETURN_IF_ERROR(c.Execute(
        "INSERT INTO reach_tallies (activity_id, sex, age_group, ethnic_group, count, org_path, "
        "commune_code, village_code, point_code, day, month, type) VALUES "
        "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        {a.id, t.sex, t.age_group, t.ethnic_group, t.count, place.path, place.commune_code,
         Opt(place.village_code), Opt(place.point_code), day, day / 100, a.type}));
  }
  return MarkChanged(c, a.id);
}

Result<std::vector<TallyCell>> ListTally(Connection& c, const std::string& activity_id) {
  KHIEN_ASSIGN_OR_RETURN(Rows rows, c.Query("SELECT sex, age_group, ethnic_group, count FROM reach_tallies "
                                            "WHERE activity_id = $1 ORDER BY sex, age_group, ethnic_group",
                                            {activity_id}));
  std::vector<TallyCell> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back({rows[i].Text(0), rows[i].Text(1), rows[i].Text(2), rows[i].Int(3)});
  }
  return out;
}

Result<void> UpsertTarget(Connection& c, const Target& t) {
  KHIEN_RETURN_IF_ERROR(c.Execute(
      "INSERT INTO reach_targets (org_code, year, indicator, value, updated_at) VALUES ($1, $2, $3, $4, $5) "
      "ON CONFLICT (org_code, year, indicator) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
      {t.org_code, t.year, t.indicator, t.value, NowMillis()}));
  return {};
}

Result<std::vector<Target>> ListTargets(Connection& c, const std::string& org_code, int64_t from_year,
                                        int64_t to_year) {
  KHIEN_ASSIGN_OR_RETURN(Rows rows, c.Query("SELECT org_code, year, indicator, value FROM reach_targets "
                                            "WHERE org_code = $1 AND year >= $2 AND year <= $3 "
                                            "ORDER BY year, indicator",
                                            {org_code, from_year, to_year}));
  std::vector<Target> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back({rows[i].Text(0), rows[i].Int(1), rows[i].Text(2), rows[i].Int(3)});
  }
  return out;
}

Result<std::vector<IndicatorRow>> AggregateFacts(Connection& c, const FactFilter& filter,
                                                 const std::vector<std::string>& dims) {
  Params params;
  const std::string named_where = FactWhere("reach_participations", filter, params);
  const std::string tally_where = FactWhere("reach_tallies", filter, params);
  const bool by_topic = std::find(dims.begin(), dims.end(), "topic") != dims.end();
  std::string select = "SELECT ";
  for (const std::string& d : dims) select += DimExpr(d) + ", ";
  select +=
      "CAST(SUM(f.n) AS BIGINT), CAST(SUM(f.named) AS BIGINT), COUNT(DISTINCT f.person_id), "
      "CAST(SUM(CASE WHEN f.sex = 'female' THEN f.n ELSE 0 END) AS BIGINT), "
      "CAST(SUM(CASE WHEN f.sex = 'female' AND f.ethnic_group = 'minority' THEN f.n ELSE 0 END) AS BIGINT), "
      "CAST(SUM(CASE WHEN f.age_group = 'under_16' THEN f.n ELSE 0 END) AS BIGINT), "
      "CAST(SUM(CASE WHEN f.age_group IN ('under_16', '16_17') THEN f.n ELSE 0 END) AS BIGINT), "
      "SUM(f.gain), COUNT(f.gain), COUNT(DISTINCT f.activity_id) FROM ("
      "SELECT reach_participations.activity_id, person_id, commune_code, village_code, point_code, month, "
      "type, sex, age_group, ethnicity, ethnic_group, 1 AS n, 1 AS named, post_score - pre_score AS gain "
      "FROM reach_participations" + named_where +
      " UNION ALL SELECT reach_tallies.activity_id, NULL, commune_code, village_code, point_code, month, "
      "type, sex, age_group, '', ethnic_group, count, 0, NULL FROM reach_tallies" + tally_where + ") f";
  if (by_topic) select += " JOIN reach_activity_topics t ON t.activity_id = f.activity_id";
  if (!dims.empty()) {
    std::string ordinals;
    for (size_t i = 1; i <= dims.size(); ++i) ordinals += (i > 1 ? ", " : "") + std::to_string(i);
    select += " GROUP BY " + ordinals + " ORDER BY " + ordinals;
  }
  KHIEN_ASSIGN_OR_RETURN(Rows rows, c.Query(select, params));
  std::vector<IndicatorRow> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row r = rows[i];
    IndicatorRow row;
    size_t k = 0;
    for (const std::string& d : dims) row.keys[d] = DimValue(d, r, k++);
    row.participations = r.Int(k);
    row.named_participations = r.Int(k + 1);
    row.tallied_participations = row.participations - row.named_participations;
    row.unique_people = r.Int(k + 2);
    row.women = r.Int(k + 3);
    row.minority_women = r.Int(k + 4);
    row.children_under_16 = r.Int(k + 5);
    row.children_under_18 = r.Int(k + 6);
    row.knowledge_checked = r.Int(k + 8);
    if (row.knowledge_checked > 0) row.knowledge_gain = r.Real(k + 7) / static_cast<double>(row.knowledge_checked);
    row.sessions = r.Int(k + 9);
    if (dims.empty() && row.participations == 0 && row.sessions == 0) continue;  // SUM over nothing
    out.push_back(std::move(row));
  }
  return out;
}

Result<std::vector<IndicatorRow>> AggregateSessions(Connection& c, const FactFilter& filter,
                                                    const std::vector<std::string>& dims) {
  std::string sql = "SELECT ";
  for (const std::string& d : dims) {
    if (IsPersonDim(d)) return Error::Internal("person dimension in AggregateSessions");
    sql += DimExpr(d) + ", ";
  }
  Params params = {filter.range.lo, filter.range.hi, filter.from_day, filter.to_day};
  sql += "COUNT(*) FROM reach_activities f";
  if (std::find(dims.begin(), dims.end(), "topic") != dims.end()) {
    sql += " JOIN reach_activity_topics t ON t.activity_id = f.id";
  }
  sql += " WHERE f.status = 'held' AND f.org_path >= $1 AND f.org_path < $2 AND f.day >= $3 AND f.day <= $4";
  if (filter.type) {
    params.push_back(*filter.type);
    sql += " AND f.type = $" + std::to_string(params.size());
  }
  if (filter.topic) {
    params.push_back(*filter.topic);
    sql += " AND EXISTS (SELECT 1 FROM reach_activity_topics x WHERE x.activity_id = f.id AND x.topic = $" +
           std::to_string(params.size()) + ")";
  }
  if (!dims.empty()) {
    std::string ordinals;
    for (size_t i = 1; i <= dims.size(); ++i) ordinals += (i > 1 ? ", " : "") + std::to_string(i);
    sql += " GROUP BY " + ordinals + " ORDER BY " + ordinals;
  }
  KHIEN_ASSIGN_OR_RETURN(Rows rows, c.Query(sql, params));
  std::vector<IndicatorRow> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    IndicatorRow row;
    size_t k = 0;
    for (const std::string& d : dims) row.keys[d] = DimValue(d, rows[i], k++);
    row.sessions = rows[i].Int(k);
    out.push_back(std::move(row));
  }
  return out;
}

Result<std::vector<RegisterEntry>> LoadRegister(Connection& c, const std::string& commune_code) {
  KHIEN_ASSIGN_OR_RETURN(
      Rows rows, c.Query("SELECT id, commune_code, name, sex, birth_year, ethnicity, disability, village, phone, 0, "
                         "name_fold, village_fold FROM reach_people WHERE commune_code = $1 ORDER BY id",
                         {commune_code}));
  std::vector<RegisterEntry> out;
  out.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) out.push_back({PersonFrom(rows[i]), rows[i].Text(10), rows[i].Text(11)});
  return out;
}

Result<std::vector<std::string>> AttendeeIds(Connection& c, const std::string& activity_id) {
  KHIEN_ASSIGN_OR_RETURN(Rows rows, c.Query("SELECT person_id FROM reach_participations WHERE activity_id = $1",
                                            {activity_id}));
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) out.push_back(rows[i].Text(0));
  return out;
}

Result<void> InsertPeople(Connection& c, const std::vector<Person>& people) {
  std::vector<std::vector<Value>> rows;
  rows.reserve(people.size());
  const int64_t now = NowMillis();
  for (const Person& p : people) {
    rows.push_back({p.id, p.commune_code, p.name, text::Fold(p.name), p.sex, p.birth_year, p.ethnicity,
                    int64_t{p.disability ? 1 : 0}, p.village, text::Fold(p.village), Opt(p.phone), now});
  }
  return c.BulkInsert("reach_people",
                      {"id", "commune_code", "name", "name_fold", "sex", "birth_year", "ethnicity", "disability",
                       "village", "village_fold", "phone", "created_at"},
                      rows);
}

Result<void> InsertParticipations(Connection& c, const Activity& a, const Place& place,
                                  const std::vector<NewFact>& facts) {
  const int64_t day = DayOf(a.date);
  const int64_t now = NowMillis();
  std::vector<std::vector<Value>> rows;
  rows.reserve(facts.size());
  for (const NewFact& f : facts) {
    const Person& p = f.person;
    rows.push_back({a.id, p.id, place.path, place.commune_code, Opt(place.village_code), Opt(place.point_code), day,
                    day / 100, a.type, p.sex, p.birth_year, std::string(AgeGroupFor(p.birth_year, day / 10000)),
                    p.ethnicity, std::string(p.ethnicity == "kinh" ? "kinh" : "minority"), Opt(f.pre), Opt(f.post),
                    now});
  }
  KHIEN_RETURN_IF_ERROR(c.BulkInsert("reach_participations",
                                     {"activity_id", "person_id", "org_path", "commune_code", "village_code",
                                      "point_code", "day", "month", "type", "sex", "birth_year", "age_group",
                                      "ethnicity", "ethnic_group", "pre_score", "post_score", "created_at"},
                                     rows));
  return MarkChanged(c, a.id);
}

Result<void> MarkChanged(Connection& c, const std::string& activity_id) {
  KHIEN_ASSIGN_OR_RETURN(
      Rows rows, c.Query("UPDATE reach_fact_version SET version = version + 1 WHERE id = 1 RETURNING version"));
  if (rows.empty()) return Error::Internal("reach_fact_version has no row");
  KHIEN_RETURN_IF_ERROR(c.Execute(
      "INSERT INTO reach_fact_changes (version, activity_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
      {rows[0].Int(0), activity_id}));
  return {};
}

Result<int64_t> FactVersion(Connection& c) {
  KHIEN_ASSIGN_OR_RETURN(Rows rows, c.Query("SELECT version FROM reach_fact_version WHERE id = 1"));
  if (rows.empty()) return Error::Internal("reach_fact_version has no row");
  return rows[0].Int(0);
}

Result<std::vector<std::string>> ChangedActivities(Connection& c, int64_t after, int64_t upto) {
  KHIEN_ASSIGN_OR_RETURN(Rows rows, c.Query("SELECT DISTINCT activity_id FROM reach_fact_changes "
                                            "WHERE version > $1 AND version <= $2",
                                            {after, upto}));
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) out.push_back(rows[i].Text(0));
  return out;
}

Result<std::vector<ActivityFact>> LoadActivityFacts(Connection& c, const std::optional<std::string>& only) {
  std::string sql =
      "SELECT id, org_code, org_path, commune_code, COALESCE(village_code, ''), COALESCE(point_code, ''), "
      "day, type, topics, status FROM reach_activities";
  Params params;
  if (only) {
    sql += " WHERE id = $1";
    params.push_back(*only);
  }
  sql += " ORDER BY id";
  KHIEN_ASSIGN_OR_RETURN(Rows rows, c.Query(sql, params));
  std::vector<ActivityFact> out;
  out.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row r = rows[i];
    out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Int(6), r.Text(7),
                   r.Text(8), r.Text(9) == "held"});
  }
  return out;
}

Result<std::vector<NamedFact>> LoadNamedFacts(Connection& c, const std::optional<std::string>& only,
                                              const std::pair<std::string, std::string>& after, int64_t limit) {
  std::string sql =
      "SELECT activity_id, person_id, sex, age_group, ethnicity, ethnic_group, pre_score, post_score "
      "FROM reach_participations WHERE (activity_id, person_id) > ($1, $2)";
  Params params = {after.first, after.second};
  if (only) {
    sql += " AND activity_id = $3";
    params.push_back(*only);
  }
  params.push_back(limit);
  sql += " ORDER BY activity_id, person_id LIMIT $" + std::to_string(params.size());
  KHIEN_ASSIGN_OR_RETURN(Rows rows, c.Query(sql, params));
  std::vector<NamedFact> out;
  out.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row r = rows[i];
    out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), OptReal(r, 6), OptReal(r, 7)});
  }
  return out;
}

Result<std::vector<TallyFact>> LoadTallyFacts(Connection& c, const std::optional<std::string>& only) {
  std::string sql = "SELECT activity_id, sex, age_group, ethnic_group, count FROM reach_tallies";
  Params params;
  if (only) {
    sql += " WHERE activity_id = $1";
    params.push_back(*only);
  }
  sql += " ORDER BY activity_id, sex, age_group, ethnic_group";
  KHIEN_ASSIGN_OR_RETURN(Rows rows, c.Query(sql, params));
  std::vector<TallyFact> out;
  out.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row r = rows[i];
    out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4)});
  }
  return out;
}

}  // namespace khien::reach::repository
