#include "reach/ethnicity.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "reach/model.h"

namespace khien::reach {
namespace {

TEST(Ethnicity, FiftyFourGroupsWithUniqueSlugsAndCodesOneToFiftyFour) {
  ASSERT_EQ(AllEthnicities().size(), 54u);
  std::set<std::string_view> slugs, codes;
  for (const Ethnicity& e : AllEthnicities()) {
    slugs.insert(e.slug);
    codes.insert(e.code);
    EXPECT_EQ(e.code.size(), 2u) << e.slug;
  }
  EXPECT_EQ(slugs.size(), 54u);
  EXPECT_EQ(codes.size(), 54u);
  EXPECT_EQ(*codes.begin(), "01");
  EXPECT_EQ(*codes.rbegin(), "54");
}

TEST(Ethnicity, KinhIsCodeOneAndTheOnlyNonMinority) {
  EXPECT_EQ(FindEthnicity("kinh")->code, "01");
  int kinh = 0;
  for (const Ethnicity& e : AllEthnicities()) kinh += EthnicGroupOf(e.slug) == "kinh";
  EXPECT_EQ(kinh, 1);
}

TEST(Ethnicity, FindsBySlugCodeAndHandTypedNames) {
  EXPECT_EQ(FindEthnicity("ede")->name_vi, "Ê Đê");
  EXPECT_EQ(FindEthnicity("12")->slug, "ede");
  EXPECT_EQ(FindEthnicity("Ê-đê")->slug, "ede");
  EXPECT_EQ(FindEthnicity("ê đê")->slug, "ede");
  EXPECT_EQ(FindEthnicity("M'Nông")->slug, "mnong");
  EXPECT_EQ(FindEthnicity("Gia Rai")->slug, "jrai");
  EXPECT_EQ(FindEthnicity("H'Mông")->slug, "hmong");
  EXPECT_EQ(FindEthnicity("Tày")->slug, "tay");
  EXPECT_EQ(FindEthnicity("1")->slug, "kinh");
}

TEST(Ethnicity, RejectsUnknownNamesAndCodes) {
  EXPECT_FALSE(FindEthnicity("klingon"));
  EXPECT_FALSE(FindEthnicity("55"));
  EXPECT_FALSE(FindEthnicity("00"));
  EXPECT_FALSE(FindEthnicity(""));
}

TEST(AgeGroup, BoundariesFollowTheLawOnChildren) {
  EXPECT_EQ(AgeGroupFor(2010, 2025), "under_16");  // 15
  EXPECT_EQ(AgeGroupFor(2009, 2025), "16_17");     // 16
  EXPECT_EQ(AgeGroupFor(2008, 2025), "16_17");     // 17
  EXPECT_EQ(AgeGroupFor(2007, 2025), "18_29");     // 18
  EXPECT_EQ(AgeGroupFor(1996, 2025), "18_29");     // 29
  EXPECT_EQ(AgeGroupFor(1995, 2025), "30_59");     // 30
  EXPECT_EQ(AgeGroupFor(1966, 2025), "30_59");     // 59
  EXPECT_EQ(AgeGroupFor(1965, 2025), "60_plus");   // 60
}

}  // namespace
}  // namespace khien::reach
