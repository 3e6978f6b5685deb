#include "safety/verdict_json.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace khien::safety {
namespace {

CheckResult ResultWithScores() {
  CheckResult r;
  r.verdict = Verdict::kCaution;
  r.scores = {0.50061234, 0.047425873, 1.0, 0.0};
  Reason reason;
  reason.rule = "scam.test";
  reason.category = Category::kScam;
  reason.weight = 2.5;
  reason.text = "a \"quoted\" ả";
  r.reasons.push_back(reason);
  return r;
}

TEST(VerdictJsonTest, ScoresArePlainDecimalsWithAtMostFourDecimals) {
  const std::string s = ToJsonString(ResultWithScores());
  EXPECT_NE(s.find("\"scam\":0.5006"), std::string::npos) << s;
  EXPECT_NE(s.find("\"grooming\":0.0474"), std::string::npos) << s;
  EXPECT_NE(s.find("\"toxic\":1,"), std::string::npos) << s;
  EXPECT_NE(s.find("\"privacy\":0}"), std::string::npos) << s;
  EXPECT_NE(s.find("\"weight\":2.5"), std::string::npos) << s;
  EXPECT_EQ(s.find("E-"), std::string::npos) << s;
  EXPECT_EQ(s.find("e-"), std::string::npos) << s;
}

TEST(VerdictJsonTest, PlainOutputParsesToTheSameValues) {
  const CheckResult r = ResultWithScores();
  auto v = boost::json::parse(ToJsonString(r)).as_object();
  EXPECT_DOUBLE_EQ(v["scores"].as_object()["scam"].to_number<double>(), 0.5006);
  auto reason = v["reasons"].as_array()[0].as_object();
  EXPECT_EQ(reason["text"].as_string(), "a \"quoted\" ả");
  EXPECT_EQ(reason["rule"].as_string(), "scam.test");
}

}  // namespace
}  // namespace khien::safety
