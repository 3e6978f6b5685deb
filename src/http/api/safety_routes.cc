#include <memory>

#include "base/json.h"
#include "http/api/common.h"
#include "http/api/handlers.h"
#include "http/api/rate_limit.h"
#include "moderation/service.h"
#include "safety/checker.h"
#include "safety/verdict_json.h"

namespace khien::http::api {
namespace {

// Room for 64 KiB of text plus JSON escaping; the checker itself rejects longer text (413).
constexpr size_t kCheckBodyLimit = 256 * 1024;
constexpr size_t kMaxMessages = 200;

Result<std::vector<safety::Message>> ParseMessages(const boost::json::value& value) {
  if (!value.is_array() || value.as_array().empty() || value.as_array().size() > kMaxMessages) {
    return Error::InvalidInput("messages", "'messages' phải là danh sách từ 1 đến 200 tin nhắn.",
                               "'messages' must be a list of 1 to 200 messages.");
  }
  std::vector<safety::Message> messages;
  for (const boost::json::value& item : value.as_array()) {
    if (!item.is_object()) {
      return Error::InvalidInput("messages", "Mỗi tin nhắn phải có dạng {\"from\", \"text\"}.",
                                 "Each message must be {\"from\", \"text\"}.");
    }
    KHIEN_ASSIGN_OR_RETURN(auto from, json::OptionalString(item.as_object(), "from", 100));
    const boost::json::value* text = item.as_object().if_contains("text");
    if (!text || !text->is_string()) {
      return Error::InvalidInput("messages", "Mỗi tin nhắn phải có 'text'.", "Each message needs 'text'.");
    }
    messages.push_back({from.value_or(""), std::string(text->as_string())});
  }
  return messages;
}

namespace bj = boost::json;

// Picks up list and rule changes made by other processes (a counter read at most every few
// seconds). A database hiccup must not fail a check: the loaded lists and rules stay.
void SyncModeration(Services& s) { (void)s.moderation.SyncIfStale(); }

// Scores as plain decimals ("0.5006"), which Json() would print as "5.006E-1".
ApiResponse VerdictJson(const safety::CheckResult& result) {
  ApiResponse response;
  response.body = safety::ToJsonString(result);
  return response;
}

bj::value OptText(const std::optional<std::string>& s) { return s ? bj::value(*s) : bj::value(nullptr); }

bj::object ReportJson(const moderation::Report& r) {
  bj::array categories;
  for (const std::string& c : r.categories) categories.push_back(bj::value(c));
  return {{"id", r.id},
          {"text", r.text},
          {"verdict", r.verdict},
          {"categories", std::move(categories)},
          {"shown_verdict", OptText(r.shown_verdict)},
          {"org_unit", OptText(r.org_code)},
          {"status", r.status},
          {"label", OptText(r.label)},
          {"decided_by", OptText(r.decided_by)},
          {"decided_at", r.decided_at ? bj::value(*r.decided_at) : bj::value(nullptr)},
          {"created_at", r.created_at}};
}

bj::object RuleJson(const moderation::RuleView& r) {
  return {{"id", r.id},
          {"category", r.category},
          {"weight", r.weight},
          {"default_weight", r.default_weight},
          {"enabled", r.enabled},
          {"weighted", r.weighted},
          {"at_least", r.at_least.empty() ? bj::value(nullptr) : bj::value(r.at_least)},
          {"explanation", bj::object{{"vi", r.explanation_vi}, {"en", r.explanation_en}}},
          {"updated_by", OptText(r.updated_by)},
          {"updated_at", r.updated_at ? bj::value(*r.updated_at) : bj::value(nullptr)}};
}

bj::value OptInt(const std::optional<int64_t>& v) { return v ? bj::value(*v) : bj::value(nullptr); }

bj::object ModelStatusJson(const moderation::ModelStatus& m) {
  return {{"source", m.source},
          {"trained_at", OptInt(m.trained_at)},
          {"can_retrain", m.can_retrain},
          {"confirmed_scam", m.confirmed_scam},
          {"confirmed_safe", m.confirmed_safe},
          {"examples", OptInt(m.examples)},
          {"reports_used", OptInt(m.reports_used)}};
}

// PATCH body {"enabled": bool, "weight": number | null}; null puts the file's weight back.
Result<moderation::RuleChange> ParseRuleChange(const bj::object& body) {
  moderation::RuleChange change;
  if (const bj::value* enabled = body.if_contains("enabled")) {
    if (!enabled->is_bool()) {
      return Error::InvalidInput("enabled", "'enabled' phải là true hoặc false.", "'enabled' must be true or false.");
    }
    change.enabled = enabled->as_bool();
  }
  if (const bj::value* weight = body.if_contains("weight")) {
    if (weight->is_null()) {
      change.reset_weight = true;
    } else if (weight->is_number()) {
      change.weight = weight->to_number<double>();
    } else {
      return Error::InvalidInput("weight", "Trọng số phải là một số từ -20 đến 20.",
                                 "The weight must be a number from -20 to 20.");
    }
  }
  return change;
}

bj::object ListEntryJson(const moderation::ListEntry& e) {
  return {{"id", e.id},
          {"kind", e.kind},
          {"value", e.value},
          {"list", e.list},
          {"source_report", OptText(e.source_report)},
          {"created_by", OptText(e.created_by)},
          {"created_at", e.created_at}};
}

}  // namespace

void AddSafetyRoutes(Router& router, Services& s) {
  auto limiter = std::make_shared<RateLimiter>(s.safety_checks_per_minute, std::chrono::seconds(60));
  // Open to anonymous users. Nothing of the text is stored or logged.
  router.Add("POST", "/api/v1/safety/check", Public([&s, limiter](const ApiRequest& req) -> Result<ApiResponse> {
    if (!limiter->Allow(req.client_ip)) return Error::TooManyRequests();
    KHIEN_ASSIGN_OR_RETURN(boost::json::object body, ParseJsonObject(req));
    KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(body, {"text", "messages"}));
    const boost::json::value* text = body.if_contains("text");
    const boost::json::value* messages = body.if_contains("messages");
    if ((text == nullptr) == (messages == nullptr)) {
      return Error::InvalidInput("text", "Cần đúng một trong hai: 'text' hoặc 'messages'.",
                                 "Give exactly one of 'text' or 'messages'.");
    }
    if (text) {
      if (!text->is_string()) {
        return Error::InvalidInput("text", "'text' phải là chuỗi ký tự.", "'text' must be a string.");
      }
      SyncModeration(s);
      KHIEN_ASSIGN_OR_RETURN(safety::CheckResult result, s.checker.Check(std::string_view(text->as_string())));
      return VerdictJson(result);
    }
    KHIEN_ASSIGN_OR_RETURN(std::vector<safety::Message> list, ParseMessages(*messages));
    SyncModeration(s);
    KHIEN_ASSIGN_OR_RETURN(safety::CheckResult result, s.checker.CheckConversation(list));
    return VerdictJson(result);
  }), {kCheckBodyLimit});

  // Reports and feedback: anonymous, rate limited per address like checks, and the address is
  // neither stored nor logged. A report keeps the text only with explicit consent.
  auto report_limiter = std::make_shared<RateLimiter>(s.safety_checks_per_minute, std::chrono::seconds(60));
  router.Add("POST", "/api/v1/safety/reports", Public([&s, report_limiter](const ApiRequest& req) -> Result<ApiResponse> {
    if (!report_limiter->Allow(req.client_ip)) return Error::TooManyRequests();
    KHIEN_ASSIGN_OR_RETURN(bj::object body, ParseJsonObject(req));
    KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(body, {"text", "consent", "verdict", "org_unit"}));
    const bj::value* consent = body.if_contains("consent");
    if (!consent || !consent->is_bool() || !consent->as_bool()) {
      return Error::InvalidInput("consent", "Cần bạn đồng ý cho lưu tin nhắn này thì mới gửi báo cáo được.",
                                 "Your consent to store this message is needed to send the report.");
    }
    const bj::value* text = body.if_contains("text");
    if (!text || !text->is_string()) {
      return Error::InvalidInput("text", "'text' phải là chuỗi ký tự.", "'text' must be a string.");
    }
    moderation::NewReport in;
    in.text = std::string(text->as_string());
    KHIEN_ASSIGN_OR_RETURN(in.shown_verdict, json::OptionalString(body, "verdict", 20));
    KHIEN_ASSIGN_OR_RETURN(in.org_code, json::OptionalString(body, "org_unit", 40));
    KHIEN_ASSIGN_OR_RETURN(std::string id, s.moderation.SubmitReport(in));
    return Json(bj::object{{"id", id}}, 201);
  }), {kCheckBodyLimit});

  auto feedback_limiter = std::make_shared<RateLimiter>(s.safety_checks_per_minute, std::chrono::seconds(60));
  router.Add("POST", "/api/v1/safety/feedback", Public([&s, feedback_limiter](const ApiRequest& req) -> Result<ApiResponse> {
    if (!feedback_limiter->Allow(req.client_ip)) return Error::TooManyRequests();
    KHIEN_ASSIGN_OR_RETURN(bj::object body, ParseJsonObject(req));
    KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(body, {"verdict", "correct"}));
    KHIEN_ASSIGN_OR_RETURN(std::string verdict, json::RequiredString(body, "verdict", 20));
    const bj::value* correct = body.if_contains("correct");
    if (!correct || !correct->is_bool()) {
      return Error::InvalidInput("correct", "'correct' phải là true hoặc false.", "'correct' must be true or false.");
    }
    KHIEN_RETURN_IF_ERROR(s.moderation.RecordFeedback(verdict, correct->as_bool()));
    return NoContent();
  }), {4 * 1024});

  // The moderators' queue and lists (admin, media_member; the service checks).
  router.Add("GET", "/api/v1/safety/reports",
             SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
               KHIEN_ASSIGN_OR_RETURN(std::optional<int64_t> limit, QueryInt(req, "limit", 1, 500));
               KHIEN_ASSIGN_OR_RETURN(auto items, s.moderation.ListReports(who.principal, req.Query("status").value_or("pending"),
                                                                             static_cast<int>(limit.value_or(100))));
               bj::array out;
               for (const moderation::Report& r : items) out.push_back(ReportJson(r));
               return Json(bj::object{{"items", std::move(out)}});
             }));

  router.Add("POST", "/api/v1/safety/reports/{id}/confirm",
             SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
               KHIEN_ASSIGN_OR_RETURN(bj::object body, ParseJsonObject(req));
               KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(body, {"label"}));
               KHIEN_ASSIGN_OR_RETURN(std::string label, json::RequiredString(body, "label", 20));
               KHIEN_ASSIGN_OR_RETURN(moderation::ConfirmOutcome outcome,
                                      s.moderation.ConfirmReport(who.principal, req.path_params.at("id"), label));
               bj::array added;
               for (const moderation::ListEntry& e : outcome.added) added.push_back(ListEntryJson(e));
               return Json(bj::object{{"report", ReportJson(outcome.report)}, {"added", std::move(added)}});
             }), {4 * 1024});

  router.Add("GET", "/api/v1/safety/lists",
             SignedIn(s.auth, [&s](const ApiRequest&, const auth::Authenticated& who) -> Result<ApiResponse> {
               KHIEN_ASSIGN_OR_RETURN(auto items, s.moderation.ListEntries(who.principal));
               bj::array out;
               for (const moderation::ListEntry& e : items) out.push_back(ListEntryJson(e));
               return Json(bj::object{{"items", std::move(out)}});
             }));

  router.Add("POST", "/api/v1/safety/lists",
             SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
               KHIEN_ASSIGN_OR_RETURN(bj::object body, ParseJsonObject(req));
               KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(body, {"kind", "value", "list"}));
               moderation::NewListEntry in;
               KHIEN_ASSIGN_OR_RETURN(in.kind, json::RequiredString(body, "kind", 20));
               KHIEN_ASSIGN_OR_RETURN(in.value, json::RequiredString(body, "value", 300));
               KHIEN_ASSIGN_OR_RETURN(auto list, json::OptionalString(body, "list", 20));
               if (list) in.list = *list;
               KHIEN_ASSIGN_OR_RETURN(moderation::ListEntry entry, s.moderation.AddEntry(who.principal, in));
               return Json(ListEntryJson(entry), 201);
             }), {4 * 1024});

  router.Add("DELETE", "/api/v1/safety/lists/{id}",
             SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
               KHIEN_RETURN_IF_ERROR(s.moderation.DeleteEntry(who.principal, req.path_params.at("id")));
               return NoContent();
             }));

  // Rules: on/off and weights (admin, media_member; the service checks). Changes apply to the
  // running checker at once and reach other processes through the sync counter.
  router.Add("GET", "/api/v1/safety/rules",
             SignedIn(s.auth, [&s](const ApiRequest&, const auth::Authenticated& who) -> Result<ApiResponse> {
               KHIEN_ASSIGN_OR_RETURN(auto rules, s.moderation.ListRules(who.principal));
               bj::array out;
               for (const moderation::RuleView& r : rules) out.push_back(RuleJson(r));
               return Json(bj::object{{"items", std::move(out)}});
             }));

  router.Add("PATCH", "/api/v1/safety/rules/{id}",
             SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
               KHIEN_ASSIGN_OR_RETURN(bj::object body, ParseJsonObject(req));
               KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(body, {"enabled", "weight"}));
               KHIEN_ASSIGN_OR_RETURN(moderation::RuleChange change, ParseRuleChange(body));
               KHIEN_ASSIGN_OR_RETURN(moderation::RuleView rule,
                                      s.moderation.UpdateRule(who.principal, req.path_params.at("id"), change));
               return Json(RuleJson(rule));
             }), {4 * 1024});

  // The learned model (admin, media_member; the service checks): which one runs, and
  // retraining it from the confirmed reports, which takes effect at once.
  router.Add("GET", "/api/v1/safety/model",
             SignedIn(s.auth, [&s](const ApiRequest&, const auth::Authenticated& who) -> Result<ApiResponse> {
               KHIEN_ASSIGN_OR_RETURN(moderation::ModelStatus status, s.moderation.GetModelStatus(who.principal));
               return Json(ModelStatusJson(status));
             }));

  router.Add("POST", "/api/v1/safety/model/retrain",
             SignedIn(s.auth, [&s](const ApiRequest&, const auth::Authenticated& who) -> Result<ApiResponse> {
               KHIEN_ASSIGN_OR_RETURN(moderation::ModelStatus status, s.moderation.RetrainModel(who.principal));
               return Json(ModelStatusJson(status));
             }), {1024});
}

}  // namespace khien::http::api
