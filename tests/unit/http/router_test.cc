#include "http/router.h"

#include <stdexcept>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace khien::http {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

ApiHandler Named(std::string name) {
  return [name](const ApiRequest&) {
    ApiResponse response;
    response.body = name;
    return response;
  };
}

std::string Call(const Router::Match& match) {
  return match.route->handler(ApiRequest{}).body;
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    router_.Add("GET", "/api/v1/org-units", Named("list"));
    router_.Add("GET", "/api/v1/org-units/{code}", Named("get"));
    router_.Add("PATCH", "/api/v1/org-units/{code}", Named("patch"));
    router_.Add("POST", "/api/v1/referrals/{id}/accept", Named("accept"), {.body_limit = 4096});
    router_.Add("GET", "/api/v1/referrals/export", Named("export"));
    router_.Add("GET", "/api/v1/referrals/{id}", Named("referral"));
  }
  Router router_;
};

TEST_F(RouterTest, MatchesLiteralRoute) {
  const Router::Match match = router_.Find("GET", "/api/v1/org-units");
  ASSERT_EQ(match.kind, Router::Match::Kind::kFound);
  EXPECT_EQ(Call(match), "list");
  EXPECT_TRUE(match.path_params.empty());
}

TEST_F(RouterTest, FillsPathParams) {
  const Router::Match match = router_.Find("POST", "/api/v1/referrals/01HZX/accept");
  ASSERT_EQ(match.kind, Router::Match::Kind::kFound);
  EXPECT_EQ(Call(match), "accept");
  EXPECT_THAT(match.path_params, ElementsAre(Pair("id", "01HZX")));
  EXPECT_EQ(match.route->pattern, "/api/v1/referrals/{id}/accept");
  EXPECT_EQ(match.route->options.body_limit, 4096u);
}

TEST_F(RouterTest, ParamsMayHoldDecodedUnicode) {
  const Router::Match match = router_.Find("GET", "/api/v1/org-units/Ea Nuôl");
  ASSERT_EQ(match.kind, Router::Match::Kind::kFound);
  EXPECT_THAT(match.path_params, ElementsAre(Pair("code", "Ea Nuôl")));
}

TEST_F(RouterTest, LiteralSegmentBeatsParameterWhateverTheOrder) {
  EXPECT_EQ(Call(router_.Find("GET", "/api/v1/referrals/export")), "export");
  EXPECT_EQ(Call(router_.Find("GET", "/api/v1/referrals/abc")), "referral");
}

TEST_F(RouterTest, UnknownPathIsNotFound) {
  EXPECT_EQ(router_.Find("GET", "/api/v1/nothing").kind, Router::Match::Kind::kNotFound);
  EXPECT_EQ(router_.Find("GET", "/api/v1/org-units/a/b").kind, Router::Match::Kind::kNotFound);
  // An empty segment never fills a parameter, and a trailing slash is a different path.
  EXPECT_EQ(router_.Find("GET", "/api/v1/org-units/").kind, Router::Match::Kind::kNotFound);
  EXPECT_EQ(router_.Find("POST", "/api/v1/referrals//accept").kind,
            Router::Match::Kind::kNotFound);
}

TEST_F(RouterTest, WrongMethodListsAllowedMethods) {
  const Router::Match match = router_.Find("DELETE", "/api/v1/org-units/X");
  ASSERT_EQ(match.kind, Router::Match::Kind::kMethodNotAllowed);
  EXPECT_EQ(match.allow, "GET, PATCH");
  EXPECT_EQ(match.route, nullptr);
}

TEST_F(RouterTest, RoutesListsEveryRouteInOrder) {
  EXPECT_THAT(router_.Routes(),
              ElementsAre(Pair("GET", "/api/v1/org-units"), Pair("GET", "/api/v1/org-units/{code}"),
                          Pair("PATCH", "/api/v1/org-units/{code}"),
                          Pair("POST", "/api/v1/referrals/{id}/accept"),
                          Pair("GET", "/api/v1/referrals/export"),
                          Pair("GET", "/api/v1/referrals/{id}")));
}

TEST_F(RouterTest, RejectsBadRoutesAtStartUp) {
  Router router;
  EXPECT_THROW(router.Add("get", "/x", Named("x")), std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "x", Named("x")), std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "/x/{}", Named("x")), std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "/x/{a}/{a}", Named("x")), std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "/x/a{b}", Named("x")), std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "/x", nullptr), std::invalid_argument);
  router.Add("GET", "/x/{a}", Named("x"));
  EXPECT_THROW(router.Add("GET", "/x/{b}", Named("y")), std::invalid_argument);
  EXPECT_NO_THROW(router.Add("POST", "/x/{a}", Named("z")));
}

}  // namespace
}  // namespace khien::http
