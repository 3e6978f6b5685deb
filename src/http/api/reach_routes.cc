// Reach routes: activities, participants, tallies, targets, indicators, spreadsheets.
#include "base/json.h"
#include "http/api/common.h"
#include "http/api/handlers.h"
#include "reach/ethnicity.h"
#include "reach/indicators.h"
#include "reach/service.h"
#include "reach/spreadsheet.h"

namespace khien::http::api {
namespace {

namespace bj = boost::json;

Result<std::optional<double>> OptionalNumber(const bj::object& body, std::string_view field) {
  const bj::value* v = body.if_contains(field);
  if (!v || v->is_null()) return std::optional<double>();
  if (v->is_int64()) return std::optional<double>(static_cast<double>(v->as_int64()));
  if (v->is_uint64()) return std::optional<double>(static_cast<double>(v->as_uint64()));
  if (v->is_double()) return std::optional<double>(v->as_double());
  return Error::InvalidInput(std::string(field), "Trường '" + std::string(field) + "' phải là số.",
                             "Field '" + std::string(field) + "' must be a number.");
}

bj::value OptNum(const std::optional<double>& v) { return v ? bj::value(*v) : bj::value(nullptr); }

bj::object TallyJson(const reach::TallyCell& t) {
  return {{"sex", t.sex}, {"age_group", t.age_group}, {"ethnic_group", t.ethnic_group}, {"count", t.count}};
}

bj::object ActivityJson(const reach::Activity& a) {
  bj::array topics;
  for (const std::string& t : a.topics) topics.push_back(bj::value(t));
  return {{"id", a.id},
          {"org_unit", a.org_code},
          {"org_name", a.org_name},
          {"commune", a.commune_code},
          {"type", a.type},
          {"title", a.title},
          {"topics", std::move(topics)},
          {"date", a.date},
          {"start_time", a.start_time ? bj::value(*a.start_time) : bj::value(nullptr)},
          {"status", a.status},
          {"facilitators", a.facilitators},
          {"partners", a.partners},
          {"notes", a.notes},
          {"knowledge_pre_avg", OptNum(a.knowledge_pre_avg)},
          {"knowledge_post_avg", OptNum(a.knowledge_post_avg)},
          {"named_participants", a.named_count},
          {"tallied_participants", a.tally_total},
          {"participations", a.named_count + a.tally_total},
          {"created_at", a.created_at},
          {"updated_at", a.updated_at}};
}

bj::object DetailJson(const reach::ActivityDetail& d) {
  bj::object o = ActivityJson(d.activity);
  bj::array cells;
  for (const reach::TallyCell& t : d.tally) cells.push_back(TallyJson(t));
  o["tally"] = std::move(cells);
  return o;
}

bj::object PersonJson(const reach::Person& p) {
  const auto e = reach::FindEthnicity(p.ethnicity);
  return {{"id", p.id},
          {"name", p.name},
          {"sex", p.sex},
          {"birth_year", p.birth_year},
          {"ethnicity", p.ethnicity},
          {"ethnicity_code", e ? std::string(e->code) : std::string()},
          {"disability", p.disability},
          {"village", p.village},
          {"phone", p.phone ? bj::value(*p.phone) : bj::value(nullptr)},
          {"participations", p.participations}};
}

bj::object RowJson(const reach::IndicatorRow& r) {
  bj::object keys;
  for (const auto& [k, v] : r.keys) keys[k] = v;
  return {{"keys", std::move(keys)},
          {"sessions", r.sessions},
          {"participations", r.participations},
          {"named_participations", r.named_participations},
          {"tallied_participations", r.tallied_participations},
          {"unique_people", r.unique_people},
          {"women", r.women},
          {"minority_women", r.minority_women},
          {"children_under_16", r.children_under_16},
          {"children_under_18", r.children_under_18},
          {"knowledge_gain", OptNum(r.knowledge_gain)},
          {"knowledge_checked", r.knowledge_checked}};
}

bj::object TableJson(const reach::IndicatorTable& t) {
  bj::array by, rows, targets;
  for (const std::string& d : t.by) by.push_back(bj::value(d));
  for (const reach::IndicatorRow& r : t.rows) rows.push_back(RowJson(r));
  for (const reach::TargetProgress& p : t.targets) {
    targets.push_back(bj::object{{"indicator", p.indicator}, {"year", p.year}, {"target", p.target},
                                 {"actual", p.actual},
                                 {"progress", p.target > 0 ? bj::value(static_cast<double>(p.actual) / static_cast<double>(p.target))
                                                           : bj::value(nullptr)}});
  }
  bj::object names;
  for (const auto& [k, v] : t.place_names) names[k] = v;
  return {{"org_unit", t.org_code}, {"org_name", t.org_name}, {"from", t.from}, {"to", t.to},
          {"by", std::move(by)},    {"rows", std::move(rows)}, {"total", RowJson(t.total)},
          {"targets", std::move(targets)}, {"place_names", std::move(names)}};
}

Result<reach::IndicatorQuery> IndicatorQueryFrom(const ApiRequest& req) {
  reach::IndicatorQuery q;
  q.org_code = req.Query("org");
  q.from = req.Query("from").value_or("");
  q.to = req.Query("to").value_or("");
  for (auto [it, end] = req.query.equal_range("by"); it != end; ++it) {
    for (std::string& d : reach::SplitList(it->second)) q.by.push_back(std::move(d));
  }
  q.topic = req.Query("topic");
  q.type = req.Query("type");
  return q;
}

Result<reach::ActivityFilter> ActivityFilterFrom(const ApiRequest& req) {
  reach::ActivityFilter f;
  f.org_code = req.Query("org");
  f.from = req.Query("from");
  f.to = req.Query("to");
  f.type = req.Query("type");
  f.topic = req.Query("topic");
  f.status = req.Query("status");
  KHIEN_ASSIGN_OR_RETURN(auto limit, QueryInt(req, "limit", 1, 500));
  KHIEN_ASSIGN_OR_RETURN(auto offset, QueryInt(req, "offset", 0, 1'000'000'000));
  f.limit = static_cast<int>(limit.value_or(50));
  f.offset = static_cast<int>(offset.value_or(0));
  return f;
}

Result<bool> QueryBool(const ApiRequest& req, std::string_view name) {
  auto v = req.Query(name);
  if (!v || *v == "false" || *v == "0") return false;
  if (*v == "true" || *v == "1") return true;
  return Error::InvalidInput(std::string(name), "Tham số '" + std::string(name) + "' phải là true hoặc false.",
                             "Parameter '" + std::string(name) + "' must be true or false.");
}

Result<std::vector<reach::Sheet>> ExportSheets(reach::ReachService& reach, const ApiRequest& req,
                                               const access::Principal& who) {
  const std::string kind = req.Query("kind").value_or("indicators");
  if (kind == "activities") {
    KHIEN_ASSIGN_OR_RETURN(reach::ActivityFilter f, ActivityFilterFrom(req));
    if (!req.Query("limit")) f.limit = 500;
    KHIEN_ASSIGN_OR_RETURN(auto items, reach.ListActivities(who, f));
    return std::vector<reach::Sheet>{reach::ActivitySheet(items)};
  }
  if (kind != "indicators") {
    return Error::InvalidInput("kind", "kind phải là indicators hoặc activities.", "kind must be indicators or activities.");
  }
  KHIEN_ASSIGN_OR_RETURN(reach::IndicatorQuery q, IndicatorQueryFrom(req));
  KHIEN_ASSIGN_OR_RETURN(reach::IndicatorTable table, reach.Indicators(who, q));
  return std::vector<reach::Sheet>{reach::IndicatorSheet(table)};
}

Result<reach::ActivityPatch> PatchFrom(const bj::object& body) {
  KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(
      body, {"org_unit", "type", "title", "topics", "date", "start_time", "status", "facilitators", "partners",
             "notes", "knowledge_pre_avg", "knowledge_post_avg"}));
  reach::ActivityPatch p;
  KHIEN_ASSIGN_OR_RETURN(p.org_code, json::OptionalString(body, "org_unit", 40));
  KHIEN_ASSIGN_OR_RETURN(p.type, json::OptionalString(body, "type", 40));
  KHIEN_ASSIGN_OR_RETURN(p.title, json::OptionalString(body, "title", 200));
  if (body.contains("topics")) {
    KHIEN_ASSIGN_OR_RETURN(auto topics, json::StringArray(body, "topics", 20, 40));
    p.topics = std::move(topics);
  }
  KHIEN_ASSIGN_OR_RETURN(p.date, json::OptionalString(body, "date", 10));
  KHIEN_ASSIGN_OR_RETURN(p.start_time, json::OptionalString(body, "start_time", 5));
  KHIEN_ASSIGN_OR_RETURN(p.status, json::OptionalString(body, "status", 20));
  KHIEN_ASSIGN_OR_RETURN(p.facilitators, json::OptionalString(body, "facilitators", 500));
  KHIEN_ASSIGN_OR_RETURN(p.partners, json::OptionalString(body, "partners", 500));
  KHIEN_ASSIGN_OR_RETURN(p.notes, json::OptionalString(body, "notes", 4000));
  KHIEN_ASSIGN_OR_RETURN(p.knowledge_pre_avg, OptionalNumber(body, "knowledge_pre_avg"));
  KHIEN_ASSIGN_OR_RETURN(p.knowledge_post_avg, OptionalNumber(body, "knowledge_post_avg"));
  return p;
}

}  // namespace

void AddReachRoutes(Router& router, Services& s) {
  // Load the indicator cache while the server starts, not on the first dashboard request.
  s.reach.WarmIndicatorCacheInBackground();
  router.Add("POST", "/api/v1/activities",
             SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
               KHIEN_ASSIGN_OR_RETURN(bj::object body, ParseJsonObject(req));
               KHIEN_ASSIGN_OR_RETURN(reach::ActivityPatch p, PatchFrom(body));
               reach::NewActivity in;
               KHIEN_ASSIGN_OR_RETURN(in.org_code, json::RequiredString(body, "org_unit", 40));
               KHIEN_ASSIGN_OR_RETURN(in.type, json::RequiredString(body, "type", 40));
               KHIEN_ASSIGN_OR_RETURN(in.title, json::RequiredString(body, "title", 200));
               KHIEN_ASSIGN_OR_RETURN(in.date, json::RequiredString(body, "date", 10));
               in.topics = p.topics.value_or(std::vector<std::string>{});
               in.start_time = p.start_time && !p.start_time->empty() ? p.start_time : std::nullopt;
               in.status = p.status.value_or("held");
               in.facilitators = p.facilitators.value_or("");
               in.partners = p.partners.value_or("");
               in.notes = p.notes.value_or("");
               in.knowledge_pre_avg = p.knowledge_pre_avg;
               in.knowledge_post_avg = p.knowledge_post_avg;
               KHIEN_ASSIGN_OR_RETURN(auto detail, s.reach.CreateActivity(who.principal, std::move(in)));
               return Json(DetailJson(detail), 201);
             }), {64 * 1024});

  router.Add("GET", "/api/v1/activities",
             SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
               KHIEN_ASSIGN_OR_RETURN(reach::ActivityFilter f, ActivityFilterFrom(req));
               KHIEN_ASSIGN_OR_RETURN(auto items, s.reach.ListActivities(who.principal, f));
               bj::array out;
               for (const reach::Activity& a : items) out.push_back(ActivityJson(a));
               return Json(bj::object{{"items", std::move(out)}});
             }));

  router.Add("GET", "/api/v1/activities/{id}",
             SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
               KHIEN_ASSIGN_OR_RETURN(auto detail, s.reach.GetActivity(who.principal, req.path_params.at("id")));
               return Json(DetailJson(detail));
             }));

  router.Add("PATCH", "/api/v1/activities/{id}",
             SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
               KHIEN_ASSIGN_OR_RETURN(bj::object body, ParseJsonObject(req));
               KHIEN_ASSIGN_OR_RETURN(reach::ActivityPatch p, PatchFrom(body));
               KHIEN_ASSIGN_OR_RETURN(auto detail, s.reach.UpdateActivity(who.principal, req.path_params.at("id"), std::move(p)));
               return Json(DetailJson(detail));
             }), {64 * 1024});

  router.Add("DELETE", "/api/v1/activities/{id}",
             SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
               KHIEN_RETURN_IF_ERROR(s.reach.DeleteActivity(who.principal, req.path_params.at("id")));
               return NoContent();
             }));

  router.Add("GET", "/api/v1/activities/{id}/participants",
             SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
               KHIEN_ASSIGN_OR_RETURN(auto items, s.reach.ListParticipants(who.principal, req.path_params.at("id")));
               bj::array out;
               for (const reach::Participation& p : items) {
                 bj::object o = PersonJson(p.person);
                 o["pre_score"] = OptNum(p.pre_score);
                 o["post_score"] = OptNum(p.post_score);
                 out.push_back(std::move(o));
               }
               return Json(bj::object{{"items", std::move(out)}});
             }));

  router.Add("POST", "/api/v1/activities/{id}/participants",
             SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
               KHIEN_ASSIGN_OR_RETURN(bj::object body, ParseJsonObject(req));
               KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(
                   body, {"person_id", "name", "sex", "birth_year", "ethnicity", "disability", "village", "phone",
                          "pre_score", "post_score", "force_new"}));
               reach::NewParticipant in;
               KHIEN_ASSIGN_OR_RETURN(in.person_id, json::OptionalString(body, "person_id", 40));
               if (!in.person_id) {
                 KHIEN_ASSIGN_OR_RETURN(in.name, json::RequiredString(body, "name", 100));
                 KHIEN_ASSIGN_OR_RETURN(auto sex, json::OptionalString(body, "sex", 10));
                 in.sex = sex.value_or("");
                 KHIEN_ASSIGN_OR_RETURN(in.birth_year, json::RequiredInt(body, "birth_year", 1900, 2100));
                 KHIEN_ASSIGN_OR_RETURN(in.ethnicity, json::RequiredString(body, "ethnicity", 40));
                 KHIEN_ASSIGN_OR_RETURN(in.disability, json::OptionalBool(body, "disability", false));
                 KHIEN_ASSIGN_OR_RETURN(auto village, json::OptionalString(body, "village", 100));
                 in.village = village.value_or("");
                 KHIEN_ASSIGN_OR_RETURN(in.phone, json::OptionalString(body, "phone", 20));
               }
               KHIEN_ASSIGN_OR_RETURN(in.pre_score, OptionalNumber(body, "pre_score"));
               KHIEN_ASSIGN_OR_RETURN(in.post_score, OptionalNumber(body, "post_score"));
               KHIEN_ASSIGN_OR_RETURN(in.force_new, json::OptionalBool(body, "force_new", false));
               KHIEN_ASSIGN_OR_RETURN(auto outcome,
                                      s.reach.AddParticipant(who.principal, req.path_params.at("id"), std::move(in)));
               bj::array suggestions;
               for (const reach::Person& p : outcome.suggestions) suggestions.push_back(PersonJson(p));
               return Json(bj::object{{"person", PersonJson(outcome.person)},
                                      {"recognised", outcome.recognised},
                                      {"suggestions", std::move(suggestions)}},
                           201);
             }), {16 * 1024});

  router.Add("DELETE", "/api/v1/activities/{id}/participants/{person_id}",
             SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
               KHIEN_RETURN_IF_ERROR(s.reach.RemoveParticipant(who.principal, req.path_params.at("id"),
                                                               req.path_params.at("person_id")));
               return NoContent();
             }));

  router.Add("PUT", "/api/v1/activities/{id}/tally",
             SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
               KHIEN_ASSIGN_OR_RETURN(bj::object body, ParseJsonObject(req));
               KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(body, {"cells"}));
               const bj::value* cells = body.if_contains("cells");
               if (!cells || !cells->is_array() || cells->as_array().size() > 100) {
                 return Error::InvalidInput("cells", "Trường 'cells' phải là một danh sách (tối đa 100 ô).",
                                            "Field 'cells' must be a list (at most 100 cells).");
               }
               std::vector<reach::TallyCell> in;
               for (const bj::value& v : cells->as_array()) {
                 if (!v.is_object()) {
                   return Error::InvalidInput("cells", "Mỗi ô phải là một đối tượng.", "Each cell must be an object.");
                 }
                 const bj::object& o = v.as_object();
                 KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(o, {"sex", "age_group", "ethnic_group", "count"}));
                 reach::TallyCell t;
                 KHIEN_ASSIGN_OR_RETURN(t.sex, json::RequiredString(o, "sex", 10));
                 KHIEN_ASSIGN_OR_RETURN(t.age_group, json::RequiredString(o, "age_group", 20));
                 KHIEN_ASSIGN_OR_RETURN(t.ethnic_group, json::RequiredString(o, "ethnic_group", 20));
                 KHIEN_ASSIGN_OR_RETURN(t.count, json::RequiredInt(o, "count", INT64_MIN / 2, INT64_MAX / 2));
                 in.push_back(std::move(t));
               }
               KHIEN_ASSIGN_OR_RETURN(auto stored, s.reach.SetTally(who.principal, req.path_params.at("id"), std::move(in)));
               bj::array out;
               int64_t total = 0;
               for (const reach::TallyCell& t : stored) {
                 out.push_back(TallyJson(t));
                 total += t.count;
               }
               return Json(bj::object{{"cells", std::move(out)}, {"total", total}});
             }), {32 * 1024});

  router.Add("GET", "/api/v1/reach/indicators",
             SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
               KHIEN_ASSIGN_OR_RETURN(reach::IndicatorQuery q, IndicatorQueryFrom(req));
               // engine=sql: the plain GROUP BY baseline (benchmarks compare it with the cache in
               // the same run); admins only, since it is slow on a large province.
               auto engine = reach::IndicatorEngine::kCache;
               if (auto e = req.Query("engine"); e && *e != "cache") {
                 if (*e != "sql") {
                   return Error::InvalidInput("engine", "engine phải là cache hoặc sql.", "engine must be cache or sql.");
                 }
                 if (who.principal.role != access::Role::kAdmin) return Error::Forbidden();
                 engine = reach::IndicatorEngine::kSql;
               }
               KHIEN_ASSIGN_OR_RETURN(reach::IndicatorTable t, s.reach.Indicators(who.principal, q, engine));
               return Json(TableJson(t));
             }));

  router.Add("GET", "/api/v1/reach/targets",
             SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
               KHIEN_ASSIGN_OR_RETURN(auto year, QueryInt(req, "year", 2021, 2100));
               KHIEN_ASSIGN_OR_RETURN(auto items, s.reach.ListTargets(who.principal, req.Query("org").value_or(""), year.value_or(0)));
               bj::array out;
               for (const reach::Target& t : items) {
                 out.push_back(bj::object{{"org_unit", t.org_code}, {"year", t.year}, {"indicator", t.indicator}, {"value", t.value}});
               }
               return Json(bj::object{{"items", std::move(out)}});
             }));

  router.Add("PUT", "/api/v1/reach/targets",
             SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
               KHIEN_ASSIGN_OR_RETURN(bj::object body, ParseJsonObject(req));
               KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(body, {"org_unit", "year", "indicator", "value"}));
               reach::Target t;
               KHIEN_ASSIGN_OR_RETURN(t.org_code, json::RequiredString(body, "org_unit", 40));
               KHIEN_ASSIGN_OR_RETURN(t.year, json::RequiredInt(body, "year", 2021, 2100));
               KHIEN_ASSIGN_OR_RETURN(t.indicator, json::RequiredString(body, "indicator", 40));
               KHIEN_ASSIGN_OR_RETURN(t.value, json::RequiredInt(body, "value", -1'000'000'000, 1'000'000'000));
               KHIEN_ASSIGN_OR_RETURN(t, s.reach.SetTarget(who.principal, std::move(t)));
               return Json(bj::object{{"org_unit", t.org_code}, {"year", t.year}, {"indicator", t.indicator}, {"value", t.value}});
             }), {4 * 1024});

  router.Add("GET", "/api/v1/reach/ethnicities", Public([](const ApiRequest&) -> Result<ApiResponse> {
               bj::array out;
               for (const reach::Ethnicity& e : reach::AllEthnicities()) {
                 out.push_back(bj::object{{"slug", e.slug}, {"name", e.name_vi}, {"code", e.code},
                                          {"group", reach::EthnicGroupOf(e.slug)}});
               }
               return Json(bj::object{{"items", std::move(out)}});
             }));

  router.Add("GET", "/api/v1/reach/export.xlsx",
             SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
               KHIEN_ASSIGN_OR_RETURN(auto sheets, ExportSheets(s.reach, req, who.principal));
               KHIEN_ASSIGN_OR_RETURN(std::string bytes, reach::WriteXlsx(sheets));
               ApiResponse r;
               r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
               r.body = std::move(bytes);
               r.headers.push_back({"Content-Disposition", "attachment; filename=\"khien-reach.xlsx\""});
               return r;
             }));

  router.Add("GET", "/api/v1/reach/export.csv",
             SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
               KHIEN_ASSIGN_OR_RETURN(auto sheets, ExportSheets(s.reach, req, who.principal));
               ApiResponse r;
               r.content_type = "text/csv; charset=utf-8";
               r.body = reach::WriteCsv(sheets.front());
               r.headers.push_back({"Content-Disposition", "attachment; filename=\"khien-reach.csv\""});
               return r;
             }));

  router.Add("POST", "/api/v1/reach/import",
             SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
               auto activity = req.Query("activity");
               if (!activity) {
                 return Error::InvalidInput("activity", "Thiếu tham số 'activity' (mã hoạt động).",
                                            "The 'activity' parameter (activity id) is required.");
               }
               KHIEN_ASSIGN_OR_RETURN(bool commit, QueryBool(req, "commit"));
               KHIEN_ASSIGN_OR_RETURN(bool valid_only, QueryBool(req, "valid_only"));
               KHIEN_ASSIGN_OR_RETURN(auto rows, reach::ParseAttendance(req.body));
               KHIEN_ASSIGN_OR_RETURN(auto outcome,
                                      s.reach.ImportParticipants(who.principal, *activity, rows, commit, valid_only));
               bj::array errors, preview;
               for (const auto& e : outcome.errors) {
                 errors.push_back(bj::object{{"line", e.line}, {"field", e.field},
                                             {"message", req.lang == "en" ? e.message_en : e.message_vi},
                                             {"message_vi", e.message_vi}, {"message_en", e.message_en}});
               }
               for (const reach::NewParticipant& p : outcome.preview) {
                 preview.push_back(bj::object{{"name", p.name}, {"sex", p.sex}, {"birth_year", p.birth_year},
                                              {"ethnicity", p.ethnicity}, {"village", p.village}});
               }
               return Json(bj::object{{"rows", outcome.rows}, {"valid", outcome.valid},
                                      {"written", outcome.written}, {"recognised", outcome.recognised},
                                      {"committed", outcome.committed}, {"errors", std::move(errors)},
                                      {"preview", std::move(preview)}});
             }), {32 * 1024 * 1024});
}

}  // namespace khien::http::api
