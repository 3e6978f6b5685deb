#include "safety/verdict_json.h"

#include <cmath>
#include <cstdio>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace khien::safety {
namespace {

// Scores rounded to 4 decimals: stable output, no false precision.
double Round4(double x) { return std::round(x * 10000.0) / 10000.0; }

// Boost.JSON 1.81 prints every double in exponent form ("5.006E-1"); people and scripts read
// these files, so doubles are written as plain decimals with at most 4 decimals ("0.5006").
void AppendNumber(std::string& out, double x) {
  if (!std::isfinite(x)) { out += "null"; return; }
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%.4f", Round4(x));
  if (n <= 0 || n >= static_cast<int>(sizeof buf)) { out += "null"; return; }
  while (n > 1 && buf[n - 1] == '0') --n;
  if (buf[n - 1] == '.') --n;
  std::string_view s(buf, static_cast<size_t>(n));
  if (s == "-0") s = "0";
  out += s;
}

void AppendPlain(std::string& out, const boost::json::value& v) {
  namespace json = boost::json;
  switch (v.kind()) {
    case json::kind::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& [key, value] : v.get_object()) {
        if (!first) out.push_back(',');
        first = false;
        out += json::serialize(json::string_view(key));
        out.push_back(':');
        AppendPlain(out, value);
      }
      out.push_back('}');
      break;
    }
    case json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const json::value& item : v.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        AppendPlain(out, item);
      }
      out.push_back(']');
      break;
    }
    case json::kind::double_: AppendNumber(out, v.get_double()); break;
    default: out += json::serialize(v); break;
  }
}

}  // namespace

boost::json::value ToJson(const CheckResult& r) {
  namespace json = boost::json;
  json::object out;
  out["verdict"] = VerdictName(r.verdict);
  json::object scores;
  for (Category c : kAllCategories) scores[CategoryName(c)] = Round4(r.score(c));
  out["scores"] = std::move(scores);
  json::array cats;
  for (Category c : r.categories) cats.emplace_back(CategoryName(c));
  out["categories"] = std::move(cats);
  json::array reasons;
  for (const Reason& x : r.reasons) {
    json::object o;
    o["rule"] = x.rule;
    o["category"] = CategoryName(x.category);
    o["weight"] = Round4(x.weight);
    o["start"] = x.start;
    o["end"] = x.end;
    o["text"] = x.text;
    o["explanation"] = json::object{{"vi", x.explanation_vi}, {"en", x.explanation_en}};
    if (x.message >= 0) o["message"] = x.message;
    reasons.push_back(std::move(o));
  }
  out["reasons"] = std::move(reasons);
  json::array advice;
  for (const AdviceItem& a : r.advice) {
    advice.push_back(json::object{{"id", a.id}, {"vi", a.vi}, {"en", a.en}});
  }
  out["advice"] = std::move(advice);
  json::array entities;
  for (const EntityItem& e : r.entities) {
    json::object o{{"type", e.type}, {"value", e.value}, {"start", e.start}, {"end", e.end}};
    if (e.message >= 0) o["message"] = e.message;
    entities.push_back(std::move(o));
  }
  out["entities"] = std::move(entities);
  if (r.conversation) {
    json::array stages;
    for (const StageMessages& s : r.conversation->stages) {
      json::array msgs;
      for (int m : s.messages) msgs.push_back(m);
      stages.push_back(json::object{{"stage", s.stage}, {"messages", std::move(msgs)}});
    }
    out["conversation"] = json::object{{"stage", r.conversation->stage},
                                       {"stage_index", r.conversation->stage_index},
                                       {"stages", std::move(stages)}};
  }
  return out;
}

std::string ToJsonString(const CheckResult& result) {
  std::string out;
  out.reserve(1024);
  AppendPlain(out, ToJson(result));
  return out;
}

}  // namespace khien::safety
