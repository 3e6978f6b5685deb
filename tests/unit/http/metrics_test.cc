#include "http/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace khien::http {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(MetricsTest, CountsByRouteMethodAndStatus) {
  Metrics metrics;
  metrics.Observe("/api/v1/referrals/{id}", "GET", 200, 0.003);
  metrics.Observe("/api/v1/referrals/{id}", "GET", 200, 0.2);
  metrics.Observe("/api/v1/referrals/{id}", "GET", 404, 0.001);
  metrics.Observe("static", "BREW", 405, 0.001);
  const std::string text = metrics.Render("1.2.3");
  EXPECT_THAT(text, HasSubstr("khien_http_requests_total{route=\"/api/v1/referrals/{id}\","
                              "method=\"GET\",status=\"200\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("khien_http_requests_total{route=\"/api/v1/referrals/{id}\","
                              "method=\"GET\",status=\"404\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("method=\"OTHER\",status=\"405\"} 1\n"));
  EXPECT_THAT(text, Not(HasSubstr("BREW")));
  EXPECT_THAT(text, HasSubstr("khien_build_info{version=\"1.2.3\"} 1\n"));
}

TEST(MetricsTest, HistogramIsCumulative) {
  Metrics metrics;
  metrics.Observe("/r", "GET", 200, 0.003);   // <= 0.005
  metrics.Observe("/r", "GET", 200, 0.2);     // <= 0.25
  metrics.Observe("/r", "GET", 200, 30.0);    // only +Inf
  const std::string text = metrics.Render("x");
  EXPECT_THAT(text, HasSubstr("khien_http_request_duration_seconds_bucket{route=\"/r\",le=\"0.005\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("khien_http_request_duration_seconds_bucket{route=\"/r\",le=\"0.1\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("khien_http_request_duration_seconds_bucket{route=\"/r\",le=\"0.25\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("khien_http_request_duration_seconds_bucket{route=\"/r\",le=\"10\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("khien_http_request_duration_seconds_bucket{route=\"/r\",le=\"+Inf\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("khien_http_request_duration_seconds_count{route=\"/r\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("khien_http_request_duration_seconds_sum{route=\"/r\"} 30.203\n"));
}

TEST(MetricsTest, InFlightGauge) {
  Metrics metrics;
  metrics.RequestStarted();
  metrics.RequestStarted();
  metrics.RequestFinished();
  EXPECT_THAT(metrics.Render("x"), HasSubstr("khien_http_in_flight_requests 1\n"));
}

TEST(MetricsTest, EscapesLabelValues) {
  Metrics metrics;
  metrics.Observe("/a\"b\\c", "GET", 200, 0.0);
  EXPECT_THAT(metrics.Render("x"), HasSubstr("route=\"/a\\\"b\\\\c\""));
}

}  // namespace
}  // namespace khien::http
