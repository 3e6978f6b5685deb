#include "safety/verdict_json.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace khien::safety {
namespace {

// Writes the JSON text directly: building a boost::json value first and walking it cost as
// much as the check itself on the API's hot path. The output is byte for byte what
// boost::json::serialize gave (same escapes, same member order), except for the numbers.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  Writer& Open(char c) {
    Comma();
    out_.push_back(c);
    first_ = true;
    return *this;
  }
  Writer& Close(char c) {
    out_.push_back(c);
    first_ = false;
    return *this;
  }
  // The key of the next member (the caller writes its value right after).
  Writer& Key(std::string_view key) {
    String(key);
    out_.push_back(':');
    first_ = true;  // no comma before the value
    return *this;
  }
  Writer& String(std::string_view s) {
    Comma();
    out_.push_back('"');
    size_t done = 0;  // bytes of s written; the runs between escapes are appended whole
    for (size_t i = 0; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out_.append(s.data() + done, i - done);
      done = i + 1;
      out_.push_back('\\');
      static constexpr char kShort[] = "uuuuuuuubtnufruuuuuuuuuuuuuuuuuu";
      static constexpr char kHex[] = "0123456789abcdef";
      if (c == '"' || c == '\\') {
        out_.push_back(static_cast<char>(c));
      } else if (kShort[c] != 'u') {
        out_.push_back(kShort[c]);
      } else {
        out_ += "u00";
        out_.push_back(kHex[c >> 4]);
        out_.push_back(kHex[c & 15]);
      }
    }
    out_.append(s.data() + done, s.size() - done);
    out_.push_back('"');
    return *this;
  }
  Writer& Int(int64_t v) {
    Comma();
    char buf[24];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, end);
    return *this;
  }
  // Plain decimals with at most 4 decimals ("0.5006"): boost::json 1.81 prints every double
  // in exponent form ("5.006E-1"), and people and scripts read these.
  Writer& Number(double x) {
    Comma();
    if (!std::isfinite(x)) {
      out_ += "null";
      return *this;
    }
    char buf[64];
    int n = std::snprintf(buf, sizeof buf, "%.4f", std::round(x * 10000.0) / 10000.0);
    if (n <= 0 || n >= static_cast<int>(sizeof buf)) {
      out_ += "null";
      return *this;
    }
    while (n > 1 && buf[n - 1] == '0') --n;
    if (buf[n - 1] == '.') --n;
    std::string_view s(buf, static_cast<size_t>(n));
    if (s == "-0") s = "0";
    out_ += s;
    return *this;
  }

 private:
  void Comma() {
    if (!first_) out_.push_back(',');
    first_ = false;
  }
  std::string& out_;
  bool first_ = true;
};

}  // namespace

std::string ToJsonString(const CheckResult& r) {
  std::string out;
  out.reserve(4096);  // a flagged message's answer, with its advice, is 1-3.5 KB
  Writer w(out);
  w.Open('{').Key("verdict").String(VerdictName(r.verdict));
  w.Key("scores").Open('{');
  for (Category c : kAllCategories) w.Key(CategoryName(c)).Number(r.score(c));
  w.Close('}');
  w.Key("categories").Open('[');
  for (Category c : r.categories) w.String(CategoryName(c));
  w.Close(']');
  w.Key("reasons").Open('[');
  for (const Reason& x : r.reasons) {
    w.Open('{').Key("rule").String(x.rule).Key("category").String(CategoryName(x.category));
    w.Key("weight").Number(x.weight).Key("start").Int(x.start).Key("end").Int(x.end);
    w.Key("text").String(x.text);
    w.Key("explanation").Open('{').Key("vi").String(x.explanation_vi).Key("en").String(x.explanation_en).Close('}');
    if (x.message >= 0) w.Key("message").Int(x.message);
    w.Close('}');
  }
  w.Close(']');
  w.Key("advice").Open('[');
  for (const AdviceItem& a : r.advice) {
    w.Open('{').Key("id").String(a.id).Key("vi").String(a.vi).Key("en").String(a.en).Close('}');
  }
  w.Close(']');
  w.Key("entities").Open('[');
  for (const EntityItem& e : r.entities) {
    w.Open('{').Key("type").String(e.type).Key("value").String(e.value);
    w.Key("start").Int(e.start).Key("end").Int(e.end);
    if (e.message >= 0) w.Key("message").Int(e.message);
    w.Close('}');
  }
  w.Close(']');
  if (r.conversation) {
    w.Key("conversation").Open('{').Key("stage").String(r.conversation->stage);
    w.Key("stage_index").Int(r.conversation->stage_index).Key("stages").Open('[');
    for (const StageMessages& s : r.conversation->stages) {
      w.Open('{').Key("stage").String(s.stage).Key("messages").Open('[');
      for (int m : s.messages) w.Int(m);
      w.Close(']').Close('}');
    }
    w.Close(']').Close('}');
  }
  w.Close('}');
  return out;
}

}  // namespace khien::safety
