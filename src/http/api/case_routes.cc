// Case routes: public reports, case records, incidents, consent, referrals, access log,
// statistics. Thin handlers: every permission decision is in cases::CaseService.
// Survivor identity appears only in the body of a case the caller may see, never in a URL.
#include "base/json.h"
#include "cases/casework.h"
#include "cases/gbvims.h"
#include "cases/stats.h"
#include "http/api/common.h"
#include "http/api/handlers.h"

namespace khien::http::api {
namespace {

namespace bj = boost::json;
using cases::CaseView;

bj::value Opt(const std::optional<std::string>& v) { return v ? bj::value(*v) : bj::value(nullptr); }
bj::value Opt(const std::optional<int64_t>& v) { return v ? bj::value(*v) : bj::value(nullptr); }

bj::array Strings(const std::vector<std::string>& items) {
  bj::array out;
  for (const auto& s : items) out.push_back(bj::value(s));
  return out;
}

bj::object ReferralJson(const cases::Referral& r) {
  return {{"id", r.id},           {"case_id", r.case_id},         {"provider", r.provider},
          {"service", r.service}, {"status", r.status},           {"share_identity", r.share_identity},
          {"consent_overridden", r.consent_overridden}, {"created_at", r.created_at}, {"updated_at", r.updated_at}};
}

bj::object IncidentJson(const cases::Incident& i) {
  return {{"id", i.id},
          {"occurred_on", i.occurred_on},
          {"place_type", Opt(i.place_type)},
          {"core_type", i.core_type},
          {"context_flags", Strings(i.context_flags)},
          {"dv_acts", Strings(i.dv_acts)},
          {"perpetrator", bj::object{{"relationship", Opt(i.perpetrator_relation)},
                                     {"sex", Opt(i.perpetrator_sex)},
                                     {"age_group", Opt(i.perpetrator_age_group)}}},
          {"survivor_age", Opt(i.survivor_age)},
          {"child_under_16", i.child_under_16},
          {"child_under_18", i.child_under_18},
          {"created_at", i.created_at}};
}

bj::object TaskJson(const cases::Task& t, bool with_code) {
  bj::object o{{"id", t.id},           {"case_id", t.case_id},       {"title", t.title},
               {"due", t.due},         {"done", t.done},             {"overdue", t.overdue},
               {"created_by", t.created_by}, {"created_at", t.created_at}, {"done_at", Opt(t.done_at)}};
  if (with_code) o["survivor_code"] = t.survivor_code;
  return o;
}

bj::object NoteJson(const cases::Note& n) {
  return {{"id", n.id}, {"author", n.author}, {"at", n.at}, {"text", n.text}};
}

bj::object RiskJson(const cases::RiskAssessment& r) {
  bj::object answers;
  for (const auto& [id, yes] : r.answers) answers[id] = yes;
  return {{"level", r.level}, {"score", r.score}, {"answers", std::move(answers)},
          {"assessed_at", r.assessed_at}, {"assessed_by", r.assessed_by}};
}

bj::object SafetyPlanJson(const cases::SafetyPlan& p) {
  return {{"safe_places", p.safe_places},         {"trusted_contacts", p.trusted_contacts},
          {"warning_signs", p.warning_signs},     {"emergency_steps", p.emergency_steps},
          {"documents", p.documents},             {"updated_at", p.updated_at},
          {"updated_by", p.updated_by}};
}

bj::object CaseJson(const CaseView& v) {
  bj::object o{{"id", v.id},
               {"survivor_code", v.survivor_code},
               {"org_unit", v.org_code},
               {"status", v.status},
               {"sex", v.sex},
               {"birth_year", Opt(v.birth_year)},
               {"ethnicity", Opt(v.ethnicity)},
               {"disability", v.disability},
               {"high_risk", v.high_risk},
               {"owned", v.owned},
               {"access", v.access},
               {"identity_visible", v.identity_visible},
               {"created_at", v.created_at},
               {"updated_at", v.updated_at}};
  // Field-level hiding: the identity object is absent unless the caller may see it.
  if (v.identity_visible) {
    o["survivor"] = bj::object{{"name", Opt(v.identity.name)},
                               {"phone", Opt(v.identity.phone)},
                               {"address", Opt(v.identity.address)},
                               {"reporter_contact", Opt(v.identity.contact)}};
  }
  bj::array incidents, consents, referrals;
  for (const auto& i : v.incidents) incidents.push_back(IncidentJson(i));
  for (const auto& c : v.consents) {
    consents.push_back(bj::object{{"purpose", c.purpose}, {"provider", c.provider.empty() ? bj::value(nullptr) : bj::value(c.provider)},
                                  {"granted", c.granted}, {"recorded_at", c.recorded_at}});
  }
  for (const auto& r : v.referrals) referrals.push_back(ReferralJson(r));
  o["incidents"] = std::move(incidents);
  o["consents"] = std::move(consents);
  o["referrals"] = std::move(referrals);
  o["possible_duplicates"] = Strings(v.possible_duplicates);
  bj::array tasks, notes;
  for (const auto& t : v.tasks) tasks.push_back(TaskJson(t, false));
  for (const auto& n : v.notes) notes.push_back(NoteJson(n));
  o["tasks"] = std::move(tasks);
  o["notes"] = std::move(notes);
  o["risk"] = v.risk ? bj::value(RiskJson(*v.risk)) : bj::value(nullptr);
  o["safety_plan"] = v.safety_plan ? bj::value(SafetyPlanJson(*v.safety_plan)) : bj::value(nullptr);
  o["closure"] = v.closure ? bj::value(bj::object{{"id", v.closure->id},
                                                  {"reason", v.closure->reason},
                                                  {"note", Opt(v.closure->note)},
                                                  {"requested_by", v.closure->requested_by},
                                                  {"requested_at", v.closure->requested_at}})
                           : bj::value(nullptr);
  o["closed_at"] = Opt(v.closed_at);
  o["closure_reason"] = Opt(v.closure_reason);
  return o;
}

Result<cases::Identity> ParseIdentity(const bj::object& body, bool for_patch) {
  cases::Identity id;
  KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(
      body, for_patch ? std::initializer_list<std::string_view>{"name", "phone", "address", "reporter_contact"}
                      : std::initializer_list<std::string_view>{"name", "phone", "address", "reporter_contact", "sex",
                                                                "birth_year", "ethnicity", "disability"}));
  KHIEN_ASSIGN_OR_RETURN(id.name, json::OptionalString(body, "name", 200));
  KHIEN_ASSIGN_OR_RETURN(id.phone, json::OptionalString(body, "phone", 40));
  KHIEN_ASSIGN_OR_RETURN(id.address, json::OptionalString(body, "address", 200));
  KHIEN_ASSIGN_OR_RETURN(id.contact, json::OptionalString(body, "reporter_contact", 200));
  return id;
}

Result<const bj::object*> OptionalObject(const bj::object& body, std::string_view field) {
  auto it = body.find(field);
  if (it == body.end() || it->value().is_null()) return static_cast<const bj::object*>(nullptr);
  if (!it->value().is_object()) {
    return Error::InvalidInput(std::string(field), "Giá trị phải là một đối tượng JSON.", "Must be a JSON object.");
  }
  return &it->value().as_object();
}

Result<cases::StatsQuery> ParseStatsQuery(const ApiRequest& req) {
  cases::StatsQuery q;
  auto org = req.Query("org");
  if (!org) return Error::InvalidInput("org", "Cần tham số org.", "The org parameter is required.");
  q.org = *org;
  q.from = req.Query("from");
  q.to = req.Query("to");
  q.by = req.Query("by").value_or("core_type");
  return q;
}

Result<std::optional<std::string>> OptionalNote(const bj::object& body) {
  return json::OptionalString(body, "note", 1000);
}

ApiResponse StatsResponse(const cases::Stats& s) {
  bj::array cells;
  for (const auto& c : s.cells) cells.push_back(bj::object{{"key", c.key}, {"count", cases::CellText(c)}});
  return Json(bj::object{{"org", s.org},
                         {"by", s.by},
                         {"suppression_applied", s.suppression_applied},
                         {"cells", std::move(cells)},
                         {"total", cases::CellText(s.total)}});
}

}  // namespace

void AddCaseRoutes(Router& router, Services& s) {
  // Public reporting: no account, no address stored; the code and PIN are shown once.
  router.Add("POST", "/api/v1/reports", Public([&s](const ApiRequest& req) -> Result<ApiResponse> {
    KHIEN_ASSIGN_OR_RETURN(bj::object body, ParseJsonObject(req));
    KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(body, {"org_unit", "anonymous", "about", "description", "contact"}));
    cases::NewReport in;
    KHIEN_ASSIGN_OR_RETURN(in.org_unit, json::OptionalString(body, "org_unit", 40));
    KHIEN_ASSIGN_OR_RETURN(in.anonymous, json::OptionalBool(body, "anonymous", true));
    KHIEN_ASSIGN_OR_RETURN(auto about, json::OptionalString(body, "about", 20));
    in.about = about.value_or("myself");
    KHIEN_ASSIGN_OR_RETURN(in.description, json::RequiredString(body, "description", 4000));
    KHIEN_ASSIGN_OR_RETURN(in.contact, json::OptionalString(body, "contact", 200));
    KHIEN_ASSIGN_OR_RETURN(cases::ReportReceipt r, s.cases.SubmitReport(std::move(in)));
    ApiResponse resp = Json(bj::object{{"code", r.code}, {"pin", r.pin}}, 201);
    resp.headers.emplace_back("Cache-Control", "no-store");
    return resp;
  }), {16 * 1024});

  router.Add("GET", "/api/v1/reports", SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
    KHIEN_ASSIGN_OR_RETURN(auto items, s.cases.Triage(who.principal, req.Query("status")));
    bj::array out;
    for (const auto& t : items) {
      out.push_back(bj::object{{"id", t.id}, {"org_unit", Opt(t.org_code)}, {"anonymous", t.anonymous}, {"about", t.about},
                               {"description", t.description}, {"contact", Opt(t.contact)}, {"status", t.status},
                               {"case_id", Opt(t.case_id)}, {"created_at", t.created_at}});
    }
    return Json(bj::object{{"items", std::move(out)}});
  }));

  router.Add("GET", "/api/v1/reports/{code}", Public([&s](const ApiRequest& req) -> Result<ApiResponse> {
    if (req.report_pin.empty()) {
      return Error::InvalidInput("X-Report-Pin", "Cần mã PIN trong tiêu đề X-Report-Pin.",
                                 "The PIN goes in the X-Report-Pin header.");
    }
    KHIEN_ASSIGN_OR_RETURN(cases::ReportStatus st,
                           s.cases.CheckReport(req.path_params.at("code"), req.report_pin, req.client_ip));
    ApiResponse resp = Json(bj::object{{"status", st.status}, {"created_at", st.created_at}, {"updated_at", st.updated_at}});
    resp.headers.emplace_back("Cache-Control", "no-store");
    return resp;
  }));

  router.Add("GET", "/api/v1/cases", SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
    cases::CaseListQuery q;
    q.status = req.Query("status");
    q.risk = req.Query("risk");
    KHIEN_ASSIGN_OR_RETURN(auto limit, QueryInt(req, "limit", 1, 200));
    q.limit = static_cast<int>(limit.value_or(50));
    KHIEN_ASSIGN_OR_RETURN(auto list, s.cases.List(who.principal, q));
    bj::array items;
    for (const auto& c : list) {
      items.push_back(bj::object{{"id", c.id}, {"survivor_code", c.survivor_code}, {"org_unit", c.org_code},
                                 {"status", c.status}, {"high_risk", c.high_risk}, {"risk_level", Opt(c.risk_level)},
                                 {"created_at", c.created_at}});
    }
    return Json(bj::object{{"items", std::move(items)}});
  }));

  router.Add("POST", "/api/v1/cases", SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
    KHIEN_ASSIGN_OR_RETURN(bj::object body, ParseJsonObject(req));
    KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(body, {"org_unit", "survivor", "report_code", "report_id"}));
    cases::NewCase in;
    KHIEN_ASSIGN_OR_RETURN(in.org_unit, json::RequiredString(body, "org_unit", 40));
    KHIEN_ASSIGN_OR_RETURN(in.report_code, json::OptionalString(body, "report_code", 40));
    KHIEN_ASSIGN_OR_RETURN(in.report_id, json::OptionalString(body, "report_id", 40));
    KHIEN_ASSIGN_OR_RETURN(const bj::object* survivor, OptionalObject(body, "survivor"));
    if (survivor != nullptr) {
      KHIEN_ASSIGN_OR_RETURN(in.identity, ParseIdentity(*survivor, false));
      KHIEN_ASSIGN_OR_RETURN(auto sex, json::OptionalString(*survivor, "sex", 10));
      in.sex = sex.value_or("unknown");
      KHIEN_ASSIGN_OR_RETURN(in.birth_year, json::OptionalInt(*survivor, "birth_year", 1900, 2100));
      KHIEN_ASSIGN_OR_RETURN(in.ethnicity, json::OptionalString(*survivor, "ethnicity", 60));
      KHIEN_ASSIGN_OR_RETURN(in.disability, json::OptionalBool(*survivor, "disability", false));
    }
    KHIEN_ASSIGN_OR_RETURN(CaseView v, s.cases.Create(who.principal, std::move(in)));
    return Json(CaseJson(v), 201);
  }), {16 * 1024});

  // Literal "stats" wins over "{id}" in the router.
  router.Add("GET", "/api/v1/cases/stats", SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
    KHIEN_ASSIGN_OR_RETURN(cases::StatsQuery q, ParseStatsQuery(req));
    KHIEN_ASSIGN_OR_RETURN(cases::Stats st, s.cases.Statistics(who.principal, std::move(q)));
    return StatsResponse(st);
  }));

  router.Add("GET", "/api/v1/cases/stats.xlsx", SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
    KHIEN_ASSIGN_OR_RETURN(cases::StatsQuery q, ParseStatsQuery(req));
    KHIEN_ASSIGN_OR_RETURN(std::string bytes, s.cases.ExportStatistics(who.principal, std::move(q)));
    ApiResponse r;
    r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    r.body = std::move(bytes);
    r.headers.push_back({"Content-Disposition", "attachment; filename=\"khien-case-stats.xlsx\""});
    r.headers.push_back({"Cache-Control", "no-store"});
    return r;
  }));

  router.Add("GET", "/api/v1/cases/{id}", SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
    KHIEN_ASSIGN_OR_RETURN(CaseView v, s.cases.Get(who.principal, req.path_params.at("id")));
    return Json(CaseJson(v));
  }));

  router.Add("PATCH", "/api/v1/cases/{id}", SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
    KHIEN_ASSIGN_OR_RETURN(bj::object body, ParseJsonObject(req));
    KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(body, {"survivor", "sex", "birth_year", "ethnicity", "disability",
                                                           "high_risk", "owner", "assigned"}));
    cases::CasePatch p;
    KHIEN_ASSIGN_OR_RETURN(const bj::object* survivor, OptionalObject(body, "survivor"));
    if (survivor != nullptr) {
      KHIEN_ASSIGN_OR_RETURN(cases::Identity id, ParseIdentity(*survivor, true));
      p.identity = std::move(id);
    }
    KHIEN_ASSIGN_OR_RETURN(p.sex, json::OptionalString(body, "sex", 10));
    KHIEN_ASSIGN_OR_RETURN(p.birth_year, json::OptionalInt(body, "birth_year", 1900, 2100));
    KHIEN_ASSIGN_OR_RETURN(p.ethnicity, json::OptionalString(body, "ethnicity", 60));
    if (body.contains("disability")) {
      KHIEN_ASSIGN_OR_RETURN(bool d, json::OptionalBool(body, "disability", false));
      p.disability = d;
    }
    if (body.contains("high_risk")) {
      KHIEN_ASSIGN_OR_RETURN(bool h, json::OptionalBool(body, "high_risk", false));
      p.high_risk = h;
    }
    KHIEN_ASSIGN_OR_RETURN(p.owner_username, json::OptionalString(body, "owner", 32));
    if (body.contains("assigned")) {
      KHIEN_ASSIGN_OR_RETURN(auto names, json::StringArray(body, "assigned", 10, 32));
      p.assigned_usernames = std::move(names);
    }
    KHIEN_ASSIGN_OR_RETURN(CaseView v, s.cases.Update(who.principal, req.path_params.at("id"), std::move(p)));
    return Json(CaseJson(v));
  }), {16 * 1024});

  router.Add("POST", "/api/v1/cases/{id}/incidents", SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
    KHIEN_ASSIGN_OR_RETURN(bj::object body, ParseJsonObject(req));
    KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(body, {"occurred_on", "place_type", "core_type", "wizard_answers",
                                                           "context_flags", "dv_acts", "perpetrator"}));
    cases::NewIncident in;
    KHIEN_ASSIGN_OR_RETURN(in.occurred_on, json::RequiredString(body, "occurred_on", 10));
    KHIEN_ASSIGN_OR_RETURN(in.place_type, json::OptionalString(body, "place_type", 40));
    KHIEN_ASSIGN_OR_RETURN(in.core_type, json::OptionalString(body, "core_type", 40));
    if (auto it = body.find("wizard_answers"); it != body.end() && !it->value().is_null()) {
      if (!it->value().is_array() || it->value().as_array().size() > 6) {
        return Error::InvalidInput("wizard_answers", "Cần một mảng tối đa 6 giá trị true/false.",
                                   "wizard_answers must be an array of at most 6 booleans.");
      }
      for (const auto& a : it->value().as_array()) {
        if (!a.is_bool()) {
          return Error::InvalidInput("wizard_answers", "Cần một mảng tối đa 6 giá trị true/false.",
                                     "wizard_answers must be an array of at most 6 booleans.");
        }
        in.wizard_answers.push_back(a.as_bool());
      }
    }
    KHIEN_ASSIGN_OR_RETURN(in.context_flags, json::StringArray(body, "context_flags", 10, 40));
    KHIEN_ASSIGN_OR_RETURN(in.dv_acts, json::StringArray(body, "dv_acts", 20, 4));
    KHIEN_ASSIGN_OR_RETURN(const bj::object* perp, OptionalObject(body, "perpetrator"));
    if (perp != nullptr) {
      KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(*perp, {"relationship", "sex", "age_group"}));
      KHIEN_ASSIGN_OR_RETURN(in.perpetrator_relation, json::OptionalString(*perp, "relationship", 40));
      KHIEN_ASSIGN_OR_RETURN(in.perpetrator_sex, json::OptionalString(*perp, "sex", 10));
      KHIEN_ASSIGN_OR_RETURN(in.perpetrator_age_group, json::OptionalString(*perp, "age_group", 10));
    }
    KHIEN_ASSIGN_OR_RETURN(cases::Incident inc, s.cases.AddIncident(who.principal, req.path_params.at("id"), std::move(in)));
    return Json(IncidentJson(inc), 201);
  }), {16 * 1024});

  router.Add("POST", "/api/v1/cases/{id}/consents", SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
    KHIEN_ASSIGN_OR_RETURN(bj::object body, ParseJsonObject(req));
    KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(body, {"purpose", "provider", "granted"}));
    cases::Consent c;
    KHIEN_ASSIGN_OR_RETURN(c.purpose, json::RequiredString(body, "purpose", 20));
    KHIEN_ASSIGN_OR_RETURN(auto provider, json::OptionalString(body, "provider", 40));
    c.provider = provider.value_or("");
    auto granted = body.find("granted");
    if (granted == body.end() || !granted->value().is_bool()) {
      return Error::InvalidInput("granted", "Cần giá trị true hoặc false.", "granted must be true or false.");
    }
    c.granted = granted->value().as_bool();
    KHIEN_ASSIGN_OR_RETURN(auto list, s.cases.SetConsent(who.principal, req.path_params.at("id"), std::move(c)));
    bj::array items;
    for (const auto& x : list) {
      items.push_back(bj::object{{"purpose", x.purpose}, {"provider", x.provider.empty() ? bj::value(nullptr) : bj::value(x.provider)},
                                 {"granted", x.granted}, {"recorded_at", x.recorded_at}});
    }
    return Json(bj::object{{"items", std::move(items)}});
  }), {4 * 1024});

  router.Add("POST", "/api/v1/cases/{id}/referrals", SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
    KHIEN_ASSIGN_OR_RETURN(bj::object body, ParseJsonObject(req));
    KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(body, {"provider", "service", "share_identity", "override_reason"}));
    cases::NewReferral in;
    KHIEN_ASSIGN_OR_RETURN(in.provider, json::RequiredString(body, "provider", 40));
    KHIEN_ASSIGN_OR_RETURN(in.service, json::RequiredString(body, "service", 40));
    KHIEN_ASSIGN_OR_RETURN(in.share_identity, json::OptionalBool(body, "share_identity", false));
    KHIEN_ASSIGN_OR_RETURN(in.override_reason, json::OptionalString(body, "override_reason", 500));
    KHIEN_ASSIGN_OR_RETURN(cases::Referral r, s.cases.Refer(who.principal, req.path_params.at("id"), std::move(in)));
    return Json(ReferralJson(r), 201);
  }), {4 * 1024});

  // Each route is written out so that the OpenAPI test finds it in the source.
  auto referral_step = [&s](const char* action) {
    return SignedIn(s.auth, [&s, action](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
      KHIEN_ASSIGN_OR_RETURN(cases::Referral r, s.cases.UpdateReferral(who.principal, req.path_params.at("id"), action));
      return Json(ReferralJson(r));
    });
  };
  router.Add("POST", "/api/v1/referrals/{id}/accept", referral_step("accept"));
  router.Add("POST", "/api/v1/referrals/{id}/decline", referral_step("decline"));
  router.Add("POST", "/api/v1/referrals/{id}/complete", referral_step("complete"));

  router.Add("GET", "/api/v1/cases/{id}/access-log", SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
    KHIEN_ASSIGN_OR_RETURN(auto entries, s.cases.AccessLog(who.principal, req.path_params.at("id")));
    bj::array items;
    for (const auto& e : entries) {
      bj::value detail;
      try {
        detail = bj::parse(e.detail_json);
      } catch (const std::exception&) {
        detail = bj::object{};
      }
      items.push_back(bj::object{{"at", e.at}, {"actor_id", e.actor_id}, {"action", e.action}, {"detail", std::move(detail)}});
    }
    return Json(bj::object{{"items", std::move(items)}});
  }));

  router.Add("POST", "/api/v1/cases/{id}/break-glass", SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
    KHIEN_ASSIGN_OR_RETURN(bj::object body, ParseJsonObject(req));
    KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(body, {"reason"}));
    KHIEN_ASSIGN_OR_RETURN(std::string reason, json::RequiredString(body, "reason", 500));
    KHIEN_RETURN_IF_ERROR(s.cases.BreakGlass(who.principal, req.path_params.at("id"), reason));
    return NoContent();
  }), {4 * 1024});

  // Follow-up: tasks, notes, risk, safety plan, closure.
  router.Add("POST", "/api/v1/cases/{id}/tasks", SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
    KHIEN_ASSIGN_OR_RETURN(bj::object body, ParseJsonObject(req));
    KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(body, {"title", "due"}));
    KHIEN_ASSIGN_OR_RETURN(std::string title, json::RequiredString(body, "title", 300));
    KHIEN_ASSIGN_OR_RETURN(std::string due, json::RequiredString(body, "due", 10));
    KHIEN_ASSIGN_OR_RETURN(cases::Task t, s.cases.AddTask(who.principal, req.path_params.at("id"), std::move(title), std::move(due)));
    return Json(TaskJson(t, false), 201);
  }), {8 * 1024});

  router.Add("POST", "/api/v1/tasks/{id}/done", SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
    KHIEN_ASSIGN_OR_RETURN(cases::Task t, s.cases.CompleteTask(who.principal, req.path_params.at("id")));
    return Json(TaskJson(t, true));
  }));

  router.Add("GET", "/api/v1/tasks", SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
    cases::TaskQuery q;
    q.scope = req.Query("scope").value_or("mine");
    if (auto overdue = req.Query("overdue")) {
      if (*overdue != "true" && *overdue != "false") {
        return Error::InvalidInput("overdue", "Giá trị phải là true hoặc false.", "overdue must be true or false.");
      }
      q.overdue = *overdue == "true";
    }
    KHIEN_ASSIGN_OR_RETURN(auto tasks, s.cases.Tasks(who.principal, q));
    bj::array items;
    for (const auto& t : tasks) items.push_back(TaskJson(t, true));
    return Json(bj::object{{"items", std::move(items)}});
  }));

  router.Add("POST", "/api/v1/cases/{id}/notes", SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
    KHIEN_ASSIGN_OR_RETURN(bj::object body, ParseJsonObject(req));
    KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(body, {"text"}));
    KHIEN_ASSIGN_OR_RETURN(std::string text, json::RequiredString(body, "text", 4000));
    KHIEN_ASSIGN_OR_RETURN(cases::Note n, s.cases.AddNote(who.principal, req.path_params.at("id"), std::move(text)));
    return Json(NoteJson(n), 201);
  }), {32 * 1024});

  router.Add("PUT", "/api/v1/cases/{id}/risk", SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
    KHIEN_ASSIGN_OR_RETURN(bj::object body, ParseJsonObject(req));
    KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(body, {"answers"}));
    KHIEN_ASSIGN_OR_RETURN(const bj::object* answers, OptionalObject(body, "answers"));
    if (answers == nullptr || answers->size() > 50) {
      return Error::InvalidInput("answers", "Cần đối tượng answers: mã câu hỏi → true/false.",
                                 "answers must be an object: item id → true/false.");
    }
    std::vector<std::pair<std::string, bool>> in;
    for (const auto& kv : *answers) {
      if (!kv.value().is_bool()) {
        return Error::InvalidInput("answers", "Mỗi câu trả lời phải là true hoặc false.", "Each answer must be true or false.");
      }
      in.emplace_back(std::string(kv.key()), kv.value().as_bool());
    }
    KHIEN_ASSIGN_OR_RETURN(cases::RiskAssessment r, s.cases.AssessRisk(who.principal, req.path_params.at("id"), std::move(in)));
    return Json(RiskJson(r));
  }), {8 * 1024});

  router.Add("PUT", "/api/v1/cases/{id}/safety-plan", SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
    KHIEN_ASSIGN_OR_RETURN(bj::object body, ParseJsonObject(req));
    KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(
        body, {"safe_places", "trusted_contacts", "warning_signs", "emergency_steps", "documents"}));
    cases::SafetyPlan p;
    for (auto [field, dst] : {std::pair{"safe_places", &p.safe_places}, std::pair{"trusted_contacts", &p.trusted_contacts},
                              std::pair{"warning_signs", &p.warning_signs}, std::pair{"emergency_steps", &p.emergency_steps},
                              std::pair{"documents", &p.documents}}) {
      KHIEN_ASSIGN_OR_RETURN(auto v, json::OptionalString(body, field, 2000));
      *dst = v.value_or("");
    }
    KHIEN_ASSIGN_OR_RETURN(cases::SafetyPlan out, s.cases.SetSafetyPlan(who.principal, req.path_params.at("id"), std::move(p)));
    return Json(SafetyPlanJson(out));
  }), {64 * 1024});

  router.Add("POST", "/api/v1/cases/{id}/closure", SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
    KHIEN_ASSIGN_OR_RETURN(bj::object body, ParseJsonObject(req));
    KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(body, {"reason", "note"}));
    KHIEN_ASSIGN_OR_RETURN(std::string reason, json::RequiredString(body, "reason", 40));
    KHIEN_ASSIGN_OR_RETURN(auto note, OptionalNote(body));
    KHIEN_ASSIGN_OR_RETURN(CaseView v, s.cases.RequestClosure(who.principal, req.path_params.at("id"), reason, std::move(note)));
    return Json(CaseJson(v));
  }), {8 * 1024});

  auto closure_decision = [&s](bool approve) {
    return SignedIn(s.auth, [&s, approve](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
      std::optional<std::string> note;
      if (!req.body.empty()) {
        KHIEN_ASSIGN_OR_RETURN(bj::object body, ParseJsonObject(req));
        KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(body, {"note"}));
        KHIEN_ASSIGN_OR_RETURN(note, OptionalNote(body));
      }
      KHIEN_ASSIGN_OR_RETURN(CaseView v, s.cases.DecideClosure(who.principal, req.path_params.at("id"), approve, std::move(note)));
      return Json(CaseJson(v));
    });
  };
  router.Add("POST", "/api/v1/cases/{id}/closure/approve", closure_decision(true), {8 * 1024});
  router.Add("POST", "/api/v1/cases/{id}/closure/reject", closure_decision(false), {8 * 1024});

  // The classification vocabularies, for the wizard and forms.
  router.Add("GET", "/api/v1/cases/vocabulary", Public([](const ApiRequest&) -> Result<ApiResponse> {
    namespace g = cases::gbvims;
    bj::array core, acts;
    for (const auto& t : g::CoreTypes()) {
      core.push_back(bj::object{{"id", t.id}, {"question_vi", t.question_vi}, {"question_en", t.question_en}});
    }
    for (const auto& a : g::DvActs()) acts.push_back(bj::object{{"id", a.id}, {"label_vi", a.label_vi}, {"label_en", a.label_en}});
    auto list = [](const std::string_view* items, size_t n) {
      bj::array out;
      for (size_t i = 0; i < n; ++i) out.push_back(bj::value(items[i]));
      return out;
    };
    bj::array risk, closure;
    for (const auto& r : cases::casework::RiskItems()) {
      risk.push_back(bj::object{{"id", r.id}, {"vi", r.vi}, {"en", r.en}, {"critical", r.critical}});
    }
    for (const auto& r : cases::casework::ClosureReasons()) {
      closure.push_back(bj::object{{"id", r.id}, {"vi", r.vi}, {"en", r.en}});
    }
    return Json(bj::object{{"risk_items", std::move(risk)},
                           {"closure_reasons", std::move(closure)},
                           {"core_types", std::move(core)},
                           {"dv_acts", std::move(acts)},
                           {"context_flags", list(g::kContextFlags, std::size(g::kContextFlags))},
                           {"perpetrator_relationships", list(g::kPerpetratorRelations, std::size(g::kPerpetratorRelations))},
                           {"perpetrator_age_groups", list(g::kPerpetratorAgeGroups, std::size(g::kPerpetratorAgeGroups))},
                           {"place_types", list(g::kPlaceTypes, std::size(g::kPlaceTypes))}});
  }));
}

}  // namespace khien::http::api
